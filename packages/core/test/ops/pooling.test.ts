import { describe, expect, it } from 'vitest';
import {
  AdaptiveAvgPool2d,
  AvgPool2d,
  ConvlabError,
  GlobalAvgPool2d,
  MaxPool2d,
  Tensor,
  adaptiveAvgPool2d,
  avgPool2d,
  globalAvgPool2d,
  maxPool2d,
  type IntPair,
} from '../../src/index.js';
import { loadTorchCases, relativeMaxError, type TorchCase } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const arange = (shape: number[]): Tensor => Tensor.from(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => i), shape);
/** Distinct values 0.1 apart in a scrambled order: no max changes place within a ±1e-2 difference step. */
const scrambled = (shape: number[]): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return Tensor.from(Array.from({ length: n }, (_, i) => ((i * 37) % n) * 0.1 - n * 0.05), shape);
};
/** A fixture argument that PyTorch may leave as None (stored as null). */
const opt = <T>(c: TorchCase, name: string): T | undefined => (c.args[name] ?? undefined) as T | undefined;

/** Forward and gradient of `x` against the fixture, for a unary op. */
function expectMatchesTorch(c: TorchCase, op: (x: Tensor) => Tensor): void {
  const x = leaf(c.tensors.x!);
  const y = op(x);
  expect(relativeMaxError(y, c.tensors.out!)).toBeLessThanOrEqual(1e-4);
  y.backward(c.tensors.grad_out!);
  expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(1e-4);
}

describe('maxPool2d matches PyTorch', () => {
  const cases = loadTorchCases('conv_pool_max_pool2d');
  it('covers ceil mode, dilation, padding and ties', () => {
    expect(cases.length).toBe(50);
    expect(cases.filter((c) => c.args.ceil_mode === true).length).toBeGreaterThan(10);
    expect(cases.filter((c) => JSON.stringify(c.args.dilation) !== '1').length).toBeGreaterThan(5);
    expect(cases.filter((c) => JSON.stringify(c.args.padding) !== '0').length).toBeGreaterThan(10);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expectMatchesTorch(c, (x) =>
      maxPool2d(x, {
        kernelSize: c.args.kernel_size as IntPair,
        stride: opt<IntPair>(c, 'stride'),
        padding: c.args.padding as IntPair,
        dilation: c.args.dilation as IntPair,
        ceilMode: c.args.ceil_mode as boolean,
      }),
    );
  });
});

describe('avgPool2d matches PyTorch', () => {
  const cases = loadTorchCases('conv_pool_avg_pool2d');
  it('covers ceil mode, countIncludePad false and divisorOverride', () => {
    expect(cases.length).toBe(46);
    expect(cases.filter((c) => c.args.ceil_mode === true).length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.args.count_include_pad === false).length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.args.divisor_override !== null).length).toBe(3);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expectMatchesTorch(c, (x) =>
      avgPool2d(x, {
        kernelSize: c.args.kernel_size as IntPair,
        stride: opt<IntPair>(c, 'stride'),
        padding: c.args.padding as IntPair,
        ceilMode: c.args.ceil_mode as boolean,
        countIncludePad: c.args.count_include_pad as boolean,
        divisorOverride: opt<number>(c, 'divisor_override'),
      }),
    );
  });
});

describe('adaptiveAvgPool2d and globalAvgPool2d match PyTorch', () => {
  const cases = loadTorchCases('conv_pool_adaptive_pool2d');
  it('covers sizes that do not divide the input, larger outputs and global pooling', () => {
    expect(cases.filter((c) => c.op === 'adaptive_avg_pool2d').length).toBe(16);
    expect(cases.filter((c) => c.op === 'global_avg_pool2d').length).toBe(6);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expectMatchesTorch(c, (x) => (c.op === 'global_avg_pool2d' ? globalAvgPool2d(x) : adaptiveAvgPool2d(x, c.args.output_size as IntPair)));
  });
});

