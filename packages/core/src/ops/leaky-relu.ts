import type { Tensor } from '../tensor.js';

/** TODO(helper) */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  void x; void negativeSlope;
  throw new Error('leakyRelu: not implemented yet');
}
