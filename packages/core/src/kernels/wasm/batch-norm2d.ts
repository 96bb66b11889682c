import { overwrittenGradientBuffer } from '../../gradient-buffers.js';
import type { WasmKernels } from '../backend.js';
import { inverseStd, type BatchNormForwardArgs } from '../batch-norm2d.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

// Batch normalization on the WebAssembly kernels, one channel per chunk (assembly/batch-norm2d.ts):
// the same float64 arithmetic in the same order as the TypeScript reference, so the same bits.

/**
 * Batch norm of the `n·c·hw` floats at address `xp` (see {@link BatchNormForwardArgs}): the batch
 * statistics when training, then `y` written at `yp` (which may be `xp`) and, when `xHat` (by
 * default: when `a.xHat` is not null), `x̂` at a fresh address (or at `xHat` when it is one),
 * returned (0 otherwise); the per-channel arrays of `a` are
 * filled as the reference fills them, `a.xHat` and `a.y` are left to the caller. Allocates in the
 * arena after what the caller allocated.
 */
export function batchNormInMemory(kernels: WasmKernels, xp: number, yp: number, a: BatchNormForwardArgs, xHat: boolean | number = a.xHat !== null): number | NotHandled {
  const { runtime, pool } = kernels;
  const { n, c, hw, gamma, beta } = a;
  const size = n * c * hw;
  const hp = typeof xHat === 'number' ? xHat : xHat ? runtime.alloc(size * 4) : 0;
  const [mp, vp, sp] = [0, 1, 2].map(() => runtime.alloc(c * 8)) as [number, number, number];
  const gp = gamma === null ? 0 : runtime.alloc(c * 4);
  const bp = beta === null ? 0 : runtime.alloc(c * 4);
  if (Math.min(hp, mp, vp, sp, gp, bp) < 0) return NOT_HANDLED;
  if (a.training) {
    pool.run('channelMomentsChunk', c, [xp, n, c, hw, mp, vp], size);
    runtime.readDoubles(mp, a.mean);
    runtime.readDoubles(vp, a.variance);
  } else runtime.writeDoubles(mp, a.mean);
  inverseStd(a.variance, a.eps, a.invStd);
  runtime.writeDoubles(sp, a.invStd);
  if (gamma !== null) runtime.write(gp, gamma);
  if (beta !== null) runtime.write(bp, beta);
  pool.run('batchNorm2dForwardChunk', c, [xp, n, c, hw, mp, sp, gp, bp, a.relu ? 1 : 0, hp, yp], size);
  return hp;
}

/** The batch-norm forward of `v` (see {@link BatchNormForwardArgs}); NOT_HANDLED when it does not fit in memory. */
export function batchNormForwardWasm(kernels: WasmKernels, v: Float32Array, a: BatchNormForwardArgs): void | NotHandled {
  const { runtime } = kernels;
  runtime.reset();
  const xp = runtime.alloc(v.length * 4);
  if (xp < 0) return NOT_HANDLED;
  runtime.write(xp, v);
  const hp = batchNormInMemory(kernels, xp, xp, a);
  if (hp === NOT_HANDLED) return NOT_HANDLED;
  runtime.read(xp, a.y ?? v);
  if (a.xHat !== null) runtime.read(hp, a.xHat);
}

/** Batch norm's backward results: the input gradient and the per-channel sums `Σ ĝ`, `Σ ĝ·x̂`. */
export interface BatchNormGradients {
  readonly gx: Float32Array;
  readonly sumG: Float64Array;
  readonly sumGXHat: Float64Array;
}

/**
 * Batch norm's backward on the gradient at `dyp` and `x̂` at `hp` (ĝ masked by the ReLU output at
 * `rp` unless 0), the input gradient written over the gradient, where it stays; returns the sums.
 * Allocates in the arena after what the caller allocated.
 */
export function batchNormBackwardSums(
  kernels: WasmKernels, dyp: number, hp: number, rp: number, n: number, c: number, hw: number, invStd: Float64Array,
  gamma: Float32Array | null, training: boolean,
): { readonly sumG: Float64Array; readonly sumGXHat: Float64Array } | NotHandled {
  const { runtime, pool } = kernels;
  const gp = gamma === null ? 0 : runtime.alloc(c * 4);
  const [sp, sgp, sgxp] = [0, 1, 2].map(() => runtime.alloc(c * 8)) as [number, number, number];
  if (Math.min(gp, sp, sgp, sgxp) < 0) return NOT_HANDLED;
  runtime.writeDoubles(sp, invStd);
  if (gamma !== null) runtime.write(gp, gamma);
  pool.run('batchNorm2dBackwardChunk', c, [dyp, hp, rp, n, c, hw, sp, gp, training ? 1 : 0, dyp, sgp, sgxp], n * c * hw);
  const sumG = new Float64Array(c);
  const sumGXHat = new Float64Array(c);
  runtime.readDoubles(sgp, sumG);
  runtime.readDoubles(sgxp, sumGXHat);
  return { sumG, sumGXHat };
}

/** {@link batchNormBackwardSums}, the input gradient then read out of memory. */
export function batchNormBackwardInMemory(
  kernels: WasmKernels, dyp: number, hp: number, rp: number, n: number, c: number, hw: number, invStd: Float64Array,
  gamma: Float32Array | null, training: boolean,
): BatchNormGradients | NotHandled {
  const sums = batchNormBackwardSums(kernels, dyp, hp, rp, n, c, hw, invStd, gamma, training);
  if (sums === NOT_HANDLED) return NOT_HANDLED;
  const gx = overwrittenGradientBuffer(n * c * hw);
  kernels.runtime.read(dyp, gx);
  return { gx, ...sums };
}

/** The gradients of batch normalization (ĝ masked by the ReLU's output when given). */
export function batchNorm2dBackwardWasm(
  kernels: WasmKernels, g: Float32Array, xHat: Float32Array, reluOut: Float32Array | null, n: number, c: number, hw: number,
  invStd: Float64Array, gamma: Float32Array | null, training: boolean,
): BatchNormGradients | NotHandled {
  const { runtime } = kernels;
  runtime.reset();
  const [dyp, hp] = [0, 1].map(() => runtime.alloc(g.length * 4)) as [number, number];
  const rp = reluOut === null ? 0 : runtime.alloc(g.length * 4);
  if (Math.min(dyp, hp, rp) < 0) return NOT_HANDLED;
  runtime.write(dyp, g);
  runtime.write(hp, xHat);
  if (reluOut !== null) runtime.write(rp, reluOut);
  return batchNormBackwardInMemory(kernels, dyp, hp, rp, n, c, hw, invStd, gamma, training);
}
