import { recordOp } from '../autograd.js';
import { sigmoidBackward, sigmoidForward } from '../kernels/dispatch.js';
import { Tensor } from '../tensor.js';

/**
 * Logistic sigmoid `σ(x) = 1 / (1 + e^−x)` element-wise; any shape.
 * Backward: `dx = dy · σ(x) · (1 − σ(x))`, from the saved output.
 */
export function sigmoid(x: Tensor): Tensor {
  const y = new Float32Array(x.size);
  sigmoidForward(x.data, y);
  return recordOp(new Tensor(y, x.shape), 'sigmoid', [x], (g) => {
    const gx = new Float32Array(g.length);
    sigmoidBackward(y, g, gx);
    return [gx];
  });
}
