import { describe, expect, it } from 'vitest';
import { Conv2d, ConvlabError, Tensor, conv2d, getBackend, noGrad, traceKernels, type ConvPadding, type IntPair } from '../../src/index.js';
import { conv2dForwardPath } from '../../src/kernels/wasm/conv2d-path.js';
import { conv2dBackwardPaths } from '../../src/kernels/wasm/conv2d.js';
import { conv2dGeometry, type Conv2dGeometry } from '../../src/shape/conv-geometry.js';
import { loadTorchCases, relativeMaxError } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
/** Deterministic, distinct-looking values for gradient checks. */
const wave = (shape: number[], phase: number): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return Tensor.from(Array.from({ length: n }, (_, i) => Math.sin(i * 0.77 + phase) * 1.5), shape);
};

describe('conv2d matches PyTorch', () => {
  const cases = loadTorchCases('conv_pool_conv2d');
  const arg = <T>(c: { args: Record<string, unknown> }, name: string): T => c.args[name] as T;
  it('covers stride, every padding form, dilation, groups and missing bias', () => {
    expect(cases.length).toBe(119);
    const paddings = new Set(cases.map((c) => JSON.stringify(c.args.padding)));
    for (const p of ['"same"', '"valid"', '0', '[1,2]']) expect(paddings).toContain(p);
    expect(cases.some((c) => JSON.stringify(c.args.stride) !== '1')).toBe(true);
    expect(cases.some((c) => JSON.stringify(c.args.dilation) !== '1')).toBe(true);
    expect(cases.some((c) => c.args.groups !== 1 && c.tensors.weight!.shape[1] === 1)).toBe(true);
    expect(cases.filter((c) => c.args.bias === false).length).toBeGreaterThan(5);
    expect(cases.some((c) => c.tensors.x!.shape[0]! > 1)).toBe(true);
  });
  const options = (c: (typeof cases)[number]) =>
    ({ padding: arg<ConvPadding>(c, 'padding'), stride: arg<IntPair>(c, 'stride'), dilation: arg<IntPair>(c, 'dilation'), groups: arg<number>(c, 'groups') });
  const geometryOf = (c: (typeof cases)[number]): Conv2dGeometry => conv2dGeometry(c.tensors.x!.shape, c.tensors.weight!.shape, options(c), c.name);
  it('sends cases through both WebAssembly Winograd forwards, F(2×2) and F(4×4), and their input gradients', () => {
    const geometries = cases.map(geometryOf);
    const sizes = (path: string, paths: (g: Conv2dGeometry) => string) =>
      geometries.filter((g) => paths(g) === path).map((g) => [g.inChannels, g.outChannels, g.outH, g.outW]);
    // [C_in, C_out, H_out, W_out] of the conv (for the input gradient too: it runs the turned conv).
    expect(sizes('winograd', conv2dForwardPath)).toEqual([[32, 24, 8, 8], [32, 40, 8, 8]]);
    const f4 = [[24, 32, 9, 15], [24, 24, 6, 16], [16, 24, 15, 16], [32, 16, 16, 15], [24, 32, 16, 16], [32, 32, 14, 14], [8, 8, 12, 22], [16, 16, 10, 20], [9, 11, 7, 7], [12, 9, 7, 7]];
    expect(sizes('winograd4x4', conv2dForwardPath)).toEqual(f4);
    expect(sizes('winograd', (g) => conv2dBackwardPaths(g).input)).toEqual([[32, 40, 8, 8]]);
    // With the weights kept across calls (inference), F(2×2) takes the 7×7 map too (49 of its 64 tile outputs).
    expect(sizes('winograd', (g) => conv2dForwardPath(g, true))).toEqual([[32, 24, 8, 8], [32, 40, 8, 8], [32, 40, 7, 7]]);
    // 'valid' 18×18 → 16×16 and 9×9 → 7×7: the gradient's input is much larger than dy, so col2im (transposedGeometry).
    expect(sizes('winograd4x4', (g) => conv2dBackwardPaths(g).input)).toEqual(f4.filter((s) => s.join() !== '24,32,16,16' && s.join() !== '12,9,7,7'));
  });
  it('sends the small-map cases (4×4, 7×7, 3×3, odd channel counts) through the F(4×4) weight gradient', () => {
    const small = cases.slice(-5).map(geometryOf);
    expect(small.map((g) => [g.inChannels, g.outChannels, g.outH, g.outW])).toEqual([[13, 10, 4, 4], [9, 11, 7, 7], [12, 9, 7, 7], [8, 20, 8, 8], [17, 8, 3, 3]]);
    expect(small.map((g) => conv2dBackwardPaths(g).weight)).toEqual(Array(5).fill('winograd4x4'));
  });
  it('sends the first-layer cases (at most 32 taps, more than 16 output channels, stride 1 along W) through the in-place weight gradient', () => {
    const direct = cases.filter((c) => {
      const g = conv2dGeometry(
        c.tensors.x!.shape, c.tensors.weight!.shape,
        { padding: arg<ConvPadding>(c, 'padding'), stride: arg<IntPair>(c, 'stride'), dilation: arg<IntPair>(c, 'dilation'), groups: arg<number>(c, 'groups') }, c.name,
      );
      return g.outChannels > 16 && conv2dBackwardPaths(g).weight === 'direct';
    });
    expect(direct.map((c) => c.tensors.x!.shape)).toEqual([[3, 3, 17, 15], [2, 3, 13, 12], [2, 3, 16, 11], [2, 1, 12, 13]]);
  });
  it('sends the first layers with stride 2 along W (at most 4 input channels per group, at least 8 output channels) through the taps kernels', () => {
    const taps = cases.filter((c) => conv2dForwardPath(geometryOf(c)) === 'taps');
    expect(taps.map((c) => c.tensors.x!.shape)).toEqual([[2, 3, 15, 16], [2, 3, 29, 27], [2, 3, 20, 21], [1, 4, 17, 19], [2, 6, 12, 13]]);
    // The first (8×8 outputs, 64 positions per image) multiplies whole-batch matrices for its gradients.
    expect(taps.map((c) => conv2dBackwardPaths(geometryOf(c)).weight)).toEqual(['batch-gemm', 'taps', 'taps', 'taps', 'taps']);
  });
  it('sends the deep small-map cases through im2col-gemm (many taps) and F(2×2) (7×7, weights kept); their inference forward matches PyTorch', () => {
    const small = [[1, 32, 7, 7], [2, 128, 4, 4], [1, 8, 10, 10]].map((x) => cases.find((c) => c.tensors.x!.shape.join() === x.join())!);
    expect(small.map((c) => conv2dForwardPath(geometryOf(c)))).toEqual(['direct', 'im2col-gemm', 'direct']);
    expect(small.map((c) => conv2dForwardPath(geometryOf(c), true))).toEqual(['winograd', 'im2col-gemm', 'direct']);
    expect(small.map((c) => conv2dBackwardPaths(geometryOf(c)).input)).toEqual(['batch-gemm', 'batch-gemm', 'im2col-gemm']);
    for (const c of small) {
      const { result, calls } = traceKernels(() => noGrad(() => conv2d(c.tensors.x!, c.tensors.weight!, c.tensors.bias ?? null, options(c))));
      expect(calls.map((k) => k.path)).toEqual([getBackend() === 'wasm' ? conv2dForwardPath(geometryOf(c), true) : 'im2col-gemm']);
      expect(relativeMaxError(result, c.tensors.out!)).toBeLessThanOrEqual(1e-4);
    }
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const x = leaf(c.tensors.x!);
    const w = leaf(c.tensors.weight!);
    const b = c.tensors.bias === undefined ? null : leaf(c.tensors.bias);
    const y = conv2d(x, w, b, {
      stride: arg<IntPair>(c, 'stride'),
      padding: arg<ConvPadding>(c, 'padding'),
      dilation: arg<IntPair>(c, 'dilation'),
      groups: arg<number>(c, 'groups'),
    });
    expect(relativeMaxError(y, c.tensors.out!)).toBeLessThanOrEqual(1e-4);
    y.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(1e-4);
    expect(relativeMaxError(w.grad!, c.tensors.grad_weight!)).toBeLessThanOrEqual(1e-4);
    if (b !== null) expect(relativeMaxError(b.grad!, c.tensors.grad_bias!)).toBeLessThanOrEqual(1e-4);
  });
});

