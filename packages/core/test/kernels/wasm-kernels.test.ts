import { afterAll, describe, expect, it, vi } from 'vitest';
import { conv2dGeometry, pool2dGeometry, setBackend, setNumThreads, getNumThreads, type Conv2dOptions, type Pool2dOptions } from '../../src/index.js';
import { gemm as gemmReference } from '../../src/kernels/gemm.js';
import { conv2dBackwardBias, conv2dBackwardInput, conv2dBackwardWeight, conv2dForward as conv2dForwardReference } from '../../src/kernels/im2col.js';
import { maxPool2dBackward as maxPool2dBackwardReference, maxPool2dForward as maxPool2dForwardReference } from '../../src/kernels/max-pool2d.js';
import { reluBackward as reluBackwardReference, reluForward as reluForwardReference } from '../../src/kernels/relu.js';
import { wasmKernels } from '../../src/kernels/backend.js';
import { conv2dForwardPath, winograd4FreshPays } from '../../src/kernels/wasm/conv2d-path.js';
import { conv2dBackwardPaths, conv2dIntoMemory } from '../../src/kernels/wasm/conv2d.js';
import { batchGemmForwardApplies } from '../../src/kernels/wasm/conv2d-batch-gemm.js';
import { conv2dBlockForward as conv2dBlockReference } from '../../src/kernels/conv2d-block.js';
import { conv2dBackward, conv2dBlockForward, conv2dForward, gemm, maxPool2dBackward, maxPool2dForward, reluBackward, reluForward } from '../../src/kernels/dispatch.js';

// The WebAssembly kernels against the TypeScript references. With small integers every product
// and partial sum is exact in float32, so the two must agree bit for bit whatever the summation
// order; with real-valued data they agree to rounding.

/** Integers in [−5, 5]. */
const ints = (length: number, seed: number): Float32Array => Float32Array.from({ length }, (_, i) => ((i * 7 + seed * 13 + ((i * i) % 5)) % 11) - 5);
/** Real values in (−1, 1). */
const reals = (length: number, seed: number): Float32Array => Float32Array.from({ length }, (_, i) => Math.sin(i * 0.377 + seed * 1.1));

/** Largest |a − b| over max(1, max |b|), the fixtures' error measure. */
const relativeError = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0) / b.reduce((m, v) => Math.max(m, Math.abs(v)), 1);

setBackend('wasm');
const defaultThreads = getNumThreads();
afterAll(() => setNumThreads(defaultThreads));

describe('wasm gemm', () => {
  // Around the 4×8 tile, the 64-row and 256-column chunks and the 256-step reduction blocks.
  const sizes = [[1, 1, 1], [3, 5, 2], [4, 8, 4], [5, 9, 7], [13, 17, 3], [64, 256, 256], [70, 270, 300], [130, 9, 520]] as const;
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it.each(sizes.map((s) => [...s]))(`transA ${transA} transB ${transB}: m %i n %i k %i equals the reference exactly`, (m, n, k) => {
        const a = ints(m * k, 1);
        const b = ints(k * n, 2);
        const c = new Float32Array(m * n).fill(99);
        const expected = new Float32Array(m * n);
        gemm({ m, n, k, a, b, c, transA, transB });
        gemmReference({ m, n, k, a, b, c: expected, transA, transB });
        expect(c).toEqual(expected);
      });
    }
  }

  it('reads and writes sub-matrices at offsets and accumulates', () => {
    const [m, n, k] = [9, 10, 11];
    const a = ints(3 + m * k, 3);
    const b = ints(2 + k * n, 4);
    const c = ints(4 + m * n + 4, 5);
    const expected = c.slice();
    gemm({ m, n, k, a, aOffset: 3, b, bOffset: 2, transB: false, c, cOffset: 4, accumulate: true });
    gemmReference({ m, n, k, a, aOffset: 3, b, bOffset: 2, transB: false, c: expected, cOffset: 4, accumulate: true });
    expect(c).toEqual(expected);
    expect(Array.from(c.subarray(0, 4))).toEqual(Array.from(ints(4 + m * n + 4, 5).subarray(0, 4)));
  });

  it('agrees with the reference to rounding on real values', () => {
    const [m, n, k] = [37, 300, 410];
    const a = reals(m * k, 1);
    const b = reals(k * n, 2);
    const c = new Float32Array(m * n);
    const expected = new Float32Array(m * n);
    gemm({ m, n, k, a, b, c, transB: true });
    gemmReference({ m, n, k, a, b, c: expected, transB: true });
    expect(relativeError(c, expected)).toBeLessThan(1e-5);
  });
});

interface ConvCase {
  readonly name: string;
  readonly x: readonly [number, number, number, number];
  readonly w: readonly [number, number, number, number];
  readonly options: Conv2dOptions;
}

