import { recordOp } from '../autograd.js';
import { reluBackward, reluForward } from '../kernels/dispatch.js';
import { Tensor } from '../tensor.js';
import { overwrittenGradientBuffer } from '../gradient-buffers.js';

/** `max(x, 0)` element-wise, NaN kept (as PyTorch). Backward passes the gradient except where `x ≤ 0`. Any shape. */
export function relu(x: Tensor): Tensor {
  const input = x.data;
  const out = new Float32Array(input.length);
  reluForward(input, out);
  return recordOp(new Tensor(out, x.shape), 'relu', [x], (g) => {
    const gx = overwrittenGradientBuffer(g.length);
    reluBackward(input, g, gx);
    return [gx];
  });
}
