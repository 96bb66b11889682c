import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { WasmKernels } from '../backend.js';
import type { Conv2dGradients, GradientsNeeded } from '../im2col.js';
import { writeShape } from './conv-shape.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import { conv2dForwardPath, tapsPathApplies, winograd2x2Pays, winograd4FreshPays, winograd4WeightPays, type Conv2dForwardPath } from './conv2d-path.js';
import { batchGemmApplies, batchGemmForward, batchGemmForwardApplies, batchGemmGradients } from './conv2d-batch-gemm.js';
import { WINOGRAD_POSITIONS, winograd4FreshIntoMemory, winogradIntoMemory, type StagedInput, type StagedOutput } from './winograd.js';
import { overwrittenGradientBuffer, recycleGradient } from '../../gradient-buffers.js';
import { winograd4WeightGradients } from './winograd4-weight-gradient.js';

/** A conv's output gradient already in WebAssembly memory: `length` floats at `at`, then READ_SLACK bytes of slack. */
export interface GradientInMemory {
  readonly at: number;
  readonly length: number;
}

/** The weight gradient sums over at most this many fixed groups of images, then across them in order. */
const WEIGHT_GROUPS = 8;

const roundUp = (v: number, m: number): number => Math.ceil(v / m) * m;

/** Allocates and fills a copy of `values`; -1 when memory is exhausted. */
function copyIn({ runtime }: WasmKernels, values: Float32Array): number {
  const at = runtime.alloc(values.length * 4);
  if (at >= 0) runtime.write(at, values);
  return at;
}

/**
 * The address of a conv's weights as they are: the copy an optimizer's kernel left current in the
 * weight cache (WeightCache.mirrored: training weights after an SGD step), else {@link copyIn}'s.
 */
function weightValuesIn(kernels: WasmKernels, weight: Float32Array): number {
  const kept = kernels.weights.mirrored(weight);
  return kept >= 0 ? kept : copyIn(kernels, weight);
}

/** Bytes read past the end of an image buffer by the in-place forward (one 8-float row of B). */
export const READ_SLACK = 32;

/** Floats of scratch winogradWeightOutput needs after dW. */
const WINOGRAD_OUTPUT_TMP = 12;

/** Floats of the packed weights the forward of `g` on `path` reads: Winograd's `U` (F(2×2) or F(4×4)) or the tile's panels. */
function packedFloats(g: Conv2dGeometry, path: Conv2dForwardPath): number {
  if (path === 'winograd') return WINOGRAD_POSITIONS['2x2'] * roundUp(g.outChannels, 4) * g.inChannels;
  if (path === 'winograd4x4') return WINOGRAD_POSITIONS['4x4'] * roundUp(g.outChannels, 4) * g.inChannels;
  if (path === 'taps') return g.groups * roundUp(g.outChannels / g.groups, 8) * (g.inChannels / g.groups) * g.kH * g.kW;
  return g.groups * roundUp(g.outChannels / g.groups, 4) * (g.inChannels / g.groups) * g.kH * g.kW;
}

/** Packs the weights at `wp` (ConvShape at `shape`) for `path` into `dst`: Winograd-transformed (F(2×2) or F(4×4)), the taps tile's `Wᵀ` panels, or the tile's panels. */
function packWeights({ runtime, pool }: WasmKernels, shape: number, wp: number, g: Conv2dGeometry, path: Conv2dForwardPath, dst: number): void {
  const e = runtime.exports;
  if (path === 'winograd') pool.run('packWinogradWeightsChunk', e.packWinogradWeightsChunks(shape), [shape, wp, dst], packedFloats(g, path));
  else if (path === 'winograd4x4') pool.run('packWinograd4WeightsChunk', e.packWinograd4WeightsChunks(shape), [shape, wp, dst], packedFloats(g, path));
  else if (path === 'taps') e.packConvWeightsTaps(shape, wp, dst);
  else if (g.groups === 1) {
    // One group: W is A′ of the forward's product, packed by every thread at once (4.7 MB at 256→512 3×3).
    const taps = g.inChannels * g.kH * g.kW;
    pool.run('packAChunk', e.packAChunks(g.outChannels), [wp, taps, 0, g.outChannels, taps, dst], g.outChannels * taps);
  } else e.packConvWeights(shape, wp, dst);
}

/**
 * The packed weights of `g` on `path`, kept in the weight cache under `weightVersion` (packed now
 * when the cache has not this version); -1 when the cache cannot keep them. Call right after reset().
 */
