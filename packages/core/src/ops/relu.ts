import { recordOp } from '../autograd.js';
import { Tensor } from '../tensor.js';

/** `max(x, 0)` element-wise. Backward passes the gradient where `x > 0`. Any shape. */
export function relu(x: Tensor): Tensor {
  const input = x.data;
  const out = new Float32Array(input.length);
  for (let i = 0; i < out.length; i++) out[i] = input[i]! > 0 ? input[i]! : 0;
  return recordOp(new Tensor(out, x.shape), 'relu', [x], (g) => {
    const gx = new Float32Array(g.length);
    for (let i = 0; i < gx.length; i++) gx[i] = input[i]! > 0 ? g[i]! : 0;
    return [gx];
  });
}
