// Class losses over scores `[N, C, S]` (S = d1·…, 1 for `[N, C]`): class k of position p
// (p = n·S + j) sits at `base(p) + k·S`. `coef` holds each score's weight in the loss (the label's
// class weight, spread by label smoothing, or the target probability times the class weight).
import { gradientBuffer } from '../gradient-buffers.js';

/** Index of class 0 of position `p`. */
const base = (p: number, c: number, s: number): number => Math.floor(p / s) * c * s + (p % s);

/** What the cross-entropy's backward reuses: per position, log Σ e^x, Σ_k coef_k and the loss. */
export interface CrossEntropyForward {
  readonly lse: Float64Array;
  readonly coefSum: Float64Array;
  readonly losses: Float64Array;
}

/**
 * Per position: `lse = m + log Σ_k e^{x_k − m}` (m the maximum), `loss = Σ_k coef_k·(lse − x_k)`
 * (terms with coef 0 skipped), and `Σ_k coef_k`.
 */
export function crossEntropyForward(v: Float32Array, coef: Float64Array, c: number, s: number): CrossEntropyForward {
  const positions = v.length / c;
  const lse = new Float64Array(positions);
  const coefSum = new Float64Array(positions);
  const losses = new Float64Array(positions);
  for (let p = 0; p < positions; p++) {
    const b = base(p, c, s);
    let m = -Infinity;
    for (let k = 0; k < c; k++) m = Math.max(m, v[b + k * s]!);
    let e = 0;
    for (let k = 0; k < c; k++) e += Math.exp(v[b + k * s]! - m);
    lse[p] = m + Math.log(e);
    let loss = 0;
    let total = 0;
    for (let k = 0; k < c; k++) {
      const a = coef[b + k * s]!;
      total += a;
      if (a !== 0) loss += a * (lse[p]! - v[b + k * s]!);
    }
    coefSum[p] = total;
    losses[p] = loss;
  }
  return { lse, coefSum, losses };
}

/** Probability targets' gradient: label smoothing ε and the class weights (null: all 1). */
export interface ProbabilityGradient {
  readonly eps: number;
  readonly weight: Float32Array | null;
}

/**
 * `dx_k = up_p·(softmax_k·Σ_j coef_j − coef_k)` and, when `target` is given,
 * `dt_k = −up_p·(1 − ε)·w_k·(x_k − lse)`; `up(p)` is the gradient reaching position p.
 */
export function crossEntropyBackward(
  v: Float32Array, coef: Float64Array, c: number, s: number, forward: CrossEntropyForward,
  up: (p: number) => number, target: ProbabilityGradient | null,
): { gx: Float32Array; gt: Float32Array | null } {
  const { lse, coefSum } = forward;
  const gx = gradientBuffer(v.length);
  const gt = target === null ? null : new Float32Array(v.length);
  const w = target?.weight ?? undefined;
  const eps = target?.eps ?? 0;
  for (let p = 0; p < v.length / c; p++) {
    const b = base(p, c, s);
    const u = up(p);
    for (let k = 0; k < c; k++) {
      const q = b + k * s;
      gx[q] = u * (Math.exp(v[q]! - lse[p]!) * coefSum[p]! - coef[q]!);
      if (gt !== null) gt[q] = -u * (1 - eps) * (w === undefined ? 1 : w[k]!) * (v[q]! - lse[p]!);
    }
  }
  return { gx, gt };
}

/** `loss_p = −Σ_k coef_k·x_k` over the classes with coef ≠ 0. */
export function nllLossForward(v: Float32Array, coef: Float64Array, c: number, s: number): Float64Array {
  const positions = v.length / c;
  const losses = new Float64Array(positions);
  for (let p = 0; p < positions; p++) {
    const b = base(p, c, s);
    for (let k = 0; k < c; k++) if (coef[b + k * s] !== 0) losses[p] -= coef[b + k * s]! * v[b + k * s]!;
  }
  return losses;
}

/** `dx_k = −up_p·coef_k` where coef ≠ 0, else 0. */
export function nllLossBackward(coef: Float64Array, c: number, s: number, up: (p: number) => number): Float32Array {
  const gx = new Float32Array(coef.length);
  for (let p = 0; p < coef.length / c; p++) {
    const b = base(p, c, s);
    const u = up(p);
    for (let k = 0; k < c; k++) if (coef[b + k * s] !== 0) gx[b + k * s] = -u * coef[b + k * s]!;
  }
  return gx;
}
