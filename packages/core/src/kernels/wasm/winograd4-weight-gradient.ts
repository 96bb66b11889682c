import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import { overwrittenGradientBuffer } from '../../gradient-buffers.js';
import { writeShape } from './conv-shape.js';
import { WINOGRAD_POSITIONS } from './winograd.js';
import { READ_SLACK, type GradientInMemory } from './conv2d.js';

/**
 * `dW` and `db` of a 3×3 stride-1 conv `g` (one group, no dilation) by Winograd F(4×4, 3×3)
 * (assembly/winograd4-weight-gradient.ts): dy (copied in, resetting the arena, or already in
 * memory: then allocating after what the arena holds) and x interleaved four channels at a time
 * on planes of whole 4×4 tiles, transformed image by image (`Ŷ = D·A·dY·Aᵀ·D`, `V = Bᵀ·d·B`), then
 * per block of 8 output channels `dW = G′ᵀ·(Σ_tiles Ŷ ⊙ V)·G′` with all 36 products of a block of
 * channels reduced in a per-thread buffer, so that nothing is summed across threads: the result
 * does not depend on the thread count. dW goes straight into `resident` when given (an array of
 * ResidentGradients), else it is read out. Leaves dy in memory at `dyp` (with READ_SLACK bytes of
 * slack) until the next reset. NOT_HANDLED when out of memory.
 */
export function winograd4WeightGradients(
  kernels: WasmKernels, dy: Float32Array | GradientInMemory, x: Float32Array, g: Conv2dGeometry, resident: Float32Array | null,
): { dw: Float32Array; db: Float32Array; dyp: number } | NotHandled {
  const { runtime, pool } = kernels;
  const e = runtime.exports;
  const copied = dy instanceof Float32Array;
  if (copied) runtime.reset();
  const [th, tw] = [Math.ceil(g.outH / 4), Math.ceil(g.outW / 4)];
  const [hs, ws] = [4 * th + 2, 4 * tw + 2];
  const shape = writeShape(kernels, g);
  const dyp = copied ? runtime.alloc(dy.length * 4 + READ_SLACK) : dy.at;
  const xp = runtime.alloc(x.length * 4);
  const dyi = runtime.alloc(g.batch * Math.ceil(g.outChannels / 4) * 16 * 16 * th * tw);
  const xi = runtime.alloc(g.batch * Math.ceil(g.inChannels / 4) * 16 * hs * ws);
  const u = shape < 0 ? -1 : runtime.alloc(e.winograd4WeightGradientsFloats(shape) * 4);
  const v = shape < 0 ? -1 : runtime.alloc(e.winograd4WeightInputsFloats(shape) * 4);
  const stride = shape < 0 ? 0 : e.winograd4WeightScratch(shape);
  const scratch = runtime.alloc(stride * pool.size);
  const taps = g.inChannels * 9;
  const residentAt = resident === null ? -1 : runtime.addressOf(resident);
  // dW then db, or only db when dW goes to the resident array.
  const dbp = runtime.alloc((residentAt >= 0 ? g.outChannels : g.outChannels * taps + g.outChannels) * 4);
  const dwp = residentAt >= 0 ? residentAt : dbp;
  const sums = residentAt >= 0 ? dbp : dbp + g.outChannels * taps * 4;
  if (Math.min(shape, dyp, xp, dyi, xi, u, v, scratch, dbp) < 0) return NOT_HANDLED;
  if (copied) runtime.write(dyp, dy);
  runtime.write(xp, x);
  const { top, left } = g.padding;
  const tiles = g.batch * th * tw;
  pool.run('interleaveChunk', g.batch, [dyp, g.outChannels, g.outH, g.outW, 0, 0, dyi, 4 * th, 4 * tw], dy.length);
  pool.run('interleaveChunk', g.batch, [xp, g.inChannels, g.inH, g.inW, top, left, xi, hs, ws], x.length);
  pool.run('winograd4WeightTransformChunk', g.batch, [shape, dyi, xi, u, v, scratch, stride], (g.outChannels + g.inChannels) * tiles * WINOGRAD_POSITIONS['4x4'] * 4);
  pool.run('winograd4WeightChunk', e.winograd4WeightChunks(shape), [shape, dyp, u, v, dwp, sums, scratch, stride], g.outChannels * g.inChannels * tiles * WINOGRAD_POSITIONS['4x4']);
  const dw = resident ?? overwrittenGradientBuffer(g.outChannels * taps);
  const db = overwrittenGradientBuffer(g.outChannels);
  if (dwp !== residentAt) runtime.read(dwp, dw);
  runtime.read(sums, db);
  return { dw, db, dyp };
}