function keptWeights(kernels: WasmKernels, weight: Float32Array, weightVersion: number, g: Conv2dGeometry, path: Conv2dForwardPath): number {
  const form = path === 'winograd' || path === 'winograd4x4' ? `conv2d-${path}` : path === 'taps' ? `conv2d-taps/${g.groups}` : `conv2d-panels/${g.groups}`;
  return kernels.weights.lookup(weight, weightVersion, form, packedFloats(g, path) * 4, (dst) => {
    const shape = writeShape(kernels, g);
    const wp = weightValuesIn(kernels, weight);
    if (Math.min(shape, wp) < 0) throw new Error('conv2d: WebAssembly memory exhausted while packing weights');
    packWeights(kernels, shape, wp, g, path, dst);
  });
}

/**
 * Runs `y = conv2d(x, weight) + bias` (then `max(y, 0)` when `relu`) on the WebAssembly kernels and
 * leaves y in WebAssembly memory: returns its address, or NOT_HANDLED when the call does not fit. The path
 * is {@link conv2dForwardPath}'s: Winograd F(4×4, 3×3) or F(2×2, 3×3) for wide enough 3×3 stride-1
 * convs; else with stride 1 along W and few taps the tile reads the (padded, if the conv pads)
 * input in place; otherwise blocks of im2col feed it, for several images of few positions as one
 * whole-batch product (conv2d-batch-gemm.ts) (`path` overrides the choice; the Winograd
 * paths only for 3×3 stride-1 undilated single-group convs). With a `weightVersion` (the weight
 * tensor's {@link Tensor.version}: ops give it for weights that get no gradient, which come again
 * unchanged) the packed weights are kept in the weight cache and reused while the version stays,
 * and the path is chosen with the weights kept; with null they are copied and packed in the arena.
 * With `output`, the images F(4×4) on packed weights has copied out as they were finished (see
 * {@link StagedOutput}); the caller copies out the rest.
 * Resets the arena: allocations made after it stay valid until the next call.
 */
export function conv2dIntoMemory(
  kernels: WasmKernels, x: Float32Array, weight: Float32Array, bias: Float32Array | null, g: Conv2dGeometry, relu: boolean,
  weightVersion: number | null, path: Conv2dForwardPath = conv2dForwardPath(g, weightVersion !== null), meanwhile?: () => void,
  output: StagedOutput | null = null,
): number | NotHandled {
  kernels.runtime.reset();
  const kept = weightVersion === null ? -1 : keptWeights(kernels, weight, weightVersion, g, path);
  const xp = kernels.runtime.alloc(x.length * 4 + READ_SLACK);
  if (xp < 0) return NOT_HANDLED;
  // Copied in there: by F(4×4) image by image while the workers start on the first images.
  return conv2dFromMemory(kernels, xp, kept >= 0 ? { kept } : { values: weight, turnOf: null }, bias, g, relu, path, meanwhile, { values: x, at: xp }, output);
}

/**
 * {@link conv2dIntoMemory} without resetting the arena: the input is copied in after what it
 * holds (which stays valid), the weights packed there on {@link conv2dForwardPath}'s path, and the
 * output's address returned; NOT_HANDLED when out of memory.
 */
export function conv2dAfterInMemory(
  kernels: WasmKernels, x: Float32Array, weight: Float32Array, bias: Float32Array | null, g: Conv2dGeometry,
): number | NotHandled {
  const xp = kernels.runtime.alloc(x.length * 4 + READ_SLACK);
  if (xp < 0) return NOT_HANDLED;
  return conv2dFromMemory(kernels, xp, { values: weight, turnOf: null }, bias, g, false, conv2dForwardPath(g), undefined, { values: x, at: xp });
}

/**
 * Where {@link conv2dFromMemory} finds the weights: packed for its path in the weight cache at
 * `kept`, or `values` to copy in and pack; with `turnOf`, `values` are the kernel of that conv,
 * whose stride-1 input gradient this forward is, turned in WebAssembly memory first
 * (assembly/turned-weights.ts).
 */
type WeightSource = { readonly kept: number } | WeightValues;
type WeightValues = { readonly values: Float32Array; readonly turnOf: Conv2dGeometry | null };

