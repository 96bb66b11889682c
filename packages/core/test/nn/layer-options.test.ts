import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  ConvTranspose2d,
  Dropout2d,
  Generator,
  LayerNorm,
  MaxPool2d,
  MaxUnpool2d,
  ReLU,
  Sequential,
  Tensor,
  Upsample,
  convTranspose2d,
  dropout2d,
  interpolate,
  layerNorm,
  maxPool2dWithIndices,
  maxUnpool2d,
  noGrad,
  F,
  summary,
  type ConvTranspose2dOptions,
  type InterpolateOptions,
  type PaddingMode,
  type PadMode,
  type Module,
} from '../../src/index.js';
import { loadTorchCases, relativeMaxError, type TorchCase } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const wave = (shape: number[], phase: number): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return Tensor.from(Array.from({ length: n }, (_, i) => Math.sin(i * 0.77 + phase) * 1.5), shape);
};
const args = <T>(c: TorchCase): T => c.args as T;
const TOL = 1e-5;

describe('padding modes and Conv2d paddingMode match PyTorch', () => {
  const cases = loadTorchCases('layer_pad_conv');
  it('covers every mode', () => {
    expect(cases.length).toBe(19);
    expect(new Set(cases.filter((c) => c.op === 'conv2d_padding_mode').map((c) => c.args.paddingMode))).toEqual(new Set(['zeros', 'reflect', 'replicate', 'circular']));
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const x = leaf(c.tensors.x!);
    let y: Tensor;
    let layer: Conv2d | null = null;
    if (c.op === 'pad') {
      y = F.pad(x, c.args.pad as number[], c.args.mode as PadMode);
    } else {
      const a = args<{ inChannels: number; outChannels: number; kernelSize: number; stride: number; padding: number | 'same'; dilation: number; groups: number; paddingMode: PaddingMode }>(c);
      layer = new Conv2d(a.inChannels, a.outChannels, a.kernelSize, { stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups, paddingMode: a.paddingMode });
      layer.weight.data.set(c.tensors.weight!.data);
      layer.bias!.data.set(c.tensors.bias!.data);
      y = layer.call(x);
      expect(summary(new Sequential(layer), x.shape.slice(1)).rows[0]!.outputShape).toEqual(y.shape.slice(1));
    }
    expect(relativeMaxError(y, c.tensors.out!)).toBeLessThanOrEqual(TOL);
    y.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(TOL);
    if (layer !== null) {
      expect(relativeMaxError(layer.weight.grad!, c.tensors.grad_weight!)).toBeLessThanOrEqual(TOL);
      expect(relativeMaxError(layer.bias!.grad!, c.tensors.grad_bias!)).toBeLessThanOrEqual(TOL);
      // The fused path (Conv2d → ReLU in a Sequential, no gradient) pads the same way.
      const fused = noGrad(() => new Sequential(layer!, new ReLU()).call(c.tensors.x!));
      const rectified = new Tensor(c.tensors.out!.data.map((v) => Math.max(v, 0)), c.tensors.out!.shape);
      expect(relativeMaxError(fused, rectified)).toBeLessThanOrEqual(TOL);
    }
  });
  it('passes gradient checks and rejects pads the mode cannot make', () => {
    for (const mode of ['reflect', 'replicate', 'circular', 'constant'] as const) {
      expect(gradCheck(([a]) => F.pad(a!, [2, 1, 1, 2], mode), [wave([1, 2, 3, 4], 0.4)])).toBeLessThan(1e-2);
      expect(gradCheck(([a]) => F.pad(a!, [1, 0, 0, 2, 1, 1], mode), [wave([2, 2, 3, 4], 0.1)])).toBeLessThan(1e-2);
    }
    expect(() => F.pad(Tensor.zeros([1, 1, 3, 3]), [3, 0, 0, 0], 'reflect')).toThrow('pad: reflect padding 3 before dim 3 must be smaller than its size 3 (input shape [1,1,3,3])');
    expect(() => F.pad(Tensor.zeros([1, 1, 3, 3]), [0, 0, 0, 4], 'circular')).toThrow('pad: circular padding 4 after dim 2 must be at most its size 3 (input shape [1,1,3,3])');
    expect(() => F.pad(Tensor.zeros([1, 0, 3]), [0, 0, 1, 0], 'replicate')).toThrow('pad: cannot replicate-pad dim 1 of size 0 (input shape [1,0,3])');
    expect(() => F.pad(Tensor.zeros([2, 3]), [1, 1], 'zeros' as PadMode)).toThrow("pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got \"zeros\" (a string)");
    expect(() => F.pad(Tensor.zeros([2, 3]), [1, 1], 2 as never)).toThrow("pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', " +
      "got 2 (the value comes after the mode: pad(x, [1,1], 'constant', 2))");
    expect(() => F.pad(Tensor.zeros([2, 3]), [1, 1], 'reflect', 1)).toThrow("pad: value 1 only applies to mode 'constant', not 'reflect'");
    expect(() => new Conv2d(1, 1, 3, { padding: 3, paddingMode: 'reflect' }).call(Tensor.zeros([1, 1, 3, 3]))).toThrow(
      'Conv2d(1→1, kernelSize 3): reflect padding 3 before dim 3 must be smaller than its size 3 (input shape [1,1,3,3])',
    );
    expect(() => new Conv2d(1, 1, 3, { paddingMode: 'mirror' as PaddingMode })).toThrow(
      "Conv2d(1→1): option paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', got \"mirror\" (a string)",
    );
    expect(() => new Conv2d(1, 1, 3, { padding_mode: 'reflect' } as never)).toThrow('Conv2d(1→1): unknown option padding_mode, did you mean paddingMode?');
  });
});

