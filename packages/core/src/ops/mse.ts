import type { Tensor } from '../tensor.js';
import type { Reduction } from './labels.js';

/** TODO(helper) */
export function mse(prediction: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  void prediction; void target; void reduction;
  throw new Error('mse: not implemented yet');
}