describe('maxPool2d', () => {
  it('reproduces exercise C2: MaxPool2d(3, padding 1, stride (2,1)) on arange(32) as 1×2×4×4', () => {
    const x = leaf(arange([1, 2, 4, 4]));
    const y = new MaxPool2d(3, { padding: 1, stride: [2, 1] }).call(x);
    expect(y.shape).toEqual([1, 2, 2, 4]);
    expect(y.toArray()).toEqual([[[[5, 6, 7, 7], [13, 14, 15, 15]], [[21, 22, 23, 23], [29, 30, 31, 31]]]]);
    y.backward(Tensor.full(y.shape, 1));
    // The whole gradient goes to each window's arg-max: 7 and 15 win two windows each.
    const plane = [[0, 0, 0, 0], [0, 1, 1, 2], [0, 0, 0, 0], [0, 1, 1, 2]];
    expect(x.grad!.toArray()).toEqual([[plane, plane]]);
  });

  it('pools a 20×20 map with a 10×10 window to 2×2 (exercise C3)', () => {
    // arange(400) as 20×20: the largest value of block (r, c) is its bottom-right one, (10r + 9)·20 + 10c + 9.
    expect(new MaxPool2d(10).call(arange([1, 1, 20, 20])).toArray()).toEqual([[[[189, 199], [389, 399]]]]);
  });

  it('sends a tied gradient to the first maximum in row-major window order', () => {
    const x = Tensor.from([[[[1, 3, 3], [3, 0, 3], [3, 3, 1]]]], undefined, true);
    const y = maxPool2d(x, { kernelSize: 2, stride: 1 });
    expect(y.toArray()).toEqual([[[[3, 3], [3, 3]]]]);
    y.backward(Tensor.from([[[[1, 10], [100, 1000]]]]));
    expect(x.grad!.toArray()).toEqual([[[[0, 11, 0], [100, 0, 1000], [0, 0, 0]]]]);
  });

  it('treats padding as −∞, never as a zero that could win', () => {
    expect(maxPool2d(Tensor.from([[[[-5, -4], [-3, -2]]]]), { kernelSize: 2, padding: 1 }).toArray()).toEqual([[[[-5, -4], [-3, -2]]]]);
  });

  it('rounds the output size up in ceil mode and skips dilated taps', () => {
    const x = arange([1, 1, 5, 5]);
    expect(maxPool2d(x, { kernelSize: 2, ceilMode: true }).toArray()).toEqual([[[[6, 8, 9], [16, 18, 19], [21, 23, 24]]]]);
    expect(maxPool2d(x, { kernelSize: 2, stride: 1, dilation: [3, 2] }).toArray()).toEqual([[[[17, 18, 19], [22, 23, 24]]]]);
  });

  it('passes a gradient check with padding, dilation and ceil mode', () => {
    expect(gradCheck(([x]) => maxPool2d(x!, { kernelSize: [3, 2], stride: 2, padding: 1, dilation: [1, 2], ceilMode: true }), [scrambled([2, 2, 7, 6])])).toBeLessThan(1e-2);
  });
});