describe('ConvTranspose2d matches PyTorch', () => {
  const cases = loadTorchCases('layer_conv_transpose');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const x = leaf(c.tensors.x!);
    const w = leaf(c.tensors.weight!);
    const b = c.tensors.bias === undefined ? null : leaf(c.tensors.bias);
    const y = convTranspose2d(x, w, b, c.args as ConvTranspose2dOptions);
    expect(relativeMaxError(y, c.tensors.out!)).toBeLessThanOrEqual(TOL);
    y.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(TOL);
    expect(relativeMaxError(w.grad!, c.tensors.grad_weight!)).toBeLessThanOrEqual(TOL);
    if (b !== null) expect(relativeMaxError(b.grad!, c.tensors.grad_bias!)).toBeLessThanOrEqual(TOL);
    const o = c.args as ConvTranspose2dOptions & { groups: number };
    const layer = new ConvTranspose2d(x.shape[1]!, y.shape[1]!, [w.shape[2]!, w.shape[3]!], { ...o, bias: b !== null });
    const row = summary(new Sequential(layer), x.shape.slice(1)).rows[0]!;
    expect(row.outputShape).toEqual(y.shape.slice(1));
    expect(row.params).toBe(w.size + (b?.size ?? 0));
    expect(row.macs).toBe(x.size / x.shape[0]! * (y.shape[1]! / o.groups) * w.shape[2]! * w.shape[3]!);
  });
  it('passes a gradient check and names bad arguments', () => {
    expect(
      gradCheck(([a, w, b]) => convTranspose2d(a!, w!, b!, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), [wave([1, 4, 3, 3], 0), wave([4, 1, 3, 3], 1), wave([2], 2)])
    ).toBeLessThan(1e-2);
    expect(() => new ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 2 })).toThrow('ConvTranspose2d(2→2): outputPadding 2 must be smaller than stride 2 or dilation 1');
    expect(() => new ConvTranspose2d(2, 2, 3, { output_padding: 1 } as never)).toThrow('ConvTranspose2d(2→2): unknown option output_padding, did you mean outputPadding?');
    expect(() => new ConvTranspose2d(2, 3, 3).call(Tensor.zeros([1, 3, 4, 4]))).toThrow('ConvTranspose2d(2→3, kernelSize 3): expected input with 2 channels, got 3 (input shape [1,3,4,4])');
  });
});

