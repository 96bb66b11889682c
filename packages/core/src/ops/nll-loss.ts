import { recordOp } from '../autograd.js';
import { nllLossBackward, nllLossForward } from '../kernels/dispatch.js';
import { checkOptions } from '../options.js';
import type { Tensor } from '../tensor.js';
import { classLayout, classWeights, type Labels } from './class-targets.js';
import { classLossOptionTypes, lossOptions } from './cross-entropy.js';
import { checkFinite } from './finite.js';
import { reduceLoss, type Reduction } from './reduction.js';

/** Options of {@link nllLoss} (PyTorch's `F.nll_loss` keyword arguments, camelCase). */
export interface NllLossOptions {
  /** Default 'mean' (divided by the total weight of the non-ignored labels). */
  readonly reduction?: Reduction;
  /** Per-class weights `[C]`. Default none (all 1). */
  readonly weight?: Tensor | null;
  /** A label value that contributes nothing (nor to the mean's denominator). Default −100. */
  readonly ignoreIndex?: number;
}

/**
 * Negative log-likelihood of log-probabilities `[N, C]` or `[N, C, d1, …]` (e.g. from
 * `logSoftmax(x, 1)`) against integer labels y (an array, or a Tensor `[N, d1, …]`):
 * `loss = −w_y·x_y`, 0 where y = ignoreIndex, like `torch.nn.functional.nll_loss`. Reduction
 * 'mean' divides the sum by Σ w_y over the non-ignored labels; 'none' returns `[N, d1, …]`.
 * Backward: `dx_y = −dL·w_y` (divided as the mean), zero elsewhere.
 * Throws on NaN/±Infinity input, naming the first bad position.
 */
export function nllLoss(logProbs: Tensor, labels: Labels, options?: Reduction | NllLossOptions): Tensor {
  const where = 'nllLoss';
  const o = checkOptions(where, lossOptions(options), classLossOptionTypes);
  const layout = classLayout(logProbs, 'log-probabilities', where);
  const { c, s } = layout;
  const { coef, denominator } = classWeights(logProbs, layout, labels, { weight: o.weight ?? null, ignoreIndex: o.ignoreIndex ?? -100, labelSmoothing: 0, allowProbabilities: false }, where);
  checkFinite(logProbs, 'log-probabilities', where);
  const losses = nllLossForward(logProbs.data, coef, c, s);
  const { output, upstream } = reduceLoss(losses, layout.positions, o.reduction ?? 'mean', denominator);
  return recordOp(output, where, [logProbs], (g) => {
    const gx = nllLossBackward(coef, c, s, (p) => upstream(g, p));
    return [gx];
  });
}
