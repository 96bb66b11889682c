import { gradientBuffer } from '../gradient-buffers.js';

// Batch normalization of x `[n, c, hw]` per channel. A sum over a channel runs in four lanes:
// position j of every plane into lane j mod 4, planes in order, then (lane 0 + lane 1) + (lane 2 +
// lane 3), so that the WebAssembly kernels (assembly/batch-norm2d.ts) add two lanes at a time in
// the same order and give the same bits.

/** Four lane sums per channel: `lanes[4·ch + (j mod 4)]` (see above). */
const laneTotal = (lanes: Float64Array, ch: number): number => (lanes[4 * ch]! + lanes[4 * ch + 1]!) + (lanes[4 * ch + 2]! + lanes[4 * ch + 3]!);

/** One batch-norm forward over `[n, c, hw]`: what it reads and, per channel, what it writes. */
export interface BatchNormForwardArgs {
  readonly n: number;
  readonly c: number;
  readonly hw: number;
  /** Normalize with the batch's own mean and variance (written into mean and variance) or with the given ones. */
  readonly training: boolean;
  /** Added to the variance under the square root. */
  readonly eps: number;
  /** Per channel: written when training, read otherwise. */
  readonly mean: Float64Array;
  /** The biased variance per channel: written when training, read otherwise. */
  readonly variance: Float64Array;
  /** Written: `1/√(variance + eps)` per channel. */
  readonly invStd: Float64Array;
  /** Scale and shift `[c]`, or null for 1 and 0. */
  readonly gamma: Float32Array | null;
  readonly beta: Float32Array | null;
  /** Apply `max(y, 0)` to the result. */
  readonly relu: boolean;
  /** Written: the normalized input `x̂ = (x − mean)·invStd`; null when the backward will not need it. */
  readonly xHat: Float32Array | null;
  /** Written: `y = γ·x̂ + β` (rectified when `relu`); null: over the input. */
  readonly y: Float32Array | null;
}

/** Per channel: `mean = Σ x / m` and the biased `variance = Σ (x − mean)² / m`, `m = n·hw` (written into the arguments). */
export function channelMoments(v: Float32Array, n: number, c: number, hw: number, mean: Float64Array, variance: Float64Array): void {
  const m = n * hw;
  const sums = new Float64Array(4 * c);
  const squares = new Float64Array(4 * c);
  for (let ch = 0; ch < c; ch++) {
    for (let b = 0; b < n; b++) for (let j = 0, k = (b * c + ch) * hw; j < hw; j++) sums[4 * ch + (j & 3)] += v[k + j]!;
    const mu = laneTotal(sums, ch) / m;
    for (let b = 0; b < n; b++) {
      for (let j = 0, k = (b * c + ch) * hw; j < hw; j++) {
        const d = v[k + j]! - mu;
        squares[4 * ch + (j & 3)] += d * d;
      }
    }
    mean[ch] = mu;
    variance[ch] = laneTotal(squares, ch) / m;
  }
}

/** `invStd[ch] = 1/√(variance[ch] + eps)`. */
export function inverseStd(variance: Float64Array, eps: number, invStd: Float64Array): void {
  for (let ch = 0; ch < variance.length; ch++) invStd[ch] = 1 / Math.sqrt(variance[ch]! + eps);
}

/**
 * The batch statistics of `v` when training ({@link channelMoments}), `invStd`, then per channel
 * `x̂ = (x − mean)·invStd` and `y = γ·x̂ + β` (γ = 1, β = 0 when null), rectified when `relu`.
 */
export function batchNormForward(v: Float32Array, a: BatchNormForwardArgs): void {
  const { n, c, hw, mean, invStd, gamma, beta, relu, xHat } = a;
  const y = a.y ?? v;
  if (a.training) channelMoments(v, n, c, hw, mean, a.variance);
  inverseStd(a.variance, a.eps, invStd);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const scale = gamma === null ? 1 : gamma[ch]!;
      const shift = beta === null ? 0 : beta[ch]!;
      for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) {
        const xh = (v[k]! - mean[ch]!) * invStd[ch]!;
        const out = Math.fround(xh * scale + shift);
        if (xHat !== null) xHat[k] = xh;
        y[k] = relu && out < 0 ? 0 : out;
      }
    }
  }
}

/**
 * With `ĝ = dy`, or `ĝ = reluOut ≤ 0 ? 0 : dy` when the ReLU's output `reluOut` is given (its
 * backward, as reluBackward): `dx = γ·invStd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))` per channel in training
 * (the batch statistics depend on x), `γ·invStd·ĝ` in eval; also `Σ ĝ` and `Σ ĝ·x̂` per channel
 * (the gradients of β and γ).
 */
export function batchNorm2dBackward(
  g: Float32Array, xHat: Float32Array, reluOut: Float32Array | null, n: number, c: number, hw: number, invStd: Float64Array,
  gamma: Float32Array | null, training: boolean,
): { gx: Float32Array; sumG: Float64Array; sumGXHat: Float64Array } {
  const m = n * hw;
  const gLanes = new Float64Array(4 * c);
  const gxLanes = new Float64Array(4 * c);
  const masked = (k: number): number => (reluOut !== null && reluOut[k]! <= 0 ? 0 : g[k]!);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let j = 0, k = (b * c + ch) * hw; j < hw; j++) {
        const gk = masked(k + j);
        gLanes[4 * ch + (j & 3)] += gk;
        gxLanes[4 * ch + (j & 3)] += gk * xHat[k + j]!;
      }
    }
  }
  const sumG = Float64Array.from({ length: c }, (_, ch) => laneTotal(gLanes, ch));
  const sumGXHat = Float64Array.from({ length: c }, (_, ch) => laneTotal(gxLanes, ch));
  const gx = gradientBuffer(g.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const k0 = gamma === null ? invStd[ch]! : gamma[ch]! * invStd[ch]!;
      const meanG = training ? sumG[ch]! / m : 0;
      const meanGXHat = training ? sumGXHat[ch]! / m : 0;
      for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) gx[k] = k0 * (masked(k) - meanG - xHat[k]! * meanGXHat);
    }
  }
  return { gx, sumG, sumGXHat };
}
