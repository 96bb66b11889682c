import { fail } from '../errors.js';
import { recordOp } from '../autograd.js';
import { leakyReluBackward, leakyReluForward } from '../kernels/dispatch.js';
import { Tensor } from '../tensor.js';

/**
 * Leaky ReLU element-wise: `x` where `x > 0`, `negativeSlope · x` elsewhere (default 0.01); any shape.
 * Backward: `dx = dy` where `x > 0`, `negativeSlope · dy` elsewhere (PyTorch's choice at `x = 0`).
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  if (!Number.isFinite(negativeSlope)) fail('leakyRelu', `negativeSlope must be a finite number, got ${negativeSlope}`);
  const input = x.data;
  const y = new Float32Array(input.length);
  leakyReluForward(input, y, negativeSlope);
  return recordOp(new Tensor(y, x.shape), 'leakyRelu', [x], (g) => {
    const gx = new Float32Array(g.length);
    leakyReluBackward(input, g, gx, negativeSlope);
    return [gx];
  });
}
