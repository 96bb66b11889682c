import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

/** Transformed positions of one F(2×2, 3×3) tile: the transformed weights are `[16][⌈C_out/4⌉·4][C_in]` floats. */
export const WINOGRAD_POSITIONS = 16;

/**
 * The Winograd F(2×2, 3×3) forward (assembly/winograd.ts) of a call whose ConvShape is at `shape`,
 * input at `xp`, transformed weights at `upack` (packWinogradWeightsChunk), bias at `bp` (0 for
 * none), into `yp`: copies the input into the zero-bordered buffer that holds every 4×4 patch,
 * then runs the tiles in chunks of tile rows. Returns yp, or NOT_HANDLED when memory is exhausted.
 */
export function winogradIntoMemory(
  { runtime, pool }: WasmKernels, shape: number, xp: number, upack: number, bp: number, yp: number, g: Conv2dGeometry, relu: number, work: number,
): number | NotHandled {
  const e = runtime.exports;
  const hs = e.winogradPaddedHeight(shape);
  const ws = e.winogradPaddedWidth(shape);
  const src = runtime.alloc(g.batch * g.inChannels * hs * ws * 4);
  const stride = e.winogradForwardScratch(shape);
  const scratch = runtime.alloc(stride * pool.size);
  if (Math.min(src, scratch) < 0) return NOT_HANDLED;
  pool.run('padImagesChunk', e.padImagesChunks(shape), [shape, xp, src, hs, ws], g.batch * g.inChannels * hs * ws);
  pool.run('winogradForwardChunk', e.winogradForwardChunks(shape), [shape, src, hs, ws, upack, bp, yp, scratch, stride, relu], work);
  return yp;
}