/** The unpacked weights of `source` copied (and turned) into the arena: their address, or -1 when out of memory. */
function weightsIn(kernels: WasmKernels, source: WeightValues): number {
  const wp = weightValuesIn(kernels, source.values);
  if (source.turnOf === null || wp < 0) return wp;
  const { runtime, pool } = kernels;
  const shape = writeShape(kernels, source.turnOf);
  const turned = runtime.alloc(source.values.length * 4);
  if (Math.min(shape, turned) < 0) return -1;
  pool.run('turnConvWeightsChunk', runtime.exports.turnConvWeightsChunks(shape), [shape, wp, turned], source.values.length);
  return turned;
}

/**
 * {@link conv2dIntoMemory} for an input at `xp` (with READ_SLACK bytes of slack) in WebAssembly
 * memory already, or with `staged` still to be copied there (by F(4×4) on packed weights while the
 * workers start, see {@link StagedInput}; first by the other paths), allocating after what the
 * arena holds, without resetting it; the weights come from `weights` (see {@link WeightSource}).
 * `meanwhile` runs on the calling thread while the workers start on the conv's main job (see
 * ThreadPool.run). With `output`, F(4×4) on packed weights with a staged input copies finished
 * images out while it runs (see {@link StagedOutput}).
 */
function conv2dFromMemory(
  kernels: WasmKernels, xp: number, weights: WeightSource, bias: Float32Array | null, g: Conv2dGeometry, relu: boolean, path: Conv2dForwardPath,
  meanwhile?: () => void, staged: StagedInput | null = null, output: StagedOutput | null = null,
): number | NotHandled {
  const { runtime, pool } = kernels;
  const e = runtime.exports;
  const kept = 'kept' in weights ? weights.kept : -1;
  // Weights used once on few tiles: F(4×4) transforms them chunk by chunk, not packed here, and reads a kernel to turn as it is.
  const fresh = kept < 0 && path === 'winograd4x4' && winograd4FreshPays(g);
  const turned = fresh && 'values' in weights && weights.turnOf !== null;
  const wp = 'kept' in weights ? 0 : turned ? weightValuesIn(kernels, weights.values) : weightsIn(kernels, weights);
  const shape = writeShape(kernels, g);
  const outSize = g.batch * g.outChannels * g.outH * g.outW;
  // The tiles read the bias four (the taps tile: eight) channels at a time: room for those past the last.
  const bp = bias === null ? 0 : runtime.alloc((bias.length + 8) * 4);
  const yp = runtime.alloc(outSize * 4);
  const packed = kept >= 0 ? kept : fresh ? 0 : runtime.alloc(packedFloats(g, path) * 4);
  if (Math.min(shape, wp, bp, yp, packed) < 0) return NOT_HANDLED;
  if (bias !== null) runtime.write(bp, bias);
  const work = outSize * (g.inChannels / g.groups) * g.kH * g.kW;
  const fuseRelu = relu ? 1 : 0;
  // Only the F(4×4) kernel on packed weights waits for its images; every other job needs the whole input first.
  const staging = staged !== null && path === 'winograd4x4' && !fresh;
  if (staged !== null && !staging) runtime.write(staged.at, staged.values);
  if (fresh) return winograd4FreshIntoMemory(kernels, shape, xp, wp, turned, bp, yp, g, fuseRelu, work, meanwhile);
  if (kept < 0) packWeights(kernels, shape, wp, g, path, packed);
  if (path === 'winograd') return winogradIntoMemory(kernels, '2x2', shape, xp, packed, bp, yp, g, fuseRelu, work, meanwhile);
  if (path === 'winograd4x4') return winogradIntoMemory(kernels, '4x4', shape, xp, packed, bp, yp, g, fuseRelu, work, meanwhile, staging ? staged : null, staging ? output : null);
  if (path === 'direct' || path === '1x1' || path === 'taps') {
    const { top, bottom, left, right } = g.padding;
    const padded = top + bottom + left + right > 0;
    const hs = padded ? e.paddedHeight(shape) : g.inH;
    const ws = padded ? e.paddedWidth(shape) : g.inW;
    const src = padded ? runtime.alloc(g.batch * g.inChannels * hs * ws * 4 + READ_SLACK) : xp;
    const stride = path === 'taps' ? e.conv2dForwardTapsScratch(shape) : e.conv2dForwardDirectScratch(shape);
    const scratch = runtime.alloc(stride * pool.size);
    if (Math.min(src, scratch) < 0) return NOT_HANDLED;
    if (padded) pool.run('padImagesChunk', e.padImagesChunks(shape), [shape, xp, src, hs, ws], g.batch * g.inChannels * hs * ws);
    const args = [shape, src, hs, ws, packed, bp, yp, scratch, stride, fuseRelu];
    if (path === 'taps') pool.run('conv2dForwardTapsChunk', e.conv2dForwardTapsChunks(shape), args, work, meanwhile);
    else pool.run('conv2dForwardDirectChunk', e.conv2dForwardDirectChunks(shape), args, work, meanwhile);
  } else if (batchGemmForwardApplies(g)) {
    if (!batchGemmForward(kernels, shape, xp, packed, bp, yp, g, fuseRelu, meanwhile)) return NOT_HANDLED;
  } else {
    const stride = e.conv2dForwardScratch(shape);
    const scratch = runtime.alloc(stride * pool.size);
    // When output channels are split into blocks (few positions: batch 1, deep layers), the columns are packed once for all blocks.
    const cols = e.conv2dForwardPacksColumns(shape) ? runtime.alloc(e.conv2dColumnsFloats(shape) * 4) : 0;
    if (Math.min(scratch, cols) < 0) return NOT_HANDLED;
    if (cols !== 0) pool.run('im2colColumnsChunk', e.im2colColumnsChunks(shape), [shape, xp, cols], e.conv2dColumnsFloats(shape));
    pool.run('conv2dForwardChunk', e.conv2dForwardChunks(shape), [shape, xp, cols, packed, bp, yp, scratch, stride, fuseRelu], work, meanwhile);
  }
  return yp;
}

