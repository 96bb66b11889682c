import { recordOp } from '../autograd.js';
import { fail } from '../errors.js';
import { crossEntropyBackward, crossEntropyForward } from '../kernels/dispatch.js';
import { checkOptions, opt } from '../options.js';
import { Tensor } from '../tensor.js';
import { classLayout, classWeights, type Labels } from './class-targets.js';
import { checkFinite } from './finite.js';
import { reduceLoss, reductionOption, type Reduction } from './reduction.js';

/** Options of {@link crossEntropy} (PyTorch's `F.cross_entropy` keyword arguments, camelCase). */
export interface CrossEntropyOptions {
  /** Default 'mean' (divided by the total weight of the non-ignored labels). */
  readonly reduction?: Reduction;
  /** Per-class weights `[C]`. Default none (all 1). */
  readonly weight?: Tensor | null;
  /** A label value that contributes nothing (nor to the mean's denominator). Default −100. */
  readonly ignoreIndex?: number;
  /** ε in [0, 1]: the target becomes (1−ε)·target + ε/C. Default 0. */
  readonly labelSmoothing?: number;
}

/** The option types shared by the class losses. */
export const classLossOptionTypes = {
  reduction: reductionOption,
  weight: opt.nullable(opt.instance(Tensor, 'a Tensor')),
  ignoreIndex: opt.integer,
} as const;

/** Normalizes the third argument of a loss: a reduction string (the short form) or an options object. */
export function lossOptions<T extends { readonly reduction?: Reduction }>(options: Reduction | T | undefined): T | undefined {
  return typeof options === 'string' ? ({ reduction: options } as T) : options;
}

/**
 * Cross-entropy of logits `[N, C]` (or `[N, C, d1, …]`, e.g. per-pixel scores `[N, C, H, W]`),
 * like `torch.nn.functional.cross_entropy`, fused with a log-softmax over dim 1 computed around
 * each maximum (large logits are safe). With labels y (an array, or a Tensor `[N, d1, …]`):
 * `loss = −(1−ε)·w_y·logp_y − ε/C·Σ_k w_k·logp_k` (0 where y = ignoreIndex); with class
 * probabilities t (a Tensor of the logits' shape): `loss = −Σ_k w_k·((1−ε)·t_k + ε/C)·logp_k`.
 * Reduction 'mean' divides the sum by Σ w_y over non-ignored labels (by N·d1·… for probabilities),
 * 'none' returns `[N, d1, …]`.
 * Backward: `dx_k = dL·(softmax_k·Σ_j coef_j − coef_k)`, coef_k being the weights above; probability
 * targets get `dt_k = −dL·(1−ε)·w_k·logp_k`. Throws on NaN/±Infinity logits, naming the first bad position.
 * @example crossEntropy(model.call(images), labels).backward()
 * @example crossEntropy(scores, pixelLabels, { ignoreIndex: 255, weight: classWeights })
 */
export function crossEntropy(logits: Tensor, target: Labels, options?: Reduction | CrossEntropyOptions): Tensor {
  const where = 'crossEntropy';
  const o = checkOptions(where, lossOptions(options), { ...classLossOptionTypes, labelSmoothing: opt.number });
  const eps = o.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) fail(where, `labelSmoothing must be in [0, 1], got ${eps}`);
  const layout = classLayout(logits, 'logits', where);
  const { c, s } = layout;
  const weights = classWeights(logits, layout, target, { weight: o.weight ?? null, ignoreIndex: o.ignoreIndex ?? -100, labelSmoothing: eps, allowProbabilities: true }, where);
  checkFinite(logits, 'logits', where);
  const { coef, probabilities } = weights;
  const v = logits.data;
  const forward = crossEntropyForward(v, coef, c, s);
  const { output, upstream } = reduceLoss(forward.losses, layout.positions, o.reduction ?? 'mean', weights.denominator);
  const inputs = probabilities === null ? [logits] : [logits, probabilities];
  return recordOp(output, where, inputs, (g) => {
    const target = probabilities?.requiresGrad === true ? { eps, weight: o.weight?.data ?? null } : null;
    const { gx, gt } = crossEntropyBackward(v, coef, c, s, forward, (p) => upstream(g, p), target);
    return [gx, gt];
  });
}
