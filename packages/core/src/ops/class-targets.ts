import { fail, formatShape } from '../errors.js';
import { Tensor, type Shape } from '../tensor.js';
import { formatIndex } from './finite.js';

/**
 * Class targets of a classification loss: integer labels (an array with one label per sample, or a
 * Tensor of shape `[N, d1, …]` holding integers), or — for {@link crossEntropy} — class
 * probabilities, a Tensor of the input's shape `[N, C, d1, …]`.
 */
export type Labels = Int32Array | readonly number[] | Tensor;

/** An input `[N, C, d1, …]` seen as `[n, c, s]` (s = d1·d2·…, 1 without spatial dimensions). */
export interface ClassLayout {
  readonly n: number;
  readonly c: number;
  readonly s: number;
  /** The per-position shape `[N, d1, …]` (the output of reduction 'none'). */
  readonly positions: Shape;
}

/** Checks an input of shape `[N, C]` or `[N, C, d1, …]`; `arg` names it in errors. */
export function classLayout(input: Tensor, arg: string, where: string): ClassLayout {
  if (input.rank < 2) fail(where, `expected ${arg} of shape [N, C] or [N, C, d1, …], got ${formatShape(input.shape)}`);
  const [n, c, ...rest] = input.shape as [number, number, ...number[]];
  if (n === 0 || c === 0) fail(where, `expected at least one sample and one class, got ${arg} shape ${formatShape(input.shape)}`);
  return { n, c, s: rest.reduce((p, d) => p * d, 1), positions: [n, ...rest] };
}

/** How each position's loss weighs the classes, and what the mean divides by. */
export interface ClassWeights {
  /**
   * `coef[(i·C + k)·S + j]`: the weight of class k in the loss of position (i, j), so that the
   * loss there is `−Σ_k coef_k · logp_k` (cross-entropy: logp = log-softmax of the input; NLL: the input).
   */
  readonly coef: Float64Array;
  /** PyTorch's 'mean' denominator: Σ of w[y] over positions not ignored (labels), N·S (probabilities). */
  readonly denominator: number;
  /** The probability targets, when the target is a Tensor of the input's shape; null for labels. */
  readonly probabilities: Tensor | null;
}

/** The class weights and smoothing of {@link classWeights}. */
export interface ClassWeightOptions {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  readonly allowProbabilities: boolean;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Checks the target against the input's layout and builds the per-class coefficients:
 * labels y (ε = labelSmoothing, w = weight or 1): `coef_k = (1−ε)·w_y·[k = y] + ε/C·w_k`, 0 where
 * `y = ignoreIndex`; probabilities t: `coef_k = w_k·((1−ε)·t_k + ε/C)` (PyTorch's cross_entropy).
 */
export function classWeights(input: Tensor, layout: ClassLayout, target: Labels, options: ClassWeightOptions, where: string): ClassWeights {
  const { n, c, s, positions } = layout;
  const { weight, ignoreIndex, labelSmoothing: eps } = options;
  if (weight !== null) {
    if (weight.rank !== 1 || weight.shape[0] !== c) fail(where, `expected weight of shape [${c}] (one per class), got ${formatShape(weight.shape)}`);
  }
  const w = (k: number): number => (weight === null ? 1 : weight.data[k]!);
  const coef = new Float64Array(n * c * s);
  if (target instanceof Tensor && sameShape(target.shape, input.shape)) {
    if (!options.allowProbabilities) fail(where, `expected integer labels of shape ${formatShape(positions)}, got a Tensor of the ` +
      `input's shape ${formatShape(target.shape)} (class probabilities need crossEntropy)`);
    if (ignoreIndex !== -100) fail(where, `ignoreIndex cannot be used with class-probability targets, got ignoreIndex ${ignoreIndex}`);
    const t = target.data;
    for (let q = 0; q < coef.length; q++) coef[q] = w(Math.floor(q / s) % c) * ((1 - eps) * t[q]! + eps / c);
    return { coef, denominator: n * s, probabilities: target };
  }
  let labels: ArrayLike<number>;
  if (target instanceof Tensor) {
    if (!sameShape(target.shape, positions)) {
      fail(where, `expected labels of shape ${formatShape(positions)} or class probabilities of shape ${formatShape(input.shape)}, got ${formatShape(target.shape)}`);
    }
    labels = target.data;
  } else {
    if (target.length !== n * s) fail(where, s === 1 ? `expected ${n} labels (one per sample), got ${target.length}` : `expected ${n * s} labels (one per position of ` +
      `${formatShape(positions)}), got ${target.length}`);
    labels = target;
  }
  let denominator = 0;
  for (let p = 0; p < n * s; p++) {
    const y = labels[p]!;
    if (y === ignoreIndex) continue;
    if (!Number.isInteger(y) || y < 0 || y >= c) {
      const at = positions.length === 1 ? `${p}` : `at ${formatIndex(p, positions)}`;
      fail(where, `label ${at} is ${y}, expected an integer in [0, ${c - 1}]${ignoreIndex === -100 ? '' : ` or ignoreIndex ${ignoreIndex}`}`);
    }
    const i = Math.floor(p / s);
    const j = p % s;
    denominator += w(y);
    coef[(i * c + y) * s + j] += (1 - eps) * w(y);
    if (eps > 0) for (let k = 0; k < c; k++) coef[(i * c + k) * s + j] += (eps / c) * w(k);
  }
  return { coef, denominator, probabilities: null };
}
