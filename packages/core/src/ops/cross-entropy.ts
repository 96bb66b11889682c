import type { Tensor } from '../tensor.js';
import type { Labels, Reduction } from './labels.js';

/** TODO(helper) logits [N,C], labels N ints */
export function crossEntropy(logits: Tensor, labels: Labels, reduction: Reduction = 'mean'): Tensor {
  void logits; void labels; void reduction;
  throw new Error('crossEntropy: not implemented yet');
}
