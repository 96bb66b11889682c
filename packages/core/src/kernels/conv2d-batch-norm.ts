import { overwrittenGradientBuffer, recycleGradient } from '../gradient-buffers.js';
import type { Conv2dGeometry } from '../shape/conv-geometry.js';
import type { Pool2dGeometry } from '../shape/pool-geometry.js';
import { batchNorm2dBackward, batchNormForward, type BatchNormForwardArgs } from './batch-norm2d.js';
import { conv2dBackward, conv2dForward, type Conv2dGradients, type GradientsNeeded } from './im2col.js';
import { maxPool2dBackward, maxPool2dForward } from './max-pool2d.js';
import { reluBackward } from './relu.js';

/** The convolution of a fused conv → batch norm (→ ReLU) (→ max pool). */
export interface Conv2dCall {
  readonly x: Float32Array;
  readonly weight: Float32Array;
  readonly bias: Float32Array | null;
  readonly geometry: Conv2dGeometry;
}

/** The max pooling that ends a fused conv → batch norm → ReLU → max pool. */
export interface MaxPoolCall {
  readonly geometry: Pool2dGeometry;
  /** Written: the pooled result. */
  readonly out: Float32Array;
  /** Written: each window's arg-max (its in-plane input index), or null when no backward will need it. */
  readonly argmax: Int32Array | null;
}

/**
 * `batchNorm(conv2d(x, weight) + bias)` (rectified when `norm.relu`, then max-pooled when `pool` is
 * given) with the reference kernels, one after another: what the fused WebAssembly block must
 * equal. The conv's output is written into `norm.y` (a scratch array when null: only the pooled
 * result is kept) and normalized there. With a `recipe` (a backward will run) x̂ is written into a
 * new array, `recipe.values`.
 */
export function conv2dBatchNormForward(conv: Conv2dCall, norm: BatchNormForwardArgs, pool: MaxPoolCall | null, recipe: NormalizedRecipe | null = null): void {
  const g = conv.geometry;
  const y = norm.y ?? new Float32Array(g.batch * g.outChannels * g.outH * g.outW);
  conv2dForward(conv.x, conv.weight, conv.bias, g, y);
  const xHat = recipe === null ? norm.xHat : new Float32Array(y.length);
  batchNormForward(y, { ...norm, y, xHat });
  if (recipe !== null) recipe.values = xHat;
  if (pool === null) return;
  const pooled = maxPool2dForward(y, pool.geometry, pool.argmax !== null);
  pool.out.set(pooled.out);
  if (pool.argmax !== null) pool.argmax.set(pooled.argmax!);
}

/** A fused block's max pooling, as its backward needs it: geometry, result and arg-maxes. */
export interface PooledOutput {
  readonly geometry: Pool2dGeometry;
  /** The pooled values: where ≤ 0 the ReLU before the pooling stopped the gradient (null: no ReLU). */
  readonly out: Float32Array | null;
  readonly argmax: Int32Array;
}

/**
 * The backward of batch norm (→ ReLU) → max pool from the pooled gradient `g`: each window's
 * gradient masked where its pooled value is ≤ 0 (the ReLU's output at the window's arg-max, so
 * the ReLU's own mask there), sent to its arg-max, then batch norm's backward on that
 * (see batchNorm2dBackward). The same arithmetic as the three ops' backwards one by one.
 */
export function batchNormPoolBackward(
  g: Float32Array, pool: PooledOutput, xHat: Float32Array, invStd: Float64Array, gamma: Float32Array | null, training: boolean,
): { gx: Float32Array; sumG: Float64Array; sumGXHat: Float64Array } {
  let masked = g;
  if (pool.out !== null) {
    masked = overwrittenGradientBuffer(g.length);
    reluBackward(pool.out, g, masked);
  }
  const dy = maxPool2dBackward(masked, pool.argmax, pool.geometry);
  if (masked !== g) recycleGradient(masked);
  const { batch, channels, inH, inW } = pool.geometry;
  const gradients = batchNorm2dBackward(dy, xHat, null, batch, channels, inH * inW, invStd, gamma, training);
  recycleGradient(dy);
  return gradients;
}

/**
 * Batch norm's `x̂` of a fused block as its forward left it for the backward: in an array
 * (`values`), held in the backend's memory (`held`), or neither (a second backward after the held
 * block was released): then computed again from the conv's input with the conv's bias and the
 * forward's statistics, `x̂ = (conv2d(x, W) + bias − mean)·invStd` (and `γ·x̂ + β`, rectified when
 * `relu`), bit for bit as the forward wrote them.
 */
