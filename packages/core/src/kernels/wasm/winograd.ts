import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

/** The Winograd forwards: F(2×2, 3×3) (assembly/winograd.ts) and F(4×4, 3×3) (assembly/winograd4.ts). */
export type WinogradTile = '2x2' | '4x4';

/**
 * Transformed positions of one tile, (m + 2)² for F(m×m, 3×3): the transformed weights are
 * `positions·⌈C_out/4⌉·4·C_in` floats (packWinogradWeightsChunk: `[positions][⌈C_out/4⌉·4][C_in]`,
 * packWinograd4WeightsChunk: `[⌈C_out/4⌉][positions][C_in][4]`).
 */
export const WINOGRAD_POSITIONS: { readonly [T in WinogradTile]: number } = { '2x2': 16, '4x4': 36 };

/**
 * An input still to be copied into WebAssembly memory (to `at`, with READ_SLACK bytes of slack
 * after it): F(4×4) copies it image by image on the calling thread while the workers start on the
 * first images' chunks (each chunk waits for its images).
 */
export interface StagedInput {
  readonly values: Float32Array;
  readonly at: number;
}

/**
 * An output to be copied out of WebAssembly memory into `values`: F(4×4) on packed weights copies
 * each image out on the calling thread as soon as the chunks have finished it (between its own
 * chunks and while it waits for the workers' last), counting them in `images`; the caller copies
 * the images from `images` on.
 */
export interface StagedOutput {
  readonly values: Float32Array;
  images: number;
}

/**
 * Copies out of memory the images of `output` from `output.images` on whose count at `done` (one
 * int32 per image, of tile rows × output channels finished) has reached `complete`, in order.
 */
function copyImagesOut(runtime: WasmKernels['runtime'], output: StagedOutput, yp: number, done: Int32Array, complete: number): void {
  const floats = output.values.length / done.length;
  while (output.images < done.length && Atomics.load(done, output.images) === complete) {
    runtime.read(yp + output.images * floats * 4, output.values, output.images * floats, floats);
    output.images++;
  }
}

/**
 * Copies `input` into memory image by image (`images` of them), storing the count copied so far
 * at `ready` after each and waking the chunks that wait on it; the count ends at `images` even if
 * a copy throws, so that no chunk waits for ever.
 */
function copyImagesIn(runtime: WasmKernels['runtime'], input: StagedInput, images: number, ready: Int32Array): void {
  const floats = input.values.length / images;
  try {
    for (let n = 0; n < images; n++) {
      runtime.write(input.at + n * floats * 4, input.values, n * floats, floats);
      Atomics.store(ready, 0, n + 1);
      Atomics.notify(ready, 0);
    }
  } finally {
    Atomics.store(ready, 0, images);
    Atomics.notify(ready, 0);
  }
}

/**
 * The Winograd F(m×m, 3×3) forward of a call whose ConvShape is at `shape`, input at `xp` (with
 * READ_SLACK bytes of slack; with `staged`, not yet there: see {@link StagedInput}), transformed
 * weights at `upack`, bias at `bp` (0 for none), into `yp`, in chunks of tile rows: F(2×2) first
 * copies the input into a zero-bordered buffer that holds every 4×4 patch; F(4×4) copies the 6
 * input rows under each row of tiles as it goes. `meanwhile` runs on the calling thread while the
 * workers start (see ThreadPool.run), after the staged copy; with `output`, F(4×4) copies the
 * images out as they are finished (see {@link StagedOutput}). Returns yp, or NOT_HANDLED when
 * memory is exhausted (the staged input then left uncopied).
 */
export function winogradIntoMemory(
  { runtime, pool }: WasmKernels, tile: WinogradTile, shape: number, xp: number, upack: number, bp: number, yp: number, g: Conv2dGeometry, relu: number, work: number,
  meanwhile?: () => void, staged: StagedInput | null = null, output: StagedOutput | null = null,
): number | NotHandled {
  if ((staged !== null || output !== null) && tile !== '4x4') throw new Error('winogradIntoMemory: only F(4×4) copies a staged input in or its output out');
  const e = runtime.exports;
  if (tile === '4x4') {
    const stride = e.winograd4ForwardScratch(shape);
    const scratch = runtime.alloc(stride * pool.size);
    const ready = staged === null ? 0 : runtime.alloc(4);
    const done = output === null ? 0 : runtime.alloc(4 * g.batch);
    if (Math.min(scratch, ready, done) < 0) return NOT_HANDLED;
    let between: (() => void) | undefined;
    if (output !== null) {
      const counts = new Int32Array(runtime.memory.buffer, done, g.batch).fill(0);
      const complete = Math.ceil(g.outH / 4) * g.outChannels;
      between = () => copyImagesOut(runtime, output, yp, counts, complete);
    }
    let first = meanwhile;
    if (staged !== null) {
      const count = new Int32Array(runtime.memory.buffer, ready, 1);
      Atomics.store(count, 0, 0);
      first = () => {
        copyImagesIn(runtime, staged, g.batch, count);
        meanwhile?.();
      };
    }
    pool.run('winograd4ForwardChunk', e.winograd4ForwardChunks(shape), [shape, xp, upack, bp, yp, scratch, stride, relu, ready, done], work, first, between);
    between?.();
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
