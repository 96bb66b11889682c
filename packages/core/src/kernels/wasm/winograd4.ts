import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

/** Transformed positions of one F(4×4, 3×3) tile: the transformed weights are `[36][⌈C_out/4⌉·4][C_in]` floats. */
export const WINOGRAD4_POSITIONS = 36;

/**
 * The Winograd F(4×4, 3×3) forward (assembly/winograd4.ts) of a call whose ConvShape is at `shape`,
 * input at `xp`, transformed weights at `upack` (packWinograd4WeightsChunk), bias at `bp` (0 for
 * none), into `yp`: copies the input into the zero-bordered buffer that holds every 6×6 patch,
 * then runs the tiles in chunks of tile rows. Returns yp, or NOT_HANDLED when memory is exhausted.
 */
export function winograd4IntoMemory(
  { runtime, pool }: WasmKernels, shape: number, xp: number, upack: number, bp: number, yp: number, g: Conv2dGeometry, relu: number, work: number,
): number | NotHandled {
  const e = runtime.exports;
  const hs = e.winograd4PaddedHeight(shape);
  const ws = e.winograd4PaddedWidth(shape);
  const src = runtime.alloc(g.batch * g.inChannels * hs * ws * 4);
  const stride = e.winograd4ForwardScratch(shape);
  const scratch = runtime.alloc(stride * pool.size);
  if (Math.min(src, scratch) < 0) return NOT_HANDLED;
  pool.run('padImagesChunk', e.padImagesChunks(shape), [shape, xp, src, hs, ws], g.batch * g.inChannels * hs * ws);
  pool.run('winograd4ForwardChunk', e.winograd4ForwardChunks(shape), [shape, src, hs, ws, upack, bp, yp, scratch, stride, relu], work);
  return yp;
}