// Forwards with fewer than 16 chunks of rows split their output channels too (blocks of ≥ 16).
// Stride, asymmetric 'same' padding, dilation, groups, 1×1, rows of 3, 10 and 56 positions, more
// than 128 positions and 256 taps (several blocks), a batch of 10 (five image groups of two).
// 3×3 stride-1 convs with at least 8 channels in and out run Winograd F(4×4, 3×3) (forward and,
// through the flipped kernel, the input gradient) where its tiles are used enough, else F(2×2, 3×3)
// from 24 channels; the weight gradient runs F(4×4, 3×3) on small maps (at most 400 4×4 tiles in the
// batch), else F(2×2, 3×3) wherever that forward would pay. F(4×4) is not exact on integers: its
// forward has its own cases below, its weight gradient is held to 3e-5 (see expectWeightGradient). Other stride-1 convs run the forward in
// place. The gradients of one-group convs with at most 64 positions per image multiply
// whole-batch matrices ('batch-gemm'), and so does their im2col forward from 1024 taps; otherwise the input gradient runs in place when the input
// is about the output's size, the weight gradient when there are at most 16 output channels or at
// most 32 taps (a first layer on RGB images); the rest goes through blocks of im2col/col2im image by image.
const convCases: readonly ConvCase[] = [
  { name: 'LeNet conv1', x: [3, 1, 32, 32], w: [6, 1, 5, 5], options: {} },
  { name: 'LeNet conv2', x: [2, 6, 14, 14], w: [16, 6, 5, 5], options: {} },
  { name: '3×3 pad 1 on 56×56', x: [1, 4, 56, 56], w: [8, 4, 3, 3], options: { padding: 1 } },
  { name: 'stride 2, padding [1, 2], dilation [2, 1]', x: [2, 3, 11, 13], w: [5, 3, 3, 2], options: { stride: 2, padding: [1, 2], dilation: [2, 1] } },
  { name: "even kernel, 'same'", x: [1, 2, 7, 9], w: [3, 2, 4, 2], options: { padding: 'same' } },
  { name: 'groups 2', x: [2, 4, 6, 7], w: [6, 2, 3, 3], options: { groups: 2, padding: 1 } },
  { name: 'depthwise', x: [1, 3, 5, 5], w: [3, 1, 3, 3], options: { groups: 3, padding: 1 } },
  { name: '1×1', x: [2, 5, 3, 3], w: [7, 5, 1, 1], options: {} },
  { name: '1×1 with padding 1', x: [1, 3, 4, 4], w: [2, 3, 1, 1], options: { padding: 1 } },
  { name: '288 taps, 400 positions', x: [1, 32, 20, 20], w: [7, 32, 3, 3], options: { padding: 1 } },
  { name: 'batch 10', x: [10, 2, 6, 6], w: [3, 2, 3, 3], options: {} },
  { name: '20 output channels on 17×17, 36 taps (im2col-gemm weight gradient)', x: [2, 4, 17, 17], w: [20, 4, 3, 3], options: { padding: 1 } },
  { name: 'RGB 3×3 pad 1, 32 output channels, 9 images (direct weight gradient, 27 taps)', x: [9, 3, 17, 17], w: [32, 3, 3, 3], options: { padding: 1 } },
  { name: 'RGB 3×3 no padding, 19 output channels, odd sizes (direct weight gradient)', x: [3, 3, 15, 13], w: [19, 3, 3, 3], options: {} },
  { name: 'RGB 3×3 stride [2, 1] pad 1, 24 output channels (direct weight gradient)', x: [2, 3, 16, 11], w: [24, 3, 3, 3], options: { stride: [2, 1], padding: 1 } },
  { name: 'stride 2 on 40×40 (col2im-gemm input gradient)', x: [1, 3, 40, 40], w: [5, 3, 3, 3], options: { stride: 2, padding: 1 } },
  { name: 'kernel as large as the padded input', x: [1, 1, 3, 3], w: [1, 1, 5, 5], options: { padding: 1 } },
  { name: 'one image, 48 output channels in 3 chunks', x: [1, 8, 5, 7], w: [48, 8, 3, 3], options: { padding: 1 } },
  { name: 'stride 2, one image, 36 output channels in chunks of 20 and 16', x: [1, 6, 9, 9], w: [36, 6, 3, 3], options: { stride: 2 } },
  // The channel blocks of these share columns packed once (im2colColumnsChunk), across 3 reduction blocks and 2 position blocks.
  { name: 'stride 2, one image, 576 taps, 32 output channels in 2 chunks', x: [1, 64, 19, 19], w: [32, 64, 3, 3], options: { stride: 2, padding: 1 } },
  { name: 'stride 2, two images of 256 positions, 40 output channels in 2 chunks', x: [2, 8, 33, 33], w: [40, 8, 3, 3], options: { stride: 2, padding: 1 } },
  // Stride-2 gathers four at a time: rows of 11 and 12 positions cut by the panels of 8 (im2colPanels, run by run), the last tap reading the image's last float.
  // (On 5 input channels: RGB stems take the 'taps' kernels below.)
  { name: 'stride 2 7×7 pad 3 on 5 channels, rows of 12', x: [2, 5, 23, 23], w: [8, 5, 7, 7], options: { stride: 2, padding: 3 } },
  { name: 'stride 2 unpadded, rows of 11 ending on the last column', x: [2, 5, 23, 23], w: [6, 5, 3, 3], options: { stride: 2 } },
  { name: 'stride 3 (gathered one at a time)', x: [1, 4, 17, 17], w: [6, 4, 3, 3], options: { stride: 3, padding: 1 } },
  // Rows of a multiple of 8 positions: im2col writes each panel of 8, within one row, in memory order (im2colPanels).
  { name: 'stride 2 7×7 pad 3 on 5 channels, rows of 16', x: [2, 5, 31, 31], w: [8, 5, 7, 7], options: { stride: 2, padding: 3 } },
  { name: 'stride 2, one image, rows of 8, 40 output channels in 2 chunks', x: [1, 16, 15, 15], w: [40, 16, 3, 3], options: { stride: 2, padding: 1 } },
  { name: 'Winograd F(2×2): 24→32 channels, ragged tile rows', x: [1, 24, 9, 8], w: [32, 24, 3, 3], options: { padding: 1 } },
  { name: 'Winograd F(2×2): 300 input channels (two channel blocks)', x: [1, 300, 6, 8], w: [24, 300, 3, 3], options: { padding: 1 } },
  { name: "Winograd F(2×2): 'same' on 8×8", x: [1, 32, 8, 8], w: [40, 32, 3, 3], options: { padding: 'same' } },
  { name: 'Winograd F(2×2): one image, 42 output channels in 2 chunks of 24 and 18', x: [1, 24, 12, 8], w: [42, 24, 3, 3], options: { padding: 1 } },
  // 5×5 maps: 25 of the 64 outputs of their 4×4 tiles, too few for the F(4×4) weight gradient.
  { name: 'batch-gemm: 5×5 layer, 360 taps', x: [3, 40, 5, 5], w: [36, 40, 3, 3], options: { padding: 1 } },
  { name: 'batch-gemm: 5×5 layer, 1152 taps (im2col-gemm forward, whole-batch)', x: [2, 128, 5, 5], w: [12, 128, 3, 3], options: { padding: 1 } },
  { name: 'batch-gemm: 3×3 stride 2 on 7×7, 1080 taps, 3 images (im2col-gemm forward, whole-batch)', x: [3, 120, 7, 7], w: [20, 120, 3, 3], options: { stride: 2, padding: 1 } },
  { name: 'batch-gemm: 1×1 stride 2 downsample', x: [2, 8, 9, 9], w: [12, 8, 1, 1], options: { stride: 2 } },
  { name: 'batch-gemm: 3×3 stride 2 on 7×7, 300 output channels', x: [2, 16, 7, 7], w: [300, 16, 3, 3], options: { stride: 2, padding: 1 } },
  // B packed once for all row blocks (packBChunk): 261 taps = two column blocks, the last panel of 5 columns.
  { name: 'batch-gemm: 261 taps, 3 images', x: [3, 29, 5, 5], w: [20, 29, 3, 3], options: { padding: 1 } },
  // First layers with stride 2 along W (at most 4 input channels per group, at least 8 output
  // channels): the forward's 4-position × 8-channel tile and the weight gradient's taps packed from
  // the image. Rows of 11 and 6 positions (a tail of 3 and 2 after the groups of 4), a last block
  // of 4 channels, groups, stride [1, 2] with dilation, output channels in chunks of 24 and 16.
  { name: 'taps: stem-like 7×7 stride 2 pad 3, rows of 11, 12 output channels', x: [2, 3, 21, 21], w: [12, 3, 7, 7], options: { stride: 2, padding: 3 } },
  { name: 'taps: unpadded 3×3 stride 2, groups 2 of 3 input channels', x: [2, 6, 13, 14], w: [16, 3, 3, 3], options: { stride: 2, groups: 2 } },
  { name: 'taps: stride [1, 2], dilation 2, 4 input channels', x: [2, 4, 15, 17], w: [8, 4, 3, 3], options: { stride: [1, 2], padding: 2, dilation: 2 } },
  { name: 'taps: one image, 40 output channels in chunks of 24 and 16', x: [1, 3, 20, 20], w: [40, 3, 3, 3], options: { stride: 2, padding: 1 } },
];

