import { recordOp } from '../autograd.js';
import { Tensor } from '../tensor.js';

/**
 * Hyperbolic tangent element-wise; any shape.
 * Backward: `dx = dy · (1 − tanh²(x))`, from the saved output.
 */
export function tanh(x: Tensor): Tensor {
  const input = x.data;
  const y = new Float32Array(input.length);
  for (let i = 0; i < y.length; i++) y[i] = Math.tanh(input[i]!);
  return recordOp(new Tensor(y, x.shape), 'tanh', [x], (g) => {
    const gx = new Float32Array(g.length);
    for (let i = 0; i < gx.length; i++) gx[i] = g[i]! * (1 - y[i]! * y[i]!);
    return [gx];
  });
}