describe('conv2d', () => {
  it('computes the cross-correlation of exercise B1 exactly', () => {
    const image = Tensor.from([[[[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]]]);
    const kernel = Tensor.from([[[[1, 0, 1], [0, 1, 0], [1, 0, 1]]]]);
    expect(conv2d(image, kernel, null).toArray()).toEqual([[[[4, 3, 4], [2, 4, 3], [2, 3, 4]]]]);
  });

  it('does not flip the kernel, adds the bias per output channel and gives exact gradients', () => {
    const x = Tensor.from([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], undefined, true);
    const w = Tensor.from([[[[1, 0], [0, 0]]], [[[0, 0], [0, 2]]]], undefined, true);
    const b = Tensor.from([10, -1], undefined, true);
    const y = conv2d(x, w, b);
    // Channel 0 picks each window's top-left value, channel 1 twice its bottom-right one.
    expect(y.toArray()).toEqual([[[[11, 12], [14, 15]], [[9, 11], [15, 17]]]]);
    y.backward(Tensor.from([[[[1, 0], [0, 0]], [[0, 0], [0, 1]]]]));
    expect(x.grad!.toArray()).toEqual([[[[1, 0, 0], [0, 0, 0], [0, 0, 2]]]]);
    expect(w.grad!.toArray()).toEqual([[[[1, 2], [4, 5]]], [[[5, 6], [8, 9]]]]);
    expect(b.grad!.toArray()).toEqual([1, 1]);
  });

  it("pads an even kernel with 'same' asymmetrically, the extra row and column at the bottom/right", () => {
    const x = Tensor.from([[[[1, 2], [3, 4]]]]);
    const ones = Tensor.full([1, 1, 2, 2], 1);
    expect(conv2d(x, ones, null, { padding: 'same' }).toArray()).toEqual([[[[10, 6], [7, 4]]]]);
    expect(conv2d(x, ones, null, { padding: 'valid' }).toArray()).toEqual([[[[10]]]]);
  });

  it('keeps the groups apart (depthwise: each channel with its own filter)', () => {
    const x = Tensor.from([[[[1, 2], [3, 4]], [[10, 20], [30, 40]]]]);
    const w = Tensor.from([[[[1]]], [[[-1]]]]);
    expect(conv2d(x, w, null, { groups: 2 }).toArray()).toEqual([[[[1, 2], [3, 4]], [[-10, -20], [-30, -40]]]]);
  });

  it('reproduces exercise B4: Conv2d(2→3, kernel (3,5), padding (1,2)) on 4×2×3×5', () => {
    const conv = new Conv2d(2, 3, [3, 5], { padding: [1, 2] });
    const y = conv.call(wave([4, 2, 3, 5], 0));
    expect(y.shape).toEqual([4, 3, 3, 5]);
    expect(conv.weight.shape).toEqual([3, 2, 3, 5]);
    expect(conv.bias!.shape).toEqual([3]);
  });

  it('handles stride, dilation and padding together on a batch (exercise B7 sizes)', () => {
    expect(new Conv2d(3, 4, 3, { padding: 2 }).call(Tensor.zeros([1, 3, 100, 100])).shape).toEqual([1, 4, 102, 102]);
    expect(conv2d(Tensor.zeros([2, 3, 9, 10]), Tensor.zeros([4, 3, 3, 2]), null, { stride: [2, 3], padding: [1, 0], dilation: [2, 1] }).shape).toEqual([2, 4, 4, 3]);
  });

  it('passes gradient checks with stride, padding, dilation, groups and bias', () => {
    const check = (xShape: number[], wShape: number[], options: Parameters<typeof conv2d>[3]): number =>
      gradCheck(([x, w, b]) => conv2d(x!, w!, b!, options), [wave(xShape, 0), wave(wShape, 1), wave([wShape[0]!], 2)], { maxProbes: 24 });
    expect(check([2, 4, 5, 6], [6, 2, 3, 2], { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 })).toBeLessThan(1e-2);
    expect(check([1, 2, 4, 5], [2, 2, 2, 3], { padding: 'same', dilation: [2, 1] })).toBeLessThan(1e-2);
    expect(check([1, 3, 4, 4], [3, 1, 3, 3], { padding: 1, groups: 3 })).toBeLessThan(1e-2);
    expect(check([2, 3, 3, 4], [2, 3, 1, 1], {})).toBeLessThan(1e-2);
  });

  it('accumulates gradients over two backward passes like PyTorch', () => {
    const w = Tensor.from([[[[1, 2], [3, 4]]]], undefined, true);
    const x = Tensor.from([[[[1, 1], [1, 1]]]]);
    conv2d(x, w, null).backward();
    conv2d(x, w, null).backward();
    expect(w.grad!.toArray()).toEqual([[[[2, 2], [2, 2]]]]);
  });
});

describe('conv2d rejects bad input', () => {
  const x = Tensor.zeros([1, 3, 5, 5]);
  const w = Tensor.zeros([4, 3, 3, 3]);
  it('names the layer, the argument, what was expected and what came', () => {
    const layer = new Conv2d(3, 16, 3);
    expect(() => layer.call(Tensor.zeros([8, 4, 32, 32]))).toThrow(ConvlabError);
    expect(() => layer.call(Tensor.zeros([8, 4, 32, 32]))).toThrow('Conv2d(3→16, kernelSize 3): expected input with 3 channels, got 4 (input shape [8,4,32,32])');
    expect(() => layer.call(Tensor.zeros([3, 32, 32]))).toThrow('Conv2d(3→16, kernelSize 3): expected a 4-D input [N, C, H, W], got shape [3,32,32]');
  });
  it('wrong ranks and bias shapes', () => {
    expect(() => conv2d(Tensor.zeros([3, 5, 5]), w, null)).toThrow('conv2d: expected a 4-D input [N, C, H, W], got shape [3,5,5]');
    expect(() => conv2d(x, Tensor.zeros([4, 27]), null)).toThrow('conv2d: expected a 4-D weight [C_out, C_in/groups, kH, kW], got shape [4,27]');
    expect(() => conv2d(x, w, Tensor.zeros([3]))).toThrow('conv2d: expected a bias of shape [4], got [3]');
    expect(() => conv2d(x, w, Tensor.zeros([4, 1]))).toThrow('conv2d: expected a bias of shape [4], got [4,1]');
  });
  it('a kernel larger than the padded input', () => {
    expect(() => conv2d(Tensor.zeros([1, 3, 2, 2]), w, null)).toThrow(
      'conv2d: kernel 3×3 (dilation 1×1, spanning 3×3) is larger than the padded input 2×2 (input shape [1,3,2,2])',
    );
    expect(() => conv2d(x, w, null, { dilation: [3, 1] })).toThrow(
      'conv2d: kernel 3×3 (dilation 3×1, spanning 7×3) is larger than the padded input 5×5 (input shape [1,3,5,5])',
    );
    expect(conv2d(Tensor.zeros([1, 3, 2, 2]), w, null, { padding: 1 }).shape).toEqual([1, 4, 2, 2]);
  });
  it('stride or dilation ≤ 0, negative padding, non-integer sizes', () => {
    expect(() => conv2d(x, w, null, { stride: 0 })).toThrow('conv2d: stride must be ≥ 1, got 0');
    expect(() => conv2d(x, w, null, { stride: [1, -2] })).toThrow('conv2d: stride must be ≥ 1, got [1,-2]');
    expect(() => conv2d(x, w, null, { dilation: 0 })).toThrow('conv2d: dilation must be ≥ 1, got 0');
    expect(() => conv2d(x, w, null, { padding: -1 })).toThrow('conv2d: padding must be ≥ 0, got -1');
    expect(() => conv2d(x, w, null, { stride: 1.5 })).toThrow('conv2d: stride must be an integer (or pair of integers), got 1.5');
    expect(() => conv2d(x, w, null, { padding: [1, 0.5] })).toThrow('conv2d: padding must be an integer (or pair of integers), got [1,0.5]');
    expect(() => new Conv2d(3, 16.5, 3)).toThrow('Conv2d(3→16.5): outChannels must be a positive integer, got 16.5');
    expect(() => new Conv2d(3, 16, 2.5)).toThrow('Conv2d(3→16): kernelSize must be an integer (or pair of integers), got 2.5');
    expect(() => new Conv2d(3, 16, 3, { stride: 0 })).toThrow('Conv2d(3→16): stride must be ≥ 1, got 0');
  });
  it("groups that do not divide the channels, and 'same' with a stride", () => {
    expect(() => conv2d(x, Tensor.zeros([4, 1, 3, 3]), null, { groups: 3 })).toThrow(
      'conv2d: groups 3 must divide both input channels 3 and output channels 4',
    );
    expect(() => conv2d(x, w, null, { groups: 0 })).toThrow('conv2d: groups must be a positive integer, got 0');
    expect(() => new Conv2d(4, 6, 3, { groups: 4 })).toThrow('Conv2d(4→6): groups 4 must divide both inChannels 4 and outChannels 6');
    expect(() => conv2d(x, w, null, { padding: 'same', stride: 2 })).toThrow("conv2d: padding 'same' needs stride 1, got stride [2,2]");
  });
});