/** Floats per 4 KiB memory page. */
const PAGE_FLOATS = 1024;

/**
 * Writes a zero into every 4 KiB page of `y`, an output about to be overwritten: the operating
 * system maps a fresh array's pages at their first write, and doing that while the workers compute
 * takes it off the copy out. conv64 (8×64×56×56 → 6.4 MB) on 2 threads: the copy into a fresh
 * array took 7.8 ms against 1.7 ms into a used one, mostly page faults.
 */
export function touchPages(y: Float32Array): void {
  for (let i = 0; i < y.length; i += PAGE_FLOATS) y[i] = 0;
}

/**
 * `y = conv2d(x, weight) + bias` on the WebAssembly kernels (see {@link conv2dIntoMemory}), the
 * pages of `y` touched on the calling thread while the workers start (see {@link touchPages}) and,
 * on F(4×4) with packed weights, its images copied into `y` as the chunks finish them.
 * Returns NOT_HANDLED, leaving `y` untouched, when the call does not fit in WebAssembly memory.
 */
export function conv2dForwardWasm(
  kernels: WasmKernels, x: Float32Array, weight: Float32Array, bias: Float32Array | null, g: Conv2dGeometry, y: Float32Array, weightVersion?: number,
): void | NotHandled {
  const output: StagedOutput = { values: y, images: 0 };
  const yp = conv2dIntoMemory(kernels, x, weight, bias, g, false, weightVersion ?? null, undefined, () => touchPages(y), output);
  if (yp === NOT_HANDLED) return NOT_HANDLED;
  const copied = output.images * (y.length / g.batch);
  kernels.runtime.read(yp + copied * 4, y, copied);
}

/**
 * With stride 1 the input gradient is itself a stride-1 convolution: of dy, padded by
 * `(k − 1)·d − p` on each side, with the kernel turned 180° and its two channel axes swapped. Its
 * geometry, or null for strided convs, paddings beyond `(k − 1)·d`, and inputs much larger than
 * the output (a small 'valid' conv, where most of that convolution's taps would read padding:
 * col2im does half the multiply-adds there).
 */
function transposedGeometry(g: Conv2dGeometry): Conv2dGeometry | null {
  if (g.strideH !== 1 || g.strideW !== 1) return null;
  if (g.inH * g.inW > 1.25 * g.outH * g.outW) return null;
  const spanH = (g.kH - 1) * g.dilationH;
  const spanW = (g.kW - 1) * g.dilationW;
  const p = g.padding;
  const padding = { top: spanH - p.top, bottom: spanH - p.bottom, left: spanW - p.left, right: spanW - p.right };
  if (Math.min(padding.top, padding.bottom, padding.left, padding.right) < 0) return null;
  return {
    batch: g.batch, inChannels: g.outChannels, inH: g.outH, inW: g.outW, outChannels: g.inChannels, outH: g.inH, outW: g.inW,
    kH: g.kH, kW: g.kW, strideH: 1, strideW: 1, dilationH: g.dilationH, dilationW: g.dilationW, padding, groups: g.groups,
  };
}