describe('interpolate and Upsample match PyTorch', () => {
  const cases = loadTorchCases('layer_interpolate');
  it('covers nearest and bilinear, size and scale factor, both alignCorners', () => {
    expect(cases.length).toBe(12);
    expect(cases.filter((c) => c.args.alignCorners === true).length).toBe(3);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const x = leaf(c.tensors.x!);
    const options = c.args as unknown as InterpolateOptions;
    const y = interpolate(x, options);
    expect(relativeMaxError(y, c.tensors.out!)).toBeLessThanOrEqual(TOL);
    y.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(TOL);
    const layer = new Upsample(options);
    expect(Array.from(layer.call(c.tensors.x!).data)).toEqual(Array.from(y.data));
    expect(summary(new Sequential(layer), x.shape.slice(1)).rows[0]!.outputShape).toEqual(y.shape.slice(1));
  });
  it('passes gradient checks and checks its options', () => {
    expect(gradCheck(([a]) => interpolate(a!, { scaleFactor: 1.7, mode: 'bilinear' }), [wave([1, 2, 3, 4], 0.1)])).toBeLessThan(1e-2);
    expect(gradCheck(([a]) => interpolate(a!, { size: [5, 2], mode: 'bilinear', alignCorners: true }), [wave([1, 1, 3, 4], 0.1)])).toBeLessThan(1e-2);
    expect(() => interpolate(Tensor.zeros([1, 1, 2, 2]), { size: 4, scaleFactor: 2 })).toThrow('interpolate: give exactly one of size and scaleFactor');
    expect(() => new Upsample({ scale_factor: 2 } as never)).toThrow('Upsample: unknown option scale_factor, did you mean scaleFactor?');
    expect(() => new Upsample({ scaleFactor: 2, mode: 'bicubic' as 'bilinear' })).toThrow("Upsample: option mode must be 'nearest' or 'bilinear', got \"bicubic\" (a string)");
    expect(() => new Upsample({ scaleFactor: 2, alignCorners: true })).toThrow("Upsample: alignCorners only applies to mode 'bilinear'");
  });
});

describe('max pooling indices and MaxUnpool2d match PyTorch', () => {
  const cases = loadTorchCases('layer_unpool');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const a = args<{ kernelSize: number; stride: number; padding: number; outputSize: [number, number] | null }>(c);
    const size = a.outputSize === null ? {} : { outputSize: a.outputSize };
    if (c.op === 'unpool') {
      const pool = new MaxPool2d(a.kernelSize, { stride: a.stride, padding: a.padding, returnIndices: true });
      const [pooled, indices] = pool.forwardWithIndices(c.tensors.x!);
      expect(Array.from(pooled.data)).toEqual(Array.from(c.tensors.pooled!.data));
      expect(Array.from(indices.data)).toEqual(Array.from(c.tensors.indices!.data));
      const up = new MaxUnpool2d(a.kernelSize, { stride: a.stride, padding: a.padding }).unpool(pooled, indices, a.outputSize ?? undefined);
      expect(up.shape).toEqual(c.tensors.unpooled!.shape);
      expect(Array.from(up.data)).toEqual(Array.from(c.tensors.unpooled!.data));
      return;
    }
    const x = leaf(c.tensors.x!);
    const y = maxUnpool2d(x, c.tensors.indices!, { kernelSize: a.kernelSize, stride: a.stride, padding: a.padding, ...size });
    expect(relativeMaxError(y, c.tensors.out!)).toBe(0);
    y.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBe(0);
  });
  it('explains how to use the indices', () => {
    const [y, idx] = maxPool2dWithIndices(Tensor.from([[[[1, 5], [3, 2]]]]), { kernelSize: 2 });
    expect([y.item(), idx.item()]).toEqual([5, 1]);
    expect(() => new MaxPool2d(2).forwardWithIndices(Tensor.zeros([1, 1, 2, 2]))).toThrow("MaxPool2d(kernelSize 2): forwardWithIndices needs returnIndices: true (PyTorch's return_indices=True)");
    expect(() => new MaxUnpool2d(2).call(y)).toThrow('MaxUnpool2d(kernelSize 2): needs the indices of the pooling: call unpool(x, indices)');
    expect(() => maxUnpool2d(y, Tensor.from([[[[4]]]]), { kernelSize: 2 })).toThrow('maxUnpool2d: index 4 at position 0 lies outside the 2×2 output plane');
  });
});

