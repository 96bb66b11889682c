import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

// Batch normalization on the WebAssembly kernels, one channel per chunk (assembly/batch-norm2d.ts):
// the same float64 arithmetic in the same order as the TypeScript reference, so the same bits.

/** Allocates float32 and float64 arrays of the given lengths; NOT_HANDLED when memory is exhausted. */
function allocate(
  { runtime }: WasmKernels, floats: readonly number[], doubles: readonly number[],
): { f: number[]; d: number[] } | NotHandled {
  runtime.reset();
  const f = floats.map((length) => runtime.alloc(length * 4));
  const d = doubles.map((length) => runtime.alloc(length * 8));
  return Math.min(...f, ...d) < 0 ? NOT_HANDLED : { f, d };
}

/** Per-channel mean and biased variance of `v` `[n, c, hw]` (written into mean and variance). */
export function channelMomentsWasm(
  kernels: WasmKernels, v: Float32Array, n: number, c: number, hw: number, mean: Float64Array, variance: Float64Array,
): void | NotHandled {
  const at = allocate(kernels, [v.length], [c, c]);
  if (at === NOT_HANDLED) return NOT_HANDLED;
  const { runtime, pool } = kernels;
  const [xp] = at.f as [number];
  const [mp, vp] = at.d as [number, number];
  runtime.write(xp, v);
  pool.run('channelMomentsChunk', c, [xp, n, c, hw, mp, vp], v.length);
  runtime.readDoubles(mp, mean);
  runtime.readDoubles(vp, variance);
}

/** `x̂ = (x − mean)·invStd` and `y = γ·x̂ + β` per channel. */
export function batchNorm2dForwardWasm(
  kernels: WasmKernels, v: Float32Array, n: number, c: number, hw: number, mean: Float64Array, invStd: Float64Array,
  gamma: Float32Array | null, beta: Float32Array | null,
): { xHat: Float32Array; y: Float32Array } | NotHandled {
  const at = allocate(kernels, [v.length, c, c, v.length, v.length], [c, c]);
  if (at === NOT_HANDLED) return NOT_HANDLED;
  const { runtime, pool } = kernels;
  const [xp, gp, bp, hp, yp] = at.f as [number, number, number, number, number];
  const [mp, sp] = at.d as [number, number];
  runtime.write(xp, v);
  runtime.writeDoubles(mp, mean);
  runtime.writeDoubles(sp, invStd);
  if (gamma !== null) runtime.write(gp, gamma);
  if (beta !== null) runtime.write(bp, beta);
  pool.run('batchNorm2dForwardChunk', c, [xp, n, c, hw, mp, sp, gamma === null ? 0 : gp, beta === null ? 0 : bp, hp, yp], v.length);
  const xHat = new Float32Array(v.length);
  const y = new Float32Array(v.length);
  runtime.read(hp, xHat);
  runtime.read(yp, y);
  return { xHat, y };
}

/** The input gradient and the per-channel sums `Σ dy`, `Σ dy·x̂` of batch normalization. */
export function batchNorm2dBackwardWasm(
  kernels: WasmKernels, g: Float32Array, xHat: Float32Array, n: number, c: number, hw: number, invStd: Float64Array,
  gamma: Float32Array | null, training: boolean,
): { gx: Float32Array; sumG: Float64Array; sumGXHat: Float64Array } | NotHandled {
  const at = allocate(kernels, [g.length, g.length, c, g.length], [c, c, c]);
  if (at === NOT_HANDLED) return NOT_HANDLED;
  const { runtime, pool } = kernels;
  const [dyp, hp, gp, dxp] = at.f as [number, number, number, number];
  const [sp, sgp, sgxp] = at.d as [number, number, number];
  runtime.write(dyp, g);
  runtime.write(hp, xHat);
  runtime.writeDoubles(sp, invStd);
  if (gamma !== null) runtime.write(gp, gamma);
  pool.run('batchNorm2dBackwardChunk', c, [dyp, hp, n, c, hw, sp, gamma === null ? 0 : gp, training ? 1 : 0, dxp, sgp, sgxp], g.length);
  const gx = new Float32Array(g.length);
  const sumG = new Float64Array(c);
  const sumGXHat = new Float64Array(c);
  runtime.read(dxp, gx);
  runtime.readDoubles(sgp, sumG);
  runtime.readDoubles(sgxp, sumGXHat);
  return { gx, sumG, sumGXHat };
}