describe('avgPool2d', () => {
  it('averages each window and pools 20×20 by 10×10 to 2×2 (exercise C3)', () => {
    // Block (r, c) of arange(400) as 20×20 averages to (10r + 4.5)·20 + 10c + 4.5.
    expect(new AvgPool2d(10).call(arange([1, 1, 20, 20])).toArray()).toEqual([[[[94.5, 104.5], [294.5, 304.5]]]]);
  });

  it('spreads the gradient evenly, preserving its sum (exercise C4)', () => {
    const x = leaf(Tensor.zeros([1, 1, 4, 4]));
    const y = avgPool2d(x, { kernelSize: 2 });
    y.backward(Tensor.from([[[[4, 8], [-4, 0]]]]));
    expect(x.grad!.toArray()).toEqual([[[[1, 1, 2, 2], [1, 1, 2, 2], [-1, -1, 0, 0], [-1, -1, 0, 0]]]]);
  });

  it('divides by the padded window, the real window without countIncludePad, or the override', () => {
    const x = Tensor.full([1, 1, 2, 2], 6);
    const options = { kernelSize: 3, stride: 1, padding: 1 } as const;
    // Every 3×3 window covers the whole 2×2 input (sum 24): 9 positions with padding, 4 without.
    expect(avgPool2d(x, options).toArray()).toEqual([[[[24 / 9, 24 / 9], [24 / 9, 24 / 9]].map((r) => r.map(Math.fround))]]);
    expect(avgPool2d(x, { ...options, countIncludePad: false }).toArray()).toEqual([[[[6, 6], [6, 6]]]]);
    expect(avgPool2d(x, { ...options, divisorOverride: 8 }).toArray()).toEqual([[[[3, 3], [3, 3]]]]);
  });

  it('divides a ceil-mode window clipped at the far edge by its clipped size', () => {
    // 3 columns, kernel 2, ceil mode: the last window holds one column (PyTorch divides by 2·1, not 2·2).
    const x = Tensor.from([[[[1, 2, 3], [5, 6, 7]]]]);
    expect(avgPool2d(x, { kernelSize: 2, ceilMode: true }).toArray()).toEqual([[[[3.5, 5]]]]);
  });

  it('passes a gradient check with ceil mode and countIncludePad false', () => {
    expect(gradCheck(([x]) => avgPool2d(x!, { kernelSize: [3, 2], stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [scrambled([2, 2, 7, 6])])).toBeLessThan(1e-2);
  });
});

describe('adaptiveAvgPool2d and globalAvgPool2d', () => {
  it('averages overlapping windows floor(i·H/out) … ceil((i+1)·H/out) − 1', () => {
    // 5 columns to 3: windows [0,2), [1,4), [3,5).
    expect(adaptiveAvgPool2d(Tensor.from([[[[1, 2, 3, 4, 5]]]]), [1, 3]).toArray()).toEqual([[[[1.5, 3, 4.5]]]]);
    expect(new AdaptiveAvgPool2d(2).call(arange([1, 1, 20, 20])).toArray()).toEqual([[[[94.5, 104.5], [294.5, 304.5]]]]);
    // An output larger than the input repeats values.
    expect(adaptiveAvgPool2d(Tensor.from([[[[1, 2]]]]), [1, 3]).toArray()).toEqual([[[[1, 1.5, 2]]]]);
  });

  it('takes the mean of each channel, [N, C, H, W] → [N, C]', () => {
    const x = leaf(arange([2, 2, 2, 3]));
    const y = new GlobalAvgPool2d().call(x);
    expect(y.toArray()).toEqual([[2.5, 8.5], [14.5, 20.5]]);
    y.backward(Tensor.from([[6, 0], [12, -6]]));
    expect(Array.from(x.grad!.data.subarray(0, 6))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(x.grad!.data.subarray(18))).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  it('pass gradient checks', () => {
    expect(gradCheck(([x]) => adaptiveAvgPool2d(x!, [3, 4]), [scrambled([2, 2, 5, 7])])).toBeLessThan(1e-2);
    expect(gradCheck(([x]) => globalAvgPool2d(x!), [scrambled([2, 3, 3, 4])])).toBeLessThan(1e-2);
  });
});

describe('pooling rejects bad input', () => {
  const x = Tensor.zeros([1, 2, 5, 5]);
  it('wrong rank', () => {
    expect(() => maxPool2d(Tensor.zeros([2, 5, 5]), { kernelSize: 2 })).toThrow('maxPool2d: expected a 4-D input [N, C, H, W], got shape [2,5,5]');
    expect(() => new MaxPool2d(2).call(Tensor.zeros([5, 5]))).toThrow('MaxPool2d(kernelSize 2): expected a 4-D input [N, C, H, W], got shape [5,5]');
    expect(() => new AvgPool2d([2, 3]).call(Tensor.zeros([5]))).toThrow('AvgPool2d(kernelSize (2, 3)): expected a 4-D input [N, C, H, W], got shape [5]');
    expect(() => adaptiveAvgPool2d(Tensor.zeros([2, 5, 5]), 2)).toThrow('adaptiveAvgPool2d: expected a 4-D input [N, C, H, W], got shape [2,5,5]');
    expect(() => new GlobalAvgPool2d().call(Tensor.zeros([2, 5]))).toThrow('GlobalAvgPool2d: expected a 4-D input [N, C, H, W], got shape [2,5]');
  });
  it('padding over half the kernel (dilation aside, as in PyTorch)', () => {
    expect(() => maxPool2d(x, { kernelSize: 3, padding: 2 })).toThrow(ConvlabError);
    expect(() => maxPool2d(x, { kernelSize: 3, padding: 2 })).toThrow('maxPool2d: padding 2×2 must be at most half the kernel 3×3');
    expect(() => maxPool2d(x, { kernelSize: 2, dilation: 3, padding: [0, 2] })).toThrow('maxPool2d: padding 0×2 must be at most half the kernel 2×2');
    expect(() => avgPool2d(x, { kernelSize: [4, 1], padding: [2, 1] })).toThrow('avgPool2d: padding 2×1 must be at most half the kernel 4×1');
  });
  it('a kernel larger than the padded input', () => {
    expect(() => maxPool2d(Tensor.zeros([1, 1, 2, 2]), { kernelSize: 3 })).toThrow(
      'maxPool2d: kernel 3×3 is larger than the padded input 2×2 (input shape [1,1,2,2])',
    );
  });
  it('stride or dilation ≤ 0, negative padding, non-integer sizes, bad divisors', () => {
    expect(() => maxPool2d(x, { kernelSize: 2, stride: 0 })).toThrow('maxPool2d: stride must be ≥ 1, got 0');
    expect(() => maxPool2d(x, { kernelSize: 2, dilation: [1, 0] })).toThrow('maxPool2d: dilation must be ≥ 1, got [1,0]');
    expect(() => avgPool2d(x, { kernelSize: 2, padding: -1 })).toThrow('avgPool2d: padding must be ≥ 0, got -1');
    expect(() => avgPool2d(x, { kernelSize: 1.5 })).toThrow('avgPool2d: kernelSize must be an integer (or pair of integers), got 1.5');
    expect(() => new MaxPool2d(0)).toThrow('MaxPool2d(0): kernelSize must be ≥ 1, got 0');
    expect(() => avgPool2d(x, { kernelSize: 2, divisorOverride: 0 })).toThrow('avgPool2d: divisorOverride must be a positive integer, got 0');
    expect(() => adaptiveAvgPool2d(x, [2, 0])).toThrow('adaptiveAvgPool2d: outputSize must be ≥ 1, got [2,0]');
    expect(() => new AdaptiveAvgPool2d(2.5)).toThrow('AdaptiveAvgPool2d(2.5): outputSize must be an integer (or pair of integers), got 2.5');
  });
  it('empty spatial maps', () => {
    expect(() => adaptiveAvgPool2d(Tensor.zeros([1, 2, 0, 3]), 1)).toThrow('adaptiveAvgPool2d: expected an input with non-empty H and W, got shape [1,2,0,3]');
    expect(() => globalAvgPool2d(Tensor.zeros([1, 2, 3, 0]))).toThrow('globalAvgPool2d: expected an input with non-empty H and W, got shape [1,2,3,0]');
  });
});
