import { recordOp } from '../autograd.js';
import { tanhBackward, tanhForward } from '../kernels/dispatch.js';
import { Tensor } from '../tensor.js';

/**
 * Hyperbolic tangent element-wise; any shape.
 * Backward: `dx = dy · (1 − tanh²(x))`, from the saved output.
 */
export function tanh(x: Tensor): Tensor {
  const y = new Float32Array(x.size);
  tanhForward(x.data, y);
  return recordOp(new Tensor(y, x.shape), 'tanh', [x], (g) => {
    const gx = new Float32Array(g.length);
    tanhBackward(y, g, gx);
    return [gx];
  });
}