// Winograd F(4×4, 3×3): its transformed weights hold thirds, so even integer data is rounded, and
// its error is larger (up to 1.6e-5 of the largest output here, against F(2×2)'s 5e-7 and the
// direct forward's 2e-6 to 4e-6 on He-scaled data measured against float64: 8e-6).
// Ragged tile rows and columns, two channel blocks, its least channel count, asymmetric padding,
// rows of 5 tiles (groups of 4 that straddle two panels of 8, at every column) in a shared chunk.
const winograd4Cases: readonly ConvCase[] = [
  { name: "Winograd F(4×4): 'same' on 31×31, 3 images", x: [3, 32, 31, 31], w: [40, 32, 3, 3], options: { padding: 'same' } },
  { name: 'Winograd F(4×4): 16→24 channels, ragged tile rows', x: [2, 16, 14, 16], w: [24, 16, 3, 3], options: { padding: 1 } },
  { name: 'Winograd F(4×4): 300 input channels (two channel blocks)', x: [1, 300, 8, 16], w: [24, 300, 3, 3], options: { padding: 1 } },
  { name: 'Winograd F(4×4): 8 channels, padding [1, 2]', x: [2, 8, 12, 20], w: [8, 8, 3, 3], options: { padding: [1, 2] } },
  { name: 'Winograd F(4×4): rows of 5 tiles, 3 images in one chunk', x: [3, 16, 12, 20], w: [16, 16, 3, 3], options: { padding: 1 } },
  // No padding along W on 13 columns (the rows copied under each row of tiles have no left
  // border, and their last vector reads past the row); its input gradient pads W by 2.
  { name: 'Winograd F(4×4): padding [1, 0], 13 columns', x: [2, 8, 14, 13], w: [12, 8, 3, 3], options: { padding: [1, 0] } },
  // One block of tile rows: the 130 output channels go in two chunks of 68 and 62 (blockChannels).
  { name: 'Winograd F(4×4): 130 output channels split in two chunks', x: [2, 16, 8, 7], w: [130, 16, 3, 3], options: { padding: 1 } },
  // Weights transformed chunk by chunk (at most 128 tiles, weights not kept): 132 input channels
  // in blocks of 128 and 4, 42 output channels in chunks of 16, 16 and 10, one tile per image.
  { name: 'Winograd F(4×4): 4×4 maps of 8 images, 132→42 channels', x: [8, 132, 4, 4], w: [42, 132, 3, 3], options: { padding: 1 } },
  // Rows of 7 tiles across the panels of 8 (the groups of four lanes split between two panels).
  { name: 'Winograd F(4×4): rows of 7 tiles, 2 images, 20→36 channels', x: [2, 20, 8, 28], w: [36, 20, 3, 3], options: { padding: 1 } },
  // 27 tiles of 3 images in one chunk, transformed out panel by panel (8 tiles across rows and
  // images, then 3), the last tile of each row 3 columns wide and of each image 2 rows high, the
  // last panel of output channels 2 rows.
  { name: 'Winograd F(4×4): 3 images of 10×11, 12→14 channels', x: [3, 12, 10, 11], w: [14, 12, 3, 3], options: { padding: 1 } },
  // 432 4×4 tiles, more than the F(4×4) weight gradient takes: its weight gradient runs F(2×2).
  { name: 'Winograd F(4×4): 12 images of 24×24, F(2×2) weight gradient', x: [12, 24, 24, 24], w: [24, 24, 3, 3], options: { padding: 1 } },
];

// The F(4×4, 3×3) weight gradient (assembly/winograd4-weight-gradient.ts): 4×4 and 7×7 maps (2×2
// tiles, dy padded to 8×8), odd channel counts (a last block of 8 input channels half empty, a last
// panel of 4 output channels partly empty), 'valid', asymmetric padding, a 3×3 map (one tile, 9 of
// its 16 outputs), 36 output channels in chunks of 8, 8, 8, 8 and 4.
const winograd4WeightCases: readonly ConvCase[] = [
  { name: 'F(4×4) weight gradient: 4×4 maps, 13→10 channels', x: [3, 13, 4, 4], w: [10, 13, 3, 3], options: { padding: 1 } },
  { name: 'F(4×4) weight gradient: 7×7 maps, 40→36 channels', x: [8, 40, 7, 7], w: [36, 40, 3, 3], options: { padding: 1 } },
  { name: "F(4×4) weight gradient: 'valid' on 9×9", x: [2, 12, 9, 9], w: [9, 12, 3, 3], options: { padding: 'valid' } },
  { name: 'F(4×4) weight gradient: padding [1, 2], 8 input channels', x: [1, 8, 8, 6], w: [20, 8, 3, 3], options: { padding: [1, 2] } },
  { name: 'F(4×4) weight gradient: 3×3 maps, 17→8 channels', x: [4, 17, 3, 3], w: [8, 17, 3, 3], options: { padding: 1 } },
];

