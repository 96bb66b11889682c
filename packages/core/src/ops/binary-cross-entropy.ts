import { fail, formatShape } from '../errors.js';
import { checkOptions, opt } from '../options.js';
import { Tensor } from '../tensor.js';
import { lossOptions } from './cross-entropy.js';
import { formatIndex } from './finite.js';
import { broadcastIndex, pointwiseLoss } from './pointwise-loss.js';
import { reductionOption, type Reduction } from './reduction.js';

/** Options of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyOptions {
  /** Default 'mean'. */
  readonly reduction?: Reduction;
  /** Per-element weights, broadcast to the input's shape. Default none. */
  readonly weight?: Tensor | null;
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight p of the positive term, per class (broadcast from the last dimension, e.g. `[C]`). Default none (1). */
  readonly posWeight?: Tensor | null;
}

const tensorOrNull = opt.nullable(opt.instance(Tensor, 'a Tensor'));

/** `w_i` of every element: 1, or the broadcast weight tensor. */
function elementWeights(weight: Tensor | null | undefined, input: Tensor, arg: string, where: string): (i: number) => number {
  if (weight === null || weight === undefined) return () => 1;
  const index = broadcastIndex(weight, input.shape, arg, where);
  const w = weight.data;
  return (i) => w[index[i]!]!;
}

/** PyTorch clamps each log at −100, so that p = 0 or 1 gives a finite loss. */
const clampedLog = (v: number): number => Math.max(Math.log(v), -100);

/**
 * `F.binary_cross_entropy` of probabilities p in [0, 1] against targets t (same shape):
 * `loss = −w·(t·log p + (1 − t)·log(1 − p))`, each log clamped at −100 as in PyTorch.
 * Backward: `dp = w·(p − t) / max(p·(1 − p), 1e-12)`, `dt = w·(log(1 − p) − log p)`.
 * Prefer {@link binaryCrossEntropyWithLogits} on raw scores (stable for any score).
 */
export function binaryCrossEntropy(probabilities: Tensor, target: Tensor, options?: Reduction | BinaryCrossEntropyOptions): Tensor {
  const where = 'binaryCrossEntropy';
  const o = checkOptions(where, lossOptions(options), { reduction: reductionOption, weight: tensorOrNull });
  const p = probabilities.data;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i]! >= 0 && p[i]! <= 1)) fail(where, `expected probabilities in [0, 1], got ${p[i]} at ${formatIndex(i, probabilities.shape)} (input shape ${formatShape(probabilities.shape)})`);
  }
  const w = elementWeights(o.weight, probabilities, 'weight', where);
  return pointwiseLoss(where, probabilities, target, o.reduction ?? 'mean', {
    value: (x, t, i) => -w(i) * (t * clampedLog(x) + (1 - t) * clampedLog(1 - x)),
    dx: (x, t, i) => (w(i) * (x - t)) / Math.max(x * (1 - x), 1e-12),
    dt: (x, _t, i) => w(i) * (clampedLog(1 - x) - clampedLog(x)),
  }, { input: 'probabilities', target: 'target' });
}

/** log(1 + e^{−x}), stable for every x. */
const softplusNeg = (x: number): number => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0);

/**
 * `F.binary_cross_entropy_with_logits`: sigmoid and binary cross-entropy in one stable formula.
 * With l = 1 + (p − 1)·t (p = posWeight): `loss = w·((1 − t)·x + l·log(1 + e^{−x}))`.
 * Backward: `dx = w·((1 − t) − l·σ(−x))` (= w·(σ(x) − t) without posWeight),
 * `dt = w·((p − 1)·log(1 + e^{−x}) − x)`.
 * @example binaryCrossEntropyWithLogits(scores, masks, { posWeight: Tensor.from([3]) })
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor, options?: Reduction | BinaryCrossEntropyWithLogitsOptions): Tensor {
  const where = 'binaryCrossEntropyWithLogits';
  const o = checkOptions(where, lossOptions(options), { reduction: reductionOption, weight: tensorOrNull, posWeight: tensorOrNull });
  const w = elementWeights(o.weight, logits, 'weight', where);
  const hasPos = o.posWeight !== null && o.posWeight !== undefined;
  const pw = hasPos ? elementWeights(o.posWeight, logits, 'posWeight', where) : () => 1;
  const sigmoidNeg = (x: number): number => 1 / (1 + Math.exp(x));
  return pointwiseLoss(where, logits, target, o.reduction ?? 'mean', {
    value: (x, t, i) => w(i) * ((1 - t) * x + (1 + (pw(i) - 1) * t) * softplusNeg(x)),
    dx: (x, t, i) => w(i) * (1 - t - (1 + (pw(i) - 1) * t) * sigmoidNeg(x)),
    dt: (x, _t, i) => w(i) * ((pw(i) - 1) * softplusNeg(x) - x),
  }, { input: 'logits', target: 'target' });
}
