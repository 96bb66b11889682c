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
 * result is kept) and normalized there.
 */
export function conv2dBatchNormForward(conv: Conv2dCall, norm: BatchNormForwardArgs, pool: MaxPoolCall | null): void {
  const g = conv.geometry;
  const y = norm.y ?? new Float32Array(g.batch * g.outChannels * g.outH * g.outW);
  conv2dForward(conv.x, conv.weight, conv.bias, g, y);
  batchNormForward(y, { ...norm, y });
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

/** What batch norm's backward inside a fused block needs from its forward. */
export interface BatchNormSaved {
  readonly xHat: Float32Array;
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
  const { gx, sumG, sumGXHat } = norm.pool !== null
    ? batchNormPoolBackward(g, norm.pool, norm.xHat, norm.invStd, norm.gamma, norm.training)
    : batchNorm2dBackward(g, norm.xHat, norm.reluOut, batch, outChannels, outH * outW, norm.invStd, norm.gamma, norm.training);
  const grads = conv2dBackward(gx, conv.x, conv.weight, conv.geometry, conv.need);
  recycleGradient(gx);
  return { conv: grads, sumG, sumGXHat };
}