const weightPath = (c: ConvCase) => conv2dBackwardPaths(conv2dGeometry(c.x, c.w, c.options, c.name)).weight;

/**
 * dW against the reference: equal (`exact`, on integers) or within 1e-5 of it, except on the F(4×4)
 * weight gradient, whose transforms hold thirds: within 3e-5 there, and on integers not exact.
 */
function expectWeightGradient(c: ConvCase, dw: Float32Array, reference: Float32Array, exact: boolean): void {
  if (weightPath(c) === 'winograd4x4') {
    expect(relativeError(dw, reference)).toBeLessThan(3e-5);
    if (exact) expect(dw).not.toEqual(reference);
  } else if (exact) {
    expect(dw).toEqual(reference);
  } else {
    expect(relativeError(dw, reference)).toBeLessThan(1e-5);
  }
}

function runConv(c: ConvCase, data: (length: number, seed: number) => Float32Array) {
  const g = conv2dGeometry(c.x, c.w, c.options, c.name);
  const x = data(c.x.reduce((p, d) => p * d, 1), 1);
  const w = data(c.w.reduce((p, d) => p * d, 1), 2);
  const bias = data(c.w[0], 3);
  const ySize = g.batch * g.outChannels * g.outH * g.outW;
  const dy = data(ySize, 4);
  const y = new Float32Array(ySize).fill(99);
  conv2dForward(x, w, bias, g, y);
  const grads = conv2dBackward(dy, x, w, g, { input: true, weight: true, bias: true });
  const yRef = new Float32Array(ySize);
  conv2dForwardReference(x, w, bias, g, yRef);
  const reference = { dx: conv2dBackwardInput(dy, w, g), dw: conv2dBackwardWeight(dy, x, g), db: conv2dBackwardBias(dy, g) };
  return { y, grads, yRef, reference };
}

