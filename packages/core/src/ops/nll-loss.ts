import type { Tensor } from '../tensor.js';
import type { Labels, Reduction } from './labels.js';

/** TODO(helper) logProbs [N,C] */
export function nllLoss(logProbs: Tensor, labels: Labels, reduction: Reduction = 'mean'): Tensor {
  void logProbs; void labels; void reduction;
  throw new Error('nllLoss: not implemented yet');
}
