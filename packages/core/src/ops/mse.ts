import { checkOptions } from '../options.js';
import type { Tensor } from '../tensor.js';
import { lossOptions } from './cross-entropy.js';
import { pointwiseLoss } from './pointwise-loss.js';
import { reductionOption, type Reduction } from './reduction.js';

/** Options of {@link mse} and {@link l1Loss}. */
export interface RegressionLossOptions {
  /** Default 'mean'. */
  readonly reduction?: Reduction;
}

/**
 * Squared error `(prediction − target)²` per element, averaged (default), summed or kept
 * ('none'), like `torch.nn.functional.mse_loss`; both tensors must have the same shape.
 * Backward: `dprediction = 2·(prediction − target)·dL`, `dtarget = −dprediction` (divided by M for the mean).
 * Throws on NaN/±Infinity in either input, naming the first bad position.
 * @example mse(net.call(x), y, 'sum')
 */
export function mse(prediction: Tensor, target: Tensor, options?: Reduction | RegressionLossOptions): Tensor {
  const o = checkOptions('mse', lossOptions(options), { reduction: reductionOption });
  return pointwiseLoss('mse', prediction, target, o.reduction ?? 'mean', {
    value: (x, t) => (x - t) ** 2,
    dx: (x, t) => 2 * (x - t),
    dt: (x, t) => -2 * (x - t),
  });
}