describe('wasm conv2d', () => {
  it.each(convCases.map((c) => [c.name, c] as const))('%s: forward and all gradients equal the reference exactly (dW on F(4×4): within 3e-5)', (_, c) => {
    const { y, grads, yRef, reference } = runConv(c, ints);
    expect(y).toEqual(yRef);
    expect(grads.dx).toEqual(reference.dx);
    expectWeightGradient(c, grads.dw!, reference.dw, true);
    expect(grads.db).toEqual(reference.db);
  });

  it.each(convCases.map((c) => [c.name, c] as const))('%s: agrees with the reference to rounding on real values', (_, c) => {
    const { y, grads, yRef, reference } = runConv(c, reals);
    expect(relativeError(y, yRef)).toBeLessThan(1e-5);
    expect(relativeError(grads.dx!, reference.dx)).toBeLessThan(1e-5);
    expectWeightGradient(c, grads.dw!, reference.dw, false);
    expect(relativeError(grads.db!, reference.db)).toBeLessThan(1e-5);
  });

  it.each(winograd4Cases.map((c) => [c.name, c] as const))('%s: forward and input gradient within 3e-5 of the reference on integers, weight gradients exact (F(4×4): within 3e-5)', (_, c) => {
    const { y, grads, yRef, reference } = runConv(c, ints);
    expect(relativeError(y, yRef)).toBeLessThan(3e-5);
    expect(relativeError(grads.dx!, reference.dx)).toBeLessThan(3e-5);
    expect(y).not.toEqual(yRef);
    expectWeightGradient(c, grads.dw!, reference.dw, true);
    expect(grads.db).toEqual(reference.db);
  });

  it.each(winograd4WeightCases.map((c) => [c.name, c] as const))('%s: dW within 3e-5 of the reference on integers (not exact) and real values, db exact on integers', (_, c) => {
    expect(weightPath(c)).toBe('winograd4x4');
    const onInts = runConv(c, ints);
    expectWeightGradient(c, onInts.grads.dw!, onInts.reference.dw, true);
    expect(onInts.grads.db).toEqual(onInts.reference.db);
    const onReals = runConv(c, reals);
    expectWeightGradient(c, onReals.grads.dw!, onReals.reference.dw, false);
    expect(relativeError(onReals.grads.db!, onReals.reference.db)).toBeLessThan(1e-5);
  });

  it("takes the F(4×4) weight gradient on ResNet-18's small maps at batch 8, not on CIFAR's 128 images, 5×5 maps or fewer than 8 channels", () => {
    const path = (x: readonly number[], outChannels: number, options: Conv2dOptions = { padding: 1 }) =>
      conv2dBackwardPaths(conv2dGeometry(x, [outChannels, x[1]!, 3, 3], options, 'conv')).weight;
    expect([path([8, 512, 4, 4], 512), path([8, 256, 7, 7], 256), path([8, 128, 14, 14], 128), path([8, 64, 28, 28], 64)]).toEqual(['winograd4x4', 'winograd4x4', 'winograd4x4', 'winograd4x4']);
    // 512 and 8192 tiles; 25 of 64 tile outputs; 4 channels; stride 2.
    expect([path([128, 64, 8, 8], 128), path([128, 32, 32, 32], 32), path([8, 512, 5, 5], 512), path([8, 4, 4, 4], 4), path([8, 256, 8, 8], 512, { stride: 2, padding: 1 })])
      .toEqual(['winograd', 'winograd', 'batch-gemm', 'batch-gemm', 'batch-gemm']);
  });

  it.each(winograd4Cases.map((c) => [c.name, c] as const))('%s: within 3e-5 of the reference on real values', (_, c) => {
    const { y, grads, yRef, reference } = runConv(c, reals);
    expect(relativeError(y, yRef)).toBeLessThan(3e-5);
    expect(relativeError(grads.dx!, reference.dx)).toBeLessThan(3e-5);
    expectWeightGradient(c, grads.dw!, reference.dw, false);
  });

  it('transforms weights used once chunk by chunk on few tiles, bit for bit as the kept transformed weights do', () => {
    const fresh = winograd4Cases.filter((c) => winograd4FreshPays(conv2dGeometry(c.x, c.w, c.options, c.name)));
    expect(fresh.map((c) => c.name)).toEqual(winograd4Cases.slice(1, -1).map((c) => c.name));
    expect(winograd4FreshPays(conv2dGeometry([8, 64, 28, 28], [64, 64, 3, 3], { padding: 1 }, 'conv'))).toBe(false);
    const kernels = wasmKernels()!;
    for (const c of fresh) {
      const g = conv2dGeometry(c.x, c.w, c.options, c.name);
      const x = reals(c.x.reduce((p, d) => p * d, 1), 1);
      const w = reals(c.w.reduce((p, d) => p * d, 1), 2);
      const bias = reals(c.w[0], 3);
      const forward = (version: number | null): Float32Array => {
        const y = new Float32Array(g.batch * g.outChannels * g.outH * g.outW);
        kernels.runtime.read(conv2dIntoMemory(kernels, x, w, bias, g, true, version, 'winograd4x4') as number, y);
        return y;
      };
      const once = forward(null);
      expect(once, c.name).toEqual(forward(1));
      expect(once.some((v) => v === 0) && once.some((v) => v > 0)).toBe(true);
    }
    // The input gradient reads the kernel turned where it lies: bit for bit the kept path's
    // forward of the transposed conv (dy padded by 1, turned kernel, channels swapped) on the kernel turned here.
    const c = winograd4Cases.find((k) => k.name.includes('4×4 maps of 8 images'))!;
    const [n, ci, h, wd] = c.x;
    const co = c.w[0];
    const w = reals(co * ci * 9, 2);
    const dy = reals(n * co * h * wd, 4);
    const turned = new Float32Array(w.length);
    for (let o = 0; o < co; o++) for (let i = 0; i < ci; i++) for (let k = 0; k < 9; k++) turned[(i * co + o) * 9 + 8 - k] = w[(o * ci + i) * 9 + k]!;
    const t = conv2dGeometry([n, co, h, wd], [ci, co, 3, 3], { padding: 1 }, 'transposed');
    expect(winograd4FreshPays(t)).toBe(true);
    const expected = new Float32Array(n * ci * h * wd);
    kernels.runtime.read(conv2dIntoMemory(kernels, dy, turned, null, t, false, 1, 'winograd4x4') as number, expected);
    const { dx } = conv2dBackward(dy, reals(n * ci * h * wd, 1), w, conv2dGeometry(c.x, c.w, c.options, c.name), { input: true, weight: false, bias: false });
    expect(dx).toEqual(expected);
  });

  it('takes the Winograd paths exactly for the cases so named, the input gradient too', () => {
    const paths = [...convCases, ...winograd4Cases].map((c) => {
      const g = conv2dGeometry(c.x, c.w, c.options, c.name);
      return { name: c.name, forward: conv2dForwardPath(g), input: conv2dBackwardPaths(g).input };
    });
    const named = (prefix: string): string[] => paths.filter((p) => p.name.startsWith(prefix)).map((p) => p.name);
    expect(paths.filter((p) => p.forward === 'winograd').map((p) => p.name)).toEqual(named('Winograd F(2×2)'));
    expect(paths.filter((p) => p.forward === 'winograd4x4').map((p) => p.name)).toEqual(named('Winograd F(4×4)'));
    expect(paths.filter((p) => p.input === 'winograd4x4').map((p) => p.name)).toEqual(named('Winograd F(4×4)'));
    // 7×7 outputs (ResNet's last stage): 49 of F(2×2)'s 64 tile outputs; F(4×4)'s 4 tiles do not
    // pay for transforming the weights, 8 (two images) do; 4×4 maps from 8 images.
    const path = (x: readonly number[]): string => conv2dForwardPath(conv2dGeometry(x, [40, 32, 3, 3], { padding: 'same' }, 'small'));
    expect([path([1, 32, 7, 7]), path([2, 32, 7, 7]), path([1, 32, 8, 8]), path([2, 32, 8, 8]), path([8, 32, 4, 4])]).toEqual([
      'direct', 'winograd4x4', 'winograd', 'winograd4x4', 'winograd4x4',
    ]);
    // With the transformed weights kept in the weight cache (inference), F(2×2) takes the 7×7 map of one image.
    const kept = (x: readonly number[]): string => conv2dForwardPath(conv2dGeometry(x, [40, 32, 3, 3], { padding: 'same' }, 'small'), true);
    expect([kept([1, 32, 7, 7]), kept([2, 32, 7, 7]), kept([1, 32, 4, 4])]).toEqual(['winograd', 'winograd4x4', 'direct']);
    expect(conv2dForwardPath(conv2dGeometry([1, 128, 4, 4], [40, 128, 3, 3], { padding: 1 }, 'deep'), true)).toBe('im2col-gemm');
  });

  it('fuses bias, ReLU and max pooling into the Winograd F(4×4) forward bit for bit as the separate kernels, on whole and on split output channels', () => {
    for (const c of [winograd4Cases[0]!, winograd4Cases.find((k) => k.name.includes('split'))!]) {
      const g = conv2dGeometry(c.x, c.w, c.options, c.name);
      const x = reals(c.x.reduce((p, d) => p * d, 1), 1);
      const w = reals(c.w.reduce((p, d) => p * d, 1), 2);
      const bias = reals(c.w[0], 3);
      const y = new Float32Array(g.batch * g.outChannels * g.outH * g.outW);
      conv2dForward(x, w, bias, g, y);
      const relu = new Float32Array(y.length);
      reluForward(y, relu);
      const fused = new Float32Array(y.length).fill(99);
      conv2dBlockForward({ x, weight: w, bias, conv: g, relu: true, pool: null, out: fused });
      expect(fused).toEqual(relu);
      expect(relu.some((v) => v === 0) && relu.some((v) => v > 0)).toBe(true);
      const pool = pool2dGeometry([g.batch, g.outChannels, g.outH, g.outW], { kernelSize: 2 }, 'maxPool2d');
      const pooled = new Float32Array(g.batch * g.outChannels * pool.outH * pool.outW).fill(99);
      conv2dBlockForward({ x, weight: w, bias, conv: g, relu: true, pool, out: pooled });
      expect(pooled).toEqual(maxPool2dForward(relu, pool, false).out);
    }
  });

  it('takes each backward path for the cases so named (conv2dBackwardPaths)', () => {
    const paths = (c: ConvCase) => conv2dBackwardPaths(conv2dGeometry(c.x, c.w, c.options, c.name));
    const named = (prefix: string) => convCases.filter((c) => c.name.startsWith(prefix));
    for (const c of named('Winograd')) expect(paths(c)).toEqual({ input: 'winograd', weight: 'winograd4x4' });
    expect(paths(winograd4Cases.find((c) => c.name.includes('F(2×2) weight gradient'))!)).toEqual({ input: 'winograd4x4', weight: 'winograd' });
    for (const c of named('batch-gemm')) expect(paths(c)).toEqual({ input: 'batch-gemm', weight: 'batch-gemm' });
    expect(paths(convCases.find((c) => c.name.includes('im2col-gemm weight'))!).weight).toBe('im2col-gemm');
    expect(paths(convCases.find((c) => c.name.includes('col2im-gemm input'))!).input).toBe('col2im-gemm');
    expect(paths(convCases.find((c) => c.name === 'groups 2')!)).toEqual({ input: 'direct', weight: 'direct' });
    expect(paths(convCases.find((c) => c.name === 'LeNet conv1')!)).toEqual({ input: 'col2im-gemm', weight: 'direct' });
    for (const c of convCases.filter((k) => k.name.includes('direct weight gradient'))) expect(paths(c).weight).toBe('direct');
    const taps = named('taps');
    expect(taps.map((c) => [conv2dForwardPath(conv2dGeometry(c.x, c.w, c.options, c.name)), paths(c).weight])).toEqual(taps.map(() => ['taps', 'taps']));
    expect(convCases.filter((c) => !c.name.startsWith('taps')).map((c) => conv2dForwardPath(conv2dGeometry(c.x, c.w, c.options, c.name)))).not.toContain('taps');
  });

  it('runs the im2col forward as one whole-batch product exactly for the cases so named', () => {
    const whole = convCases.filter((c) => batchGemmForwardApplies(conv2dGeometry(c.x, c.w, c.options, c.name))).map((c) => c.name);
    expect(whole).toEqual(convCases.filter((c) => c.name.includes('whole-batch')).map((c) => c.name));
    expect(whole.length).toBe(2);
    for (const c of convCases.filter((k) => k.name.includes('whole-batch'))) expect(conv2dForwardPath(conv2dGeometry(c.x, c.w, c.options, c.name))).toBe('im2col-gemm');
  });

  it('fuses bias and ReLU into chunks of split output channels exactly as the reference', () => {
    for (const c of convCases.filter((k) => k.name.includes('chunks'))) {
      const g = conv2dGeometry(c.x, c.w, c.options, c.name);
      const args = { x: ints(c.x.reduce((p, d) => p * d, 1), 1), weight: ints(c.w.reduce((p, d) => p * d, 1), 2), bias: ints(c.w[0], 3), conv: g, relu: true, pool: null };
      const out = new Float32Array(g.batch * g.outChannels * g.outH * g.outW).fill(99);
      const expected = new Float32Array(out.length);
      conv2dBlockForward({ ...args, out });
      conv2dBlockReference({ ...args, out: expected });
      expect(out).toEqual(expected);
      expect(out.some((v) => v === 0) && out.some((v) => v > 0)).toBe(true);
    }
  });

  it('computes only the gradients asked for', () => {
    const c = convCases[1]!;
    const g = conv2dGeometry(c.x, c.w, c.options, c.name);
    const dy = ints(g.batch * g.outChannels * g.outH * g.outW, 4);
    const grads = conv2dBackward(dy, ints(2 * 6 * 14 * 14, 1), ints(16 * 6 * 25, 2), g, { input: false, weight: true, bias: false });
    expect(grads.dx).toBeNull();
    expect(grads.db).toBeNull();
    expect(grads.dw).toEqual(conv2dBackwardWeight(dy, ints(2 * 6 * 14 * 14, 1), g));
  });
});

