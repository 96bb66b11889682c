import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

/** The Winograd forwards: F(2×2, 3×3) (assembly/winograd.ts) and F(4×4, 3×3) (assembly/winograd4.ts). */
export type WinogradTile = '2x2' | '4x4';

/**
 * Transformed positions of one tile, (m + 2)² for F(m×m, 3×3): the transformed weights are
 * `[positions][⌈C_out/4⌉·4][C_in]` floats (packWinogradWeightsChunk, packWinograd4WeightsChunk).
 */
export const WINOGRAD_POSITIONS: { readonly [T in WinogradTile]: number } = { '2x2': 16, '4x4': 36 };

/**
 * The Winograd F(m×m, 3×3) forward of a call whose ConvShape is at `shape`, input at `xp` (with
 * READ_SLACK bytes of slack), transformed weights at `upack`, bias at `bp` (0 for none), into
 * `yp`, in chunks of tile rows: F(2×2) first copies the input into a zero-bordered buffer that
 * holds every 4×4 patch; F(4×4) copies the 6 input rows under each row of tiles as it goes.
 * `meanwhile` runs on the calling thread while the workers start (see ThreadPool.run).
 * Returns yp, or NOT_HANDLED when memory is exhausted.
 */
export function winogradIntoMemory(
  { runtime, pool }: WasmKernels, tile: WinogradTile, shape: number, xp: number, upack: number, bp: number, yp: number, g: Conv2dGeometry, relu: number, work: number,
  meanwhile?: () => void,
): number | NotHandled {
  const e = runtime.exports;
  if (tile === '4x4') {
    const stride = e.winograd4ForwardScratch(shape);
    const scratch = runtime.alloc(stride * pool.size);
    if (scratch < 0) return NOT_HANDLED;
    pool.run('winograd4ForwardChunk', e.winograd4ForwardChunks(shape), [shape, xp, upack, bp, yp, scratch, stride, relu], work, meanwhile);
    return yp;
  }
  const [hs, ws] = [e.winogradPaddedHeight(shape), e.winogradPaddedWidth(shape)];
  const stride = e.winogradForwardScratch(shape);
  const src = runtime.alloc(g.batch * g.inChannels * hs * ws * 4);
  const scratch = runtime.alloc(stride * pool.size);
  if (Math.min(src, scratch) < 0) return NOT_HANDLED;
  pool.run('padImagesChunk', e.padImagesChunks(shape), [shape, xp, src, hs, ws], g.batch * g.inChannels * hs * ws);
  pool.run('winogradForwardChunk', e.winogradForwardChunks(shape), [shape, src, hs, ws, upack, bp, yp, scratch, stride, relu], work, meanwhile);
  return yp;
}

/**
 * The Winograd F(4×4, 3×3) forward for weights used once (assembly/winograd4-fresh-weights.ts):
 * the batch's inputs transformed first, then per chunk of output channels the weights at `wp`
 * (`[C_out][C_in][3][3]`, as they are; with `turned` the kernel `[C_in][C_out][3][3]` of the conv
 * whose input gradient this is, read turned) transformed block by block into a per-thread buffer just
 * before the products, instead of all of them into memory first. `meanwhile` runs on the calling
 * thread while the workers start on the products (see ThreadPool.run). Returns yp, or NOT_HANDLED
 * when memory is exhausted.
 */
export function winograd4FreshIntoMemory(
  { runtime, pool }: WasmKernels, shape: number, xp: number, wp: number, turned: boolean, bp: number, yp: number, g: Conv2dGeometry, relu: number, work: number,
  meanwhile?: () => void,
): number | NotHandled {
  const e = runtime.exports;
  const vFloats = e.winograd4InputsFloats(shape);
  const stride = e.winograd4FreshScratch(shape);
  const v = runtime.alloc(vFloats * 4);
  const scratch = runtime.alloc(stride * pool.size);
  if (Math.min(v, scratch) < 0) return NOT_HANDLED;
  pool.run('winograd4InputsChunk', e.winograd4InputsChunks(shape), [shape, xp, v, scratch, stride], g.batch * g.inChannels * g.inH * g.inW * WINOGRAD_POSITIONS['4x4']);
  pool.run('winograd4FreshChunk', e.winograd4FreshChunks(shape), [shape, v, wp, turned ? 1 : 0, bp, yp, scratch, stride, relu], work, meanwhile);
  return yp;
}