/**
 * dx of a stride-1 conv `g` as the forward of its {@link transposedGeometry} `t`, reading dy at
 * `dyp` (with READ_SLACK bytes of slack) and the weights turned in WebAssembly memory
 * (assembly/turned-weights.ts); NOT_HANDLED when out of memory.
 */
function transposedForward(
  kernels: WasmKernels, dyp: number, weight: Float32Array, g: Conv2dGeometry, t: Conv2dGeometry, inputSize: number,
): Float32Array | NotHandled {
  const yp = conv2dFromMemory(kernels, dyp, { values: weight, turnOf: g }, null, t, false, conv2dForwardPath(t));
  if (yp === NOT_HANDLED) return NOT_HANDLED;
  const dx = overwrittenGradientBuffer(inputSize);
  kernels.runtime.read(yp, dx);
  return dx;
}

/** `dx = col2im(Wᵀ·dy)`, or for stride 1 the convolution of {@link transposedGeometry}; NOT_HANDLED when out of memory. */
function inputGradientWasm(
  kernels: WasmKernels, dy: Float32Array, weight: Float32Array, g: Conv2dGeometry, inputSize: number,
): Float32Array | NotHandled {
  const { runtime, pool } = kernels;
  const e = runtime.exports;
  runtime.reset();
  const transposed = transposedGeometry(g);
  if (transposed !== null) {
    const dyp = runtime.alloc(dy.length * 4 + READ_SLACK);
    if (dyp < 0) return NOT_HANDLED;
    runtime.write(dyp, dy);
    return transposedForward(kernels, dyp, weight, g, transposed, inputSize);
  }
  const taps = (g.inChannels / g.groups) * g.kH * g.kW;
  const shape = writeShape(kernels, g);
  const dyp = copyIn(kernels, dy);
  const wp = weightValuesIn(kernels, weight);
  const wtpack = runtime.alloc(g.groups * roundUp(taps, 4) * (g.outChannels / g.groups) * 4);
  const dxp = runtime.alloc(inputSize * 4);
  const stride = shape < 0 ? 0 : e.conv2dBackwardInputScratch(shape);
  const scratch = runtime.alloc(stride * pool.size);
  if (Math.min(shape, dyp, wp, wtpack, dxp, scratch) < 0) return NOT_HANDLED;
  e.packConvWeightsTransposed(shape, wp, wtpack);
  pool.run('conv2dBackwardInputChunk', e.conv2dBackwardInputChunks(shape), [shape, dyp, wtpack, dxp, scratch, stride], dy.length * taps);
  const dx = overwrittenGradientBuffer(inputSize);
  runtime.read(dxp, dx);
  return dx;
}

/** Output channels per group up to which the weight gradient of a stride-1 conv reads dy and x in place. */
const DIRECT_WEIGHT_CHANNELS = 16;

/**
 * Taps per group (`C_in/groups·kH·kW`) up to which the weight gradient of a stride-1 conv reads dy
 * and x in place whatever its output channels: a first layer on RGB images. CIFAR's
 * x[128,3,32,32] w[32,3,3,3] pad 1 (27 taps) took 20 ms there against 26 ms on im2col-gemm
 * (1-thread CPU time, A/B in one process, medians of 11).
 */
const DIRECT_WEIGHT_TAPS = 32;

/**
 * How the WebAssembly weight gradient computes a call: `'winograd4x4'` (F(4×4, 3×3) with the
 * products of each block of channels reduced over the whole batch: small maps and few tiles,
 * {@link winograd4WeightPays}, winograd4-weight-gradient.ts), `'winograd'` (F(2×2, 3×3),
 * assembly/winograd-weight-gradient.ts: where that forward pays, {@link winograd2x2Pays}, even if the forward takes F(4×4)), `'batch-gemm'` (one
 * product of whole-batch matrices: few positions per image, conv2d-batch-gemm.ts), `'taps'` (a
 * first layer with stride 2 along W: the taps' rows packed straight from the image times dy, assembly/conv2d-taps.ts),
 * `'direct'` (dy and x read in place: stride 1 along W and few output channels or few taps) or
 * `'im2col-gemm'` (packed blocks of the column matrix, image by image).
 */
export type Conv2dWeightPath = 'winograd4x4' | 'winograd' | 'batch-gemm' | 'taps' | 'direct' | 'im2col-gemm';