describe('wasm threads', () => {
  it('report a chunk that traps, on whichever thread it ran, and keep working afterwards', () => {
    setNumThreads(2);
    const { pool } = wasmKernels()!;
    const outside = 0x7ffffff0;
    expect(() => pool.run('reluForwardChunk', 16, [outside, outside, 16 << 16], 1 << 30)).toThrow(/out of bounds/);
    const { y, yRef } = runConv(convCases[0]!, ints);
    expect(y).toEqual(yRef);
  });

  it('give bit-identical results on 1 and 2 threads (chunks, not threads, fix the summation order)', () => {
    const direct: ConvCase = { name: 'parallel', x: [16, 6, 24, 24], w: [16, 6, 3, 3], options: { padding: 1 } };
    // Chunks of 9 rows of tiles: the batch's 30 rows in 4 chunks, 3 of them shared by two images.
    const winograd4: ConvCase = { name: 'parallel Winograd F(4×4)', x: [5, 64, 24, 24], w: [64, 64, 3, 3], options: { padding: 1 } };
    const channels: ConvCase = { name: 'one 7×7 image, output channels split', x: [1, 64, 7, 7], w: [128, 64, 3, 3], options: { padding: 1 } };
    // Winograd F(4×4) on one block of tile rows: its 132 output channels in two chunks of 68 and 64.
    const winograd4Split: ConvCase = { name: 'parallel Winograd F(4×4), output channels split', x: [8, 32, 4, 4], w: [132, 32, 3, 3], options: { padding: 1 } };
    const batchGemm: ConvCase = { name: 'parallel batch-gemm', x: [6, 64, 5, 5], w: [96, 64, 3, 3], options: { padding: 1 } };
    // The F(4×4) weight gradient: 36 output channels in 5 chunks (the last of one panel of 4).
    const winograd4Weight = winograd4WeightCases.find((c) => c.name.includes('40→36'))!;
    // F(4×4) with the weights transformed chunk by chunk: 18 chunks of input channels, 11 of output channels.
    const fresh: ConvCase = { name: 'parallel Winograd F(4×4), weights used once', x: [8, 280, 4, 4], w: [172, 280, 3, 3], options: { padding: 1 } };
    // 27 taps, 32 output channels: the direct weight gradient, two image groups per thread.
    const rgb: ConvCase = { name: 'parallel RGB first layer', x: [32, 3, 12, 12], w: [32, 3, 3, 3], options: { padding: 1 } };
    // im2col-gemm forward (panels of 8 in memory order) and weight gradient, col2im input gradient.
    const strided: ConvCase = { name: 'parallel stride 2', x: [4, 5, 32, 32], w: [16, 5, 7, 7], options: { stride: 2, padding: 3 } };
    // The 'taps' forward and weight gradient: 9 images in 5 image groups of 2 (the last of 1).
    const stem: ConvCase = { name: 'parallel stride 2 stem', x: [9, 3, 30, 30], w: [24, 3, 7, 7], options: { stride: 2, padding: 3 } };
    // The im2col forward of 8 images of 4×4 outputs as one product: two row blocks of its 96 output channels.
    const wholeBatch: ConvCase = { name: 'parallel whole-batch forward', x: [8, 128, 8, 8], w: [96, 128, 3, 3], options: { stride: 2, padding: 1 } };
    const paths = [direct, winograd4, winograd4Split, batchGemm, strided, stem].map((c) => conv2dForwardPath(conv2dGeometry(c.x, c.w, c.options, c.name)));
    expect(paths).toEqual(['direct', 'winograd4x4', 'winograd4x4', 'direct', 'im2col-gemm', 'taps']);
    expect(conv2dBackwardPaths(conv2dGeometry(rgb.x, rgb.w, rgb.options, rgb.name)).weight).toBe('direct');
    expect(winograd4FreshPays(conv2dGeometry(fresh.x, fresh.w, fresh.options, fresh.name))).toBe(true);
    expect(batchGemmForwardApplies(conv2dGeometry(wholeBatch.x, wholeBatch.w, wholeBatch.options, wholeBatch.name))).toBe(true);
    expect(conv2dBackwardPaths(conv2dGeometry(stem.x, stem.w, stem.options, stem.name)).weight).toBe('taps');
    expect([batchGemm, winograd4Weight].map((c) => conv2dBackwardPaths(conv2dGeometry(c.x, c.w, c.options, c.name)).weight)).toEqual(['batch-gemm', 'winograd4x4']);
    for (const c of [direct, winograd4, winograd4Split, fresh, channels, batchGemm, rgb, strided, stem, wholeBatch, winograd4Weight]) {
      setNumThreads(1);
      const one = runConv(c, reals);
      setNumThreads(2);
      const two = runConv(c, reals);
      expect(two.y).toEqual(one.y);
      expect(two.grads.dx).toEqual(one.grads.dx);
      expect(two.grads.dw).toEqual(one.grads.dw);
      expect(two.grads.db).toEqual(one.grads.db);
      expect(relativeError(two.y, one.yRef)).toBeLessThan(c === winograd4 || c === winograd4Split || c === fresh || c === winograd4Weight ? 3e-5 : 1e-5);
    }
    // F(2×2) now runs only where F(4×4) has too few tiles; forced here onto 6 images of 20×8, and
    // onto one image of 12×8 (one block of tile rows) whose 42 output channels it splits into 2 chunks.
    for (const [x, outChannels] of [[[6, 32, 20, 8], 32], [[1, 24, 12, 8], 42]] as const) {
      const g = conv2dGeometry(x, [outChannels, x[1], 3, 3], { padding: 1 }, 'parallel Winograd F(2×2)');
      const size = x[0] * outChannels * x[2] * x[3];
      const forward = (threads: number): Float32Array => {
        setNumThreads(threads);
        const kernels = wasmKernels()!;
        const y = new Float32Array(size);
        kernels.runtime.read(conv2dIntoMemory(kernels, reals(x[0] * x[1] * x[2] * x[3], 1), reals(outChannels * x[1] * 9, 2), reals(outChannels, 3), g, true, null, 'winograd') as number, y);
        return y;
      };
      const one = forward(1);
      expect(forward(2)).toEqual(one);
      const expected = new Float32Array(size);
      conv2dForwardReference(reals(x[0] * x[1] * x[2] * x[3], 1), reals(outChannels * x[1] * 9, 2), reals(outChannels, 3), g, expected);
      expect(relativeError(one, expected.map((v) => Math.max(v, 0)))).toBeLessThan(1e-5);
      expect(one.some((v) => v === 0) && one.some((v) => v > 0)).toBe(true);
    }
    expect(conv2dForwardPath(conv2dGeometry([6, 32, 20, 8], [32, 32, 3, 3], { padding: 1 }, 'F(4×4)'))).toBe('winograd4x4');
  });
});