describe('batch norm options, BatchNorm1d and LayerNorm match PyTorch', () => {
  const cases = loadTorchCases('layer_norms');
  for (const c of cases.filter((k) => k.op === 'batch_norm_module')) {
    it(c.name, () => {
      const a = args<{ kind: string; numFeatures: number; momentum: number | null; trackRunningStats: boolean; steps: number }>(c);
      const Make = a.kind === 'BatchNorm1d' ? BatchNorm1d : BatchNorm2d;
      const bn = new Make(a.numFeatures, { momentum: a.momentum, trackRunningStats: a.trackRunningStats });
      bn.weight!.data.set(c.tensors.weight!.data);
      bn.bias!.data.set(c.tensors.bias!.data);
      for (let i = 0; i < a.steps; i++) {
        const x = leaf(c.tensors[`x${i}`]!);
        const y = bn.call(x);
        expect(relativeMaxError(y, c.tensors[`out${i}`]!), `out ${i}`).toBeLessThanOrEqual(TOL);
        y.backward(c.tensors[`grad_out${i}`]!);
        expect(relativeMaxError(x.grad!, c.tensors[`grad_x${i}`]!), `grad ${i}`).toBeLessThanOrEqual(TOL);
        if (a.trackRunningStats) {
          expect(relativeMaxError(bn.runningMean!, c.tensors[`running_mean${i}`]!), `running mean ${i}`).toBeLessThanOrEqual(TOL);
          expect(relativeMaxError(bn.runningVar!, c.tensors[`running_var${i}`]!), `running var ${i}`).toBeLessThanOrEqual(TOL);
        }
      }
      bn.eval();
      expect(relativeMaxError(bn.call(c.tensors.x_eval!), c.tensors.out_eval!)).toBeLessThanOrEqual(TOL);
    });
  }
  for (const c of cases.filter((k) => k.op === 'layer_norm')) {
    it(c.name, () => {
      const a = args<{ normalizedShape: number[]; eps: number }>(c);
      const x = leaf(c.tensors.x!);
      const w = c.tensors.weight === undefined ? null : leaf(c.tensors.weight);
      const b = c.tensors.bias === undefined ? null : leaf(c.tensors.bias);
      const y = layerNorm(x, a.normalizedShape, w, b, a.eps);
      expect(relativeMaxError(y, c.tensors.out!)).toBeLessThanOrEqual(TOL);
      y.backward(c.tensors.grad_out!);
      expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(TOL);
      if (w !== null) expect(relativeMaxError(w.grad!, c.tensors.grad_weight!)).toBeLessThanOrEqual(TOL);
      if (b !== null) expect(relativeMaxError(b.grad!, c.tensors.grad_bias!)).toBeLessThanOrEqual(TOL);
      const layer = new LayerNorm(a.normalizedShape, { eps: a.eps, elementwiseAffine: w !== null });
      if (x.rank !== 3) expect(summary(new Sequential(layer), x.shape.slice(1)).rows[0]!.params).toBe(w === null ? 0 : 2 * w.size);
    });
  }
  it('LayerNorm passes a gradient check; the norms check their options', () => {
    expect(gradCheck(([a, w, b]) => layerNorm(a!, [2, 3], w!, b!), [wave([2, 2, 3], 0.3), wave([2, 3], 1), wave([2, 3], 2)])).toBeLessThan(1e-2);
    expect(() => new BatchNorm2d(4, { track_running_stats: false } as never)).toThrow('BatchNorm2d(4): unknown option track_running_stats, did you mean trackRunningStats?');
    expect(() => new BatchNorm2d(4, { momentum: 'none' } as never)).toThrow('BatchNorm2d(4): option momentum must be a number or null, got "none" (a string)');
    expect(() => new BatchNorm1d(4).call(Tensor.zeros([2, 4, 1, 1]))).toThrow('BatchNorm1d(4): expected a 2-D or 3-D input [N, C] or [N, C, L], got shape [2,4,1,1]');
    expect(() => new LayerNorm(4).call(Tensor.zeros([2, 5]))).toThrow('LayerNorm(4): expected an input ending in normalizedShape [4], got [2,5]');
    expect(new BatchNorm2d(3, { trackRunningStats: false }).namedBuffers().length).toBe(0);
  });
});

