import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

/** Transformed positions of one F(2×2, 3×3) tile. */
const XI = 16;

/**
 * The Winograd F(2×2, 3×3) forward (assembly/winograd.ts) of a call whose ConvShape is at `shape`,
 * input at `xp`, weights at `wp`, bias at `bp` (0 for none), into `yp`: transforms the weights,
 * copies the input into the zero-bordered buffer that holds every 4×4 patch, then runs the tiles
 * in chunks of tile rows. Returns yp, or NOT_HANDLED when memory is exhausted.
 */
export function winogradIntoMemory(
  { runtime, pool }: WasmKernels, shape: number, xp: number, wp: number, bp: number, yp: number, g: Conv2dGeometry, relu: number, work: number,
): number | NotHandled {
  const e = runtime.exports;
  const hs = e.winogradPaddedHeight(shape);
  const ws = e.winogradPaddedWidth(shape);
  const upack = runtime.alloc(XI * Math.ceil(g.outChannels / 4) * 4 * g.inChannels * 4);
  const src = runtime.alloc(g.batch * g.inChannels * hs * ws * 4);
  const stride = e.winogradForwardScratch(shape);
  const scratch = runtime.alloc(stride * pool.size);
  if (Math.min(upack, src, scratch) < 0) return NOT_HANDLED;
  pool.run('packWinogradWeightsChunk', e.packWinogradWeightsChunks(shape), [shape, wp, upack], XI * g.outChannels * g.inChannels);
  pool.run('padImagesChunk', e.padImagesChunks(shape), [shape, xp, src, hs, ws], g.batch * g.inChannels * hs * ws);
  pool.run('winogradForwardChunk', e.winogradForwardChunks(shape), [shape, src, hs, ws, upack, bp, yp, scratch, stride, relu], work);
  return yp;
}