describe('wasm Winograd F(4×4) forward, input copied in while the workers start', () => {
  it('has each chunk wait for its images: a slow copy over NaN-filled memory gives the 1-thread result bit for bit', async () => {
    // 5 images of 24×24: chunks of 9 tile rows, 3 of the 4 chunks spanning two images.
    const g = conv2dGeometry([5, 64, 24, 24], [64, 64, 3, 3], { padding: 1 }, 'staged input');
    const [x, w, b] = [reals(5 * 64 * 24 * 24, 1), reals(64 * 64 * 9, 2), reals(64, 3)];
    const forward = (): Float32Array => {
      const kernels = wasmKernels()!;
      const y = new Float32Array(5 * 64 * 24 * 24);
      kernels.runtime.read(conv2dIntoMemory(kernels, x, w, b, g, false, null, 'winograd4x4') as number, y);
      return y;
    };
    setNumThreads(1);
    const one = forward();
    const expected = new Float32Array(one.length);
    conv2dForwardReference(x, w, b, g, expected);
    expect(relativeError(one, expected)).toBeLessThan(3e-5);
    setNumThreads(2);
    const { runtime, pool } = wasmKernels()!;
    for (const end = Date.now() + 10_000; pool.readyWorkers < 1 && Date.now() < end;) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pool.readyWorkers).toBe(1);
    forward();
    // The arena (where the input goes) filled with NaN, and each image written 20 ms late: a chunk
    // that did not wait for its images would read NaN.
    runtime.reset();
    new Float32Array(runtime.memory.buffer).fill(NaN, runtime.alloc(0) / 4);
    const write = runtime.write.bind(runtime);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const writes: number[] = [];
    const spy = vi.spyOn(runtime, 'write').mockImplementation((at, src, offset, length) => {
      if (src === x) {
        Atomics.wait(pause, 0, 0, 20);
        writes.push(length ?? src.length);
      }
      write(at, src, offset, length);
    });
    const two = forward();
    spy.mockRestore();
    expect(writes).toEqual([64 * 24 * 24, 64 * 24 * 24, 64 * 24 * 24, 64 * 24 * 24, 64 * 24 * 24]);
    // Compared as a whole: a failing toEqual would print a diff of 184,320 floats.
    expect(two.every((v, i) => Object.is(v, one[i]))).toBe(true);
  });

  it('copies each image out as soon as its chunks are done, on 1 and 2 threads, bit for bit what memory holds at the end', async () => {
    // 5 images of 24×24 in 4 chunks of 9 tile rows: images 0, 1 and 3 finish in two chunks each.
    const g = conv2dGeometry([5, 64, 24, 24], [64, 64, 3, 3], { padding: 1 }, 'staged output');
    const [x, w, b] = [reals(5 * 64 * 24 * 24, 1), reals(64 * 64 * 9, 2), reals(64, 3)];
    const image = 64 * 24 * 24;
    const results: Float32Array[] = [];
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      const { runtime, pool } = wasmKernels()!;
      for (const end = Date.now() + 10_000; pool.readyWorkers < threads - 1 && Date.now() < end;) await new Promise((resolve) => setTimeout(resolve, 10));
      const output = { values: new Float32Array(5 * image).fill(NaN), images: 0 };
      const read = runtime.read.bind(runtime);
      const reads: [number, number][] = [];
      const spy = vi.spyOn(runtime, 'read').mockImplementation((at, dst, offset, length) => {
        if (dst === output.values) reads.push([offset ?? 0, length ?? dst.length]);
        read(at, dst, offset, length);
      });
      const yp = conv2dIntoMemory(wasmKernels()!, x, w, b, g, false, 1, 'winograd4x4', undefined, output) as number;
      spy.mockRestore();
      expect(output.images, `${threads} threads`).toBe(5);
      expect(reads).toEqual([0, 1, 2, 3, 4].map((n) => [n * image, image]));
      const inMemory = new Float32Array(5 * image);
      runtime.read(yp, inMemory);
      expect(output.values.every((v, i) => Object.is(v, inMemory[i]))).toBe(true);
      results.push(output.values);
    }
    expect(results[1]!.every((v, i) => Object.is(v, results[0]![i]))).toBe(true);
    const expected = new Float32Array(5 * image);
    conv2dForwardReference(x, w, b, g, expected);
    expect(relativeError(results[0]!, expected)).toBeLessThan(3e-5);
  });
});

