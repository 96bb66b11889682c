import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { WasmKernels } from '../backend.js';

/** Gradients of a conv2d call; null where not asked for. */
export interface Conv2dGradients {
  readonly dx: Float32Array | null;
  readonly dw: Float32Array | null;
  readonly db: Float32Array | null;
}

/** Images per partial sum of the weight gradient at most: the batch is cut into ≤ 8 fixed groups. */
const WEIGHT_GROUPS = 8;

const roundUp = (v: number, m: number): number => Math.ceil(v / m) * m;

/** Writes the ConvShape record (assembly/conv-shape.ts: 16 int32 in this order) and returns its address. */
function writeShape({ runtime }: WasmKernels, g: Conv2dGeometry): number {
  const at = runtime.alloc(64);
  if (at >= 0) {
    runtime.writeInts(at, [
      g.batch, g.inChannels, g.inH, g.inW, g.outChannels, g.outH, g.outW, g.kH, g.kW,
      g.strideH, g.strideW, g.padding.top, g.padding.left, g.dilationH, g.dilationW, g.groups,
    ]);
  }
  return at;
}

/** Allocates and fills a copy of `values`; -1 when memory is exhausted. */
function copyIn({ runtime }: WasmKernels, values: Float32Array): number {
  const at = runtime.alloc(values.length * 4);
  if (at >= 0) runtime.write(at, values);
  return at;
}

/** Bytes read past the end of an image buffer by the in-place forward (one 8-float row of B). */
const READ_SLACK = 32;

/**
 * `y = conv2d(x, weight) + bias` on the WebAssembly kernels. With stride 1 along W the tile reads
 * the (padded, if the conv pads) input in place; otherwise blocks of im2col feed it.
 * Returns false, leaving `y` untouched, when the call does not fit in WebAssembly memory.
 */
export function conv2dForwardWasm(kernels: WasmKernels, x: Float32Array, weight: Float32Array, bias: Float32Array | null, g: Conv2dGeometry, y: Float32Array): boolean {
  const { runtime, pool } = kernels;
  const e = runtime.exports;
  runtime.reset();
  const shape = writeShape(kernels, g);
  const mg = g.outChannels / g.groups;
  const taps = (g.inChannels / g.groups) * g.kH * g.kW;
  const xp = runtime.alloc(x.length * 4 + READ_SLACK);
  const wp = copyIn(kernels, weight);
  const wpack = runtime.alloc(g.groups * roundUp(mg, 4) * taps * 4);
  // The tile reads the bias four rows at a time: room for the rows past the last.
  const bp = bias === null ? 0 : runtime.alloc((bias.length + 4) * 4);
  const yp = runtime.alloc(y.length * 4);
  if (Math.min(shape, xp, wp, wpack, bp, yp) < 0) return false;
  runtime.write(xp, x);
  if (bias !== null) runtime.write(bp, bias);
  e.packConvWeights(shape, wp, wpack);
  const work = y.length * taps;
  if (g.strideW === 1) {
    const { top, bottom, left, right } = g.padding;
    const padded = top + bottom + left + right > 0;
    const hs = padded ? e.paddedHeight(shape) : g.inH;
    const ws = padded ? e.paddedWidth(shape) : g.inW;
    const src = padded ? runtime.alloc(g.batch * g.inChannels * hs * ws * 4 + READ_SLACK) : xp;
    const stride = e.conv2dForwardDirectScratch(shape);
    const scratch = runtime.alloc(stride * pool.size);
    if (Math.min(src, scratch) < 0) return false;
    if (padded) pool.run('padImagesChunk', e.padImagesChunks(shape), [shape, xp, src], g.batch * g.inChannels * hs * ws);
    pool.run('conv2dForwardDirectChunk', e.conv2dForwardDirectChunks(shape), [shape, src, hs, ws, wpack, bp, yp, scratch, stride], work);
  } else {
    const stride = e.conv2dForwardScratch(shape);
    const scratch = runtime.alloc(stride * pool.size);
    if (scratch < 0) return false;
    pool.run('conv2dForwardChunk', e.conv2dForwardChunks(shape), [shape, xp, wpack, bp, yp, scratch, stride], work);
  }
  runtime.read(yp, y);
  return true;
}

/**
 * The gradients of conv2d on the WebAssembly kernels: `dx = col2im(Wᵀ·dy)`, `dW = Σ_n dy·colsᵀ`,
 * `db = Σ dy`. The weight and bias gradients are summed over fixed groups of images and then
 * across groups in order, so they do not depend on the number of threads.
 * Returns null when the call does not fit in WebAssembly memory.
 */
export function conv2dBackwardWasm(
  kernels: WasmKernels,
  dy: Float32Array,
  x: Float32Array,
  weight: Float32Array,
  g: Conv2dGeometry,
  need: { readonly input: boolean; readonly weight: boolean; readonly bias: boolean },
): Conv2dGradients | null {
  const { runtime, pool } = kernels;
  const e = runtime.exports;
  runtime.reset();
  const shape = writeShape(kernels, g);
  const dyp = copyIn(kernels, dy);
  if (Math.min(shape, dyp) < 0) return null;
  const taps = (g.inChannels / g.groups) * g.kH * g.kW;
  const work = dy.length * taps;
  let dx: Float32Array | null = null;
  if (need.input) {
    const wp = copyIn(kernels, weight);
    const wtpack = runtime.alloc(g.groups * roundUp(taps, 4) * (g.outChannels / g.groups) * 4);
    const dxp = runtime.alloc(x.length * 4);
    const stride = e.conv2dBackwardInputScratch(shape);
    const scratch = runtime.alloc(stride * pool.size);
    if (Math.min(wp, wtpack, dxp, scratch) < 0) return null;
    e.packConvWeightsTransposed(shape, wp, wtpack);
    pool.run('conv2dBackwardInputChunk', e.conv2dBackwardInputChunks(shape), [shape, dyp, wtpack, dxp, scratch, stride], work);
    dx = new Float32Array(x.length);
    runtime.read(dxp, dx);
  }
  let dw: Float32Array | null = null;
  let db: Float32Array | null = null;
  if (need.weight || need.bias) {
    const perGroup = Math.ceil(g.batch / Math.min(g.batch, WEIGHT_GROUPS));
    const imageGroups = Math.ceil(g.batch / perGroup);
    const partialFloats = e.conv2dWeightPartialFloats(shape);
    const xp = copyIn(kernels, x);
    const partials = runtime.alloc(imageGroups * partialFloats * 4);
    const sums = runtime.alloc(partialFloats * 4);
    const stride = e.conv2dBackwardWeightScratch(shape);
    const scratch = runtime.alloc(stride * pool.size);
    if (Math.min(xp, partials, sums, scratch) < 0) return null;
    pool.run('conv2dBackwardWeightChunk', imageGroups * g.groups, [shape, dyp, xp, perGroup, partials, scratch, stride], work);
    e.sumPartials(partials, imageGroups, partialFloats, sums);
    const weightFloats = g.outChannels * taps;
    if (need.weight) {
      dw = new Float32Array(weightFloats);
      runtime.read(sums, dw);
    }
    if (need.bias) {
      db = new Float32Array(g.outChannels);
      runtime.read(sums + weightFloats * 4, db);
    }
  }
  return { dx, dw, db };
}