describe('Dropout2d', () => {
  it('zeroes whole channels with probability p and scales the rest; identity in eval', () => {
    const x = Tensor.full([8, 16, 2, 2], 1, true);
    const y = dropout2d(x, 0.25, true, new Generator(3));
    const channels = Array.from({ length: 128 }, (_, k) => Array.from(y.data.slice(k * 4, k * 4 + 4)));
    for (const ch of channels) expect(new Set(ch).size).toBe(1);
    const kept = channels.filter((ch) => ch[0] !== 0);
    expect(new Set(kept.map((ch) => ch[0]))).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(kept.length).toBeGreaterThan(80);
    expect(kept.length).toBeLessThan(112);
    y.backward(Tensor.full(y.shape, 1));
    expect(Array.from(x.grad!.data)).toEqual(Array.from(y.data));
    const layer = new Dropout2d(0.3);
    layer.eval();
    expect(layer.call(x)).toBe(x);
    expect(gradCheck(([a]) => dropout2d(a!, 0.5, true, new Generator(1)), [wave([2, 3, 2, 2], 0)])).toBeLessThan(1e-2);
  });
});

describe('module reprs match PyTorch', () => {
  const build: Record<string, () => Module> = {
    "new Conv2d(3, 8, 3, { padding: 1, paddingMode: 'reflect' })": () => new Conv2d(3, 8, 3, { padding: 1, paddingMode: 'reflect' }),
    "new Conv2d(2, 4, 3, { paddingMode: 'circular', bias: false })": () => new Conv2d(2, 4, 3, { paddingMode: 'circular', bias: false }),
    'new ConvTranspose2d(21, 21, 4, { stride: 2, padding: 1, bias: false })': () => new ConvTranspose2d(21, 21, 4, { stride: 2, padding: 1, bias: false }),
    'new ConvTranspose2d(4, 6, [3, 2], { stride: 2, outputPadding: 1, groups: 2, dilation: 2 })': () => new ConvTranspose2d(4, 6, [3, 2], { stride: 2, outputPadding: 1, groups: 2, dilation: 2 }),
    'new ConvTranspose2d(3, 3, 3)': () => new ConvTranspose2d(3, 3, 3),
    "new Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: false })": () => new Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: false }),
    'new Upsample({ size: [32, 32] })': () => new Upsample({ size: [32, 32] }),
    'new MaxPool2d(2, { returnIndices: true })': () => new MaxPool2d(2, { returnIndices: true }),
    'new MaxUnpool2d(2)': () => new MaxUnpool2d(2),
    'new MaxUnpool2d(3, { stride: 2, padding: 1 })': () => new MaxUnpool2d(3, { stride: 2, padding: 1 }),
    'new BatchNorm2d(64, { momentum: null })': () => new BatchNorm2d(64, { momentum: null }),
    'new BatchNorm2d(8, { trackRunningStats: false, affine: false })': () => new BatchNorm2d(8, { trackRunningStats: false, affine: false }),
    'new BatchNorm1d(100)': () => new BatchNorm1d(100),
    'new LayerNorm(768)': () => new LayerNorm(768),
    'new LayerNorm([16, 8, 8], { eps: 1e-6, elementwiseAffine: false })': () => new LayerNorm([16, 8, 8], { eps: 1e-6, elementwiseAffine: false }),
    'new Dropout2d(0.2)': () => new Dropout2d(0.2),
  };
  it.each(loadTorchCases('layer_reprs').map((c) => [c.args.source as string, c.args.repr as string] as const))('%s', (source, repr) => {
    expect(build[source]!().toString()).toBe(repr);
  });
});