describe('wasm relu', () => {
  // Signed zeros, NaN, infinities, and more than one 65,536-element chunk with a ragged end.
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-30, -1e-30, 2.5, -2.5];
  const x = Float32Array.from({ length: 70001 }, (_, i) => (i < special.length ? special[i]! : Math.sin(i * 0.37)));
  const dy = reals(x.length, 9);

  it('forward equals the reference bit for bit (NaN and −0 kept, as PyTorch)', () => {
    const y = new Float32Array(x.length).fill(7);
    const expected = new Float32Array(x.length);
    reluForward(x, y);
    reluForwardReference(x, expected);
    expect(y).toEqual(expected);
    expect(Array.from(y.subarray(0, special.length))).toEqual([0, -0, NaN, Infinity, 0, 1e-30, 0, 2.5, 0].map((v) => Math.fround(v)));
    expect(Object.is(y[1], -0)).toBe(true);
  });

  it('backward equals the reference bit for bit', () => {
    const dx = new Float32Array(x.length).fill(7);
    const expected = new Float32Array(x.length);
    reluBackward(x, dy, dx);
    reluBackwardReference(x, dy, expected);
    expect(dx).toEqual(expected);
    expect(dx[1]).toBe(0);
    expect(dx[2]).toBe(dy[2]);
    expect(dx[3]).toBe(dy[3]);
  });
});

describe('wasm maxPool2d', () => {
  const geometries: readonly [string, readonly [number, number, number, number], Pool2dOptions][] = [
    ['2×2 (LeNet)', [3, 6, 28, 28], { kernelSize: 2 }],
    ['3×3 stride 2 padding 1', [2, 3, 9, 10], { kernelSize: 3, stride: 2, padding: 1 }],
    ['dilation 2, stride [2, 1]', [1, 2, 9, 8], { kernelSize: [2, 3], stride: [2, 1], dilation: 2 }],
    ['ceil mode', [2, 2, 7, 7], { kernelSize: 3, stride: 2, ceilMode: true }],
    ['padding [1, 0], 17 planes (three chunks)', [17, 1, 5, 6], { kernelSize: [3, 2], padding: [1, 0] }],
  ];
  it.each(geometries)('%s: values, arg-max and gradient equal the reference exactly', (_, shape, options) => {
    const g = pool2dGeometry(shape, options, 'maxPool2d');
    const n = shape.reduce((p, d) => p * d, 1);
    // Few distinct values, so windows hold ties; NaNs at a top-left and a bottom-right tap.
    const x = Float32Array.from({ length: n }, (_, i) => ((i * 5) % 7) - 3);
    x[4] = NaN;
    x[shape[3] + 7] = NaN;
    const { out, argmax } = maxPool2dForward(x, g, true);
    const reference = maxPool2dForwardReference(x, g, true);
    expect(out).toEqual(reference.out);
    expect(argmax).toEqual(reference.argmax);
    const dy = ints(out.length, 6);
    expect(maxPool2dBackward(dy, argmax!, g)).toEqual(maxPool2dBackwardReference(dy, reference.argmax!, g));
    const valuesOnly = maxPool2dForward(x, g, false);
    expect(valuesOnly.out).toEqual(reference.out);
    expect(valuesOnly.argmax).toBeNull();
  });
});