export interface NormalizedRecipe {
  readonly bias: Float32Array | null;
  /** The mean and biased variance the forward normalized with (the batch's when training). */
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  readonly eps: number;
  readonly beta: Float32Array | null;
  readonly relu: boolean;
  /** `x̂` in an array, where the forward's backend wrote one (set by the forward), or null. */
  values: Float32Array | null;
  /**
   * `x̂` where the forward's backend kept it for the backward to read in place (the WebAssembly
   * kernels: a block of their memory, see wasm/conv2d-batch-norm.ts), or null.
   * Set by the forward; the first backward reads and releases it, a later one computes x̂ again.
   */
  held: HeldNormalized | null;
}

/** `x̂` kept in a backend's memory at address `at` (and the block's rectified output at `outputAt`, unless 0) until `release()`. */
export interface HeldNormalized {
  readonly at: number;
  readonly outputAt: number;
  readonly released: boolean;
  release(): void;
}

/** What batch norm's backward inside a fused block needs from its forward. */
export interface BatchNormSaved {
  /** `x̂` as the forward left it, or how to compute it again. */
  readonly xHat: NormalizedRecipe;
  readonly invStd: Float64Array;
  readonly gamma: Float32Array | null;
  readonly training: boolean;
  /** The block's pooling (its result masking the gradient when it follows a ReLU), or null. */
  readonly pool: PooledOutput | null;
  /** Without pooling: the ReLU's output, whose `≤ 0` masks the gradient; null for no ReLU. */
  readonly reluOut: Float32Array | null;
}

/** The conv of a fused block, as its backward needs it, and which of its gradients to compute. */
export interface Conv2dBackwardCall {
  readonly x: Float32Array;
  readonly weight: Float32Array;
  readonly geometry: Conv2dGeometry;
  readonly need: GradientsNeeded;
}

/** The gradients of a fused block: the conv's, and batch norm's per-channel sums `Σ ĝ`, `Σ ĝ·x̂` (dβ and dγ). */
export interface Conv2dBatchNormGradients {
  readonly conv: Conv2dGradients;
  readonly sumG: Float64Array;
  readonly sumGXHat: Float64Array;
}

/**
 * The whole backward of conv → batch norm (→ ReLU) (→ max pool) from the gradient `g` of its
 * output: batch norm's (through the pooling and the ReLU's mask, see batchNormPoolBackward and
 * batchNorm2dBackward), then the conv's on the gradient that gives. The reference kernels one
 * after another; the gradient between the two is scratch, given back once the conv has used it.
 */
export function conv2dBatchNormBackward(g: Float32Array, norm: BatchNormSaved, conv: Conv2dBackwardCall): Conv2dBatchNormGradients {
  const { batch, outChannels, outH, outW } = conv.geometry;
  const xHat = norm.xHat.values ?? normalizedAgain(conv, norm.gamma, norm.xHat);
  const { gx, sumG, sumGXHat } = norm.pool !== null
    ? batchNormPoolBackward(g, norm.pool, xHat, norm.invStd, norm.gamma, norm.training)
    : batchNorm2dBackward(g, xHat, norm.reluOut, batch, outChannels, outH * outW, norm.invStd, norm.gamma, norm.training);
  if (xHat !== norm.xHat.values) recycleGradient(xHat);
  const grads = conv2dBackward(gx, conv.x, conv.weight, conv.geometry, conv.need);
  recycleGradient(gx);
  return { conv: grads, sumG, sumGXHat };
}

/** `x̂` computed again as {@link NormalizedRecipe} says, in a scratch buffer from the gradient pool. */
function normalizedAgain(conv: Conv2dBackwardCall, gamma: Float32Array | null, r: NormalizedRecipe): Float32Array {
  const { batch, outChannels, outH, outW } = conv.geometry;
  const y = overwrittenGradientBuffer(batch * outChannels * outH * outW);
  const xHat = overwrittenGradientBuffer(y.length);
  conv2dForward(conv.x, conv.weight, r.bias, conv.geometry, y);
  const { mean, variance, eps, beta, relu } = r;
  batchNormForward(y, { n: batch, c: outChannels, hw: outH * outW, training: false, eps, mean, variance, invStd: new Float64Array(outChannels), gamma, beta, relu, xHat, y: null });
  recycleGradient(y);
  return xHat;
}
