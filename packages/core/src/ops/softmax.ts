import type { Tensor } from '../tensor.js';

/** TODO(helper) */
export function softmax(x: Tensor, dim: number): Tensor {
  void x; void dim;
  throw new Error('softmax: not implemented yet');
}

/** TODO(helper) */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  void x; void dim;
  throw new Error('logSoftmax: not implemented yet');
}