/**
 * How the WebAssembly input gradient computes a call: as the forward of {@link transposedGeometry}
 * (stride 1; its {@link conv2dForwardPath}) unless that forward would not be Winograd and
 * `'batch-gemm'` applies (col2im of one whole-batch product), else `'col2im-gemm'` image by image.
 */
export type Conv2dInputPath = Conv2dForwardPath | 'batch-gemm' | 'col2im-gemm';

/** The path {@link weightGradientsWasm} takes for geometry `g`. */
export function conv2dWeightPath(g: Conv2dGeometry): Conv2dWeightPath {
  if (winograd4WeightPays(g)) return 'winograd4x4';
  if (winograd2x2Pays(g)) return 'winograd';
  if (batchGemmApplies(g)) return 'batch-gemm';
  if (tapsPathApplies(g)) return 'taps';
  const few = g.outChannels / g.groups <= DIRECT_WEIGHT_CHANNELS || (g.inChannels / g.groups) * g.kH * g.kW <= DIRECT_WEIGHT_TAPS;
  return g.strideW === 1 && few ? 'direct' : 'im2col-gemm';
}

/** The path the input gradient of geometry `g` takes. */
export function conv2dInputPath(g: Conv2dGeometry): Conv2dInputPath {
  const transposed = transposedGeometry(g);
  const forward = transposed === null ? null : conv2dForwardPath(transposed);
  if (forward === 'winograd' || forward === 'winograd4x4') return forward;
  if (batchGemmApplies(g)) return 'batch-gemm';
  return forward ?? 'col2im-gemm';
}

/** The paths {@link conv2dBackwardWasm} takes: {@link conv2dInputPath}'s and {@link conv2dWeightPath}'s. */
export function conv2dBackwardPaths(g: Conv2dGeometry): { readonly input: Conv2dInputPath; readonly weight: Conv2dWeightPath } {
  return { input: conv2dInputPath(g), weight: conv2dWeightPath(g) };
}

/**
 * `dW = Σ_n dy·colsᵀ` and `db = Σ dy` (dy copied in, or already in memory: then the arena is not
 * reset and its contents stay), summed over fixed groups of images and then across groups
 * in order, so that they do not depend on the number of threads, along `path` ({@link conv2dWeightPath}'s;
 * 'winograd' only where the forward could take it). 'winograd' sums the 16 transformed products
 * over the tiles (dy and x first copied with four channels interleaved) and transforms the sum back once; 'direct' reads dy and the (padded) input in place; 'im2col-gemm' multiplies packed
 * blocks of the column matrix. Leaves dy in memory at `dyp` (with READ_SLACK bytes of slack) until
 * the next reset. NOT_HANDLED when out of memory.
 */
