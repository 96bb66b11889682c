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
 * The Winograd F(m×m, 3×3) forward of a call whose ConvShape is at `shape`, input at `xp`,
 * transformed weights at `upack`, bias at `bp` (0 for none), into `yp`: copies the input into the
 * zero-bordered buffer that holds every (m + 2)×(m + 2) patch, then runs the tiles in chunks of
 * tile rows. Returns yp, or NOT_HANDLED when memory is exhausted.
 */
export function winogradIntoMemory(
  { runtime, pool }: WasmKernels, tile: WinogradTile, shape: number, xp: number, upack: number, bp: number, yp: number, g: Conv2dGeometry, relu: number, work: number,
): number | NotHandled {
  const e = runtime.exports;
  const [hs, ws, stride, chunks] = tile === '2x2'
    ? [e.winogradPaddedHeight(shape), e.winogradPaddedWidth(shape), e.winogradForwardScratch(shape), e.winogradForwardChunks(shape)]
    : [e.winograd4PaddedHeight(shape), e.winograd4PaddedWidth(shape), e.winograd4ForwardScratch(shape), e.winograd4ForwardChunks(shape)];
  const src = runtime.alloc(g.batch * g.inChannels * hs * ws * 4);
  const scratch = runtime.alloc(stride * pool.size);
  if (Math.min(src, scratch) < 0) return NOT_HANDLED;
  pool.run('padImagesChunk', e.padImagesChunks(shape), [shape, xp, src, hs, ws], g.batch * g.inChannels * hs * ws);
  pool.run(tile === '2x2' ? 'winogradForwardChunk' : 'winograd4ForwardChunk', chunks, [shape, src, hs, ws, upack, bp, yp, scratch, stride, relu], work);
  return yp;
}