function weightGradientsWasm(
  kernels: WasmKernels, dy: Float32Array | GradientInMemory, x: Float32Array, g: Conv2dGeometry, path: Exclude<Conv2dWeightPath, 'batch-gemm' | 'winograd4x4'>,
  resident: Float32Array | null,
): { dw: Float32Array; db: Float32Array; dyp: number } | NotHandled {
  const { runtime, pool } = kernels;
  const e = runtime.exports;
  const copied = dy instanceof Float32Array;
  if (copied) runtime.reset();
  const taps = (g.inChannels / g.groups) * g.kH * g.kW;
  const perGroup = Math.ceil(g.batch / Math.min(g.batch, WEIGHT_GROUPS));
  const imageGroups = Math.ceil(g.batch / perGroup);
  const { top, bottom, left, right } = g.padding;
  const inPlace = path === 'direct' || path === 'taps';
  const padded = inPlace && top + bottom + left + right > 0;
  const shape = writeShape(kernels, g);
  const dyp = copied ? runtime.alloc(dy.length * 4 + READ_SLACK) : dy.at;
  const xp = runtime.alloc(x.length * 4 + READ_SLACK);
  if (Math.min(shape, dyp, xp) < 0) return NOT_HANDLED;
  // Winograd: dy and x with four channels interleaved, on planes of whole 2×2 tiles (x's with a border of 1 more).
  const [th, tw] = [Math.ceil(g.outH / 2), Math.ceil(g.outW / 2)];
  const hs = path === 'winograd' ? 2 * th + 2 : padded ? e.paddedHeight(shape) : g.inH;
  const ws = path === 'winograd' ? 2 * tw + 2 : padded ? e.paddedWidth(shape) : g.inW;
  const src = path === 'winograd' ? runtime.alloc(g.batch * Math.ceil(g.inChannels / 4) * 16 * hs * ws)
    : padded ? runtime.alloc(g.batch * g.inChannels * hs * ws * 4 + READ_SLACK) : xp;
  const dyi = path === 'winograd' ? runtime.alloc(g.batch * Math.ceil(g.outChannels / 4) * 16 * 4 * th * tw) : 0;
  const partialFloats = path === 'winograd' ? e.winogradWeightPartialFloats(shape) : e.conv2dWeightPartialFloats(shape);
  const partials = runtime.alloc(imageGroups * partialFloats * 4);
  const sums = runtime.alloc(partialFloats * 4);
  const stride = path === 'winograd' ? e.winogradWeightScratch(shape) : path === 'direct' ? e.conv2dWeightDirectScratch(shape)
    : path === 'taps' ? e.conv2dWeightTapsScratch(shape) : e.conv2dBackwardWeightScratch(shape);
  const scratch = runtime.alloc(stride * pool.size);
  // The winograd path transforms the sums straight into the resident gradient when there is one.
  const residentAt = resident === null ? -1 : runtime.addressOf(resident);
  const tmp = path === 'winograd' ? runtime.alloc((residentAt >= 0 ? 0 : g.outChannels * taps + WINOGRAD_OUTPUT_TMP) * 4) : sums;
  const dwp = path !== 'winograd' ? sums : residentAt >= 0 ? residentAt : tmp;
  if (Math.min(src, dyi, partials, sums, scratch, tmp) < 0) return NOT_HANDLED;
  if (copied) runtime.write(dyp, dy);
  runtime.write(xp, x);
  const work = dy.length * taps;
  if (padded) pool.run('padImagesChunk', e.padImagesChunks(shape), [shape, xp, src, hs, ws], g.batch * g.inChannels * hs * ws);
  if (path === 'winograd') {
    pool.run('interleaveChunk', g.batch, [dyp, g.outChannels, g.outH, g.outW, 0, 0, dyi, 2 * th, 2 * tw], dy.length);
    pool.run('interleaveChunk', g.batch, [xp, g.inChannels, g.inH, g.inW, top, left, src, hs, ws], x.length);
    pool.run('winogradWeightChunk', imageGroups, [shape, dyp, dyi, src, perGroup, partials, scratch, stride], work);
  } else if (path === 'direct') {
    pool.run('conv2dWeightDirectChunk', imageGroups * g.groups, [shape, dyp, src, hs, ws, perGroup, partials, scratch, stride], work);
  } else if (path === 'taps') {
    pool.run('conv2dWeightTapsChunk', imageGroups * g.groups, [shape, dyp, src, hs, ws, perGroup, partials, scratch, stride], work);
  } else {
    pool.run('conv2dBackwardWeightChunk', imageGroups * g.groups, [shape, dyp, xp, perGroup, partials, scratch, stride], work);
  }
  e.sumPartials(partials, imageGroups, partialFloats, sums);
  const dw = resident ?? overwrittenGradientBuffer(g.outChannels * taps);
  const db = overwrittenGradientBuffer(g.outChannels);
  if (path === 'winograd') e.winogradWeightOutput(shape, sums, dwp, residentAt >= 0 ? tmp : dwp + dw.length * 4);
  if (dwp !== residentAt) runtime.read(dwp, dw);
  runtime.read(sums + (partialFloats - g.outChannels) * 4, db);
  return { dw, db, dyp };
}

/**
 * The gradients of conv2d on the WebAssembly kernels, each computed only when `need` asks, along
 * {@link conv2dBackwardPaths}: 'batch-gemm' gradients together (dy copied in once); otherwise the
 * weight gradient first ('winograd4x4': {@link winograd4WeightGradients}), then the input gradient reading dy where the weight gradient left it.
 * Returns NOT_HANDLED when the call does not fit in WebAssembly memory.
 */
export function conv2dBackwardWasm(
  kernels: WasmKernels,
  dy: Float32Array,
  x: Float32Array,
  weight: Float32Array,
  g: Conv2dGeometry,
  need: GradientsNeeded,
  resident: Float32Array | null = need.weight ? kernels.gradients.take(weight.length) : null,
): Conv2dGradients | NotHandled {
  const paths = conv2dBackwardPaths(g);
  const batched = { input: need.input && paths.input === 'batch-gemm', weight: need.weight && paths.weight === 'batch-gemm', bias: need.bias && paths.weight === 'batch-gemm' };
  const batch = batched.input || batched.weight || batched.bias ? batchGemmGradients(kernels, dy, x, weight, g, batched, resident) : null;
  if (batch === NOT_HANDLED) return declined(resident);
  const weights = !(need.weight || need.bias) || paths.weight === 'batch-gemm' ? null
    : paths.weight === 'winograd4x4' ? winograd4WeightGradients(kernels, dy, x, g, resident) : weightGradientsWasm(kernels, dy, x, g, paths.weight, resident);
  if (weights === NOT_HANDLED) return declined(resident);
  const dx = !need.input ? null
    : batched.input ? batch!.dx
    : weights !== null ? inputGradientAfterWeights(kernels, weights.dyp, () => dy, weight, g, x.length)
    : inputGradientWasm(kernels, dy, weight, g, x.length);
  if (dx === NOT_HANDLED) return declined(resident);
  const sums = weights ?? batch;
  return { dx, dw: need.weight ? sums?.dw ?? null : null, db: biasGradient(sums?.db ?? null, need) };
}

/**
 * The input gradient with dy in memory at `dyp` (e.g. where {@link weightGradientsWasm} left it):
 * a stride-1 conv's transposed forward reads it there instead of copying it in again; when that
 * does not fit beside what the arena holds, or for col2im, {@link inputGradientWasm} on `dy()`'s values.
 */
function inputGradientAfterWeights(
  kernels: WasmKernels, dyp: number, dy: () => Float32Array, weight: Float32Array, g: Conv2dGeometry, inputSize: number,
): Float32Array | NotHandled {
  const transposed = transposedGeometry(g);
  if (transposed !== null) {
    const dx = transposedForward(kernels, dyp, weight, g, transposed, inputSize);
    if (dx !== NOT_HANDLED) return dx;
  }
  return inputGradientWasm(kernels, dy(), weight, g, inputSize);
}

/** `db` when the bias gradient is needed; else null, `db` (computed with dW) given back to the gradient buffers. */
function biasGradient(db: Float32Array | null, need: GradientsNeeded): Float32Array | null {
  if (need.bias) return db;
  if (db !== null) recycleGradient(db);
  return null;
}

/** NOT_HANDLED, after giving back the resident gradient a call took and did not fill. */
export function declined(resident: Float32Array | null): NotHandled {
  if (resident !== null) recycleGradient(resident);
  return NOT_HANDLED;
}

/** The values of a gradient in memory, read out. */
function readOut({ runtime }: WasmKernels, dy: GradientInMemory): Float32Array {
  const values = new Float32Array(dy.length);
  runtime.read(dy.at, values);
  return values;
}

/**
 * {@link conv2dBackwardWasm} for an output gradient already in WebAssembly memory (left there by
 * the op before, e.g. batch norm's backward in a fused block): the weight gradient and the
 * stride-1 input gradient read it where it lies, allocating after what the arena holds without
 * resetting it; 'batch-gemm' gradients, col2im, and calls that do not fit that way read it out first.
 * The weight gradient is written into `resident` when given (taken with ResidentGradients.take
 * before the arena was filled, since a new block resets it).
 */
export function conv2dBackwardFromMemory(
  kernels: WasmKernels, dy: GradientInMemory, x: Float32Array, weight: Float32Array, g: Conv2dGeometry, need: GradientsNeeded,
  resident: Float32Array | null,
): Conv2dGradients | NotHandled {
  const paths = conv2dBackwardPaths(g);
  const sums = need.weight || need.bias;
  const batched = (need.input && paths.input === 'batch-gemm') || (sums && paths.weight === 'batch-gemm');
  const weights = batched || !sums ? null
    : paths.weight === 'winograd4x4' ? winograd4WeightGradients(kernels, dy, x, g, resident)
    : weightGradientsWasm(kernels, dy, x, g, paths.weight as Exclude<Conv2dWeightPath, 'batch-gemm' | 'winograd4x4'>, resident);
  if (batched || weights === NOT_HANDLED) return conv2dBackwardWasm(kernels, readOut(kernels, dy), x, weight, g, need, resident);
  const dx = need.input ? inputGradientAfterWeights(kernels, dy.at, () => readOut(kernels, dy), weight, g, x.length) : null;
  if (dx === NOT_HANDLED) return declined(resident);
  return { dx, dw: need.weight ? weights!.dw : null, db: biasGradient(weights!.db, need) };
}
