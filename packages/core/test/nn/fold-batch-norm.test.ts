import { describe, expect, it } from 'vitest';
import { BatchNorm2d, Conv2d, getBackend, manualSeed, noGrad, ReLU, Sequential, SGD, setNumThreads, getNumThreads, Tensor, traceKernels, zoo } from '../../src/index.js';
import { foldBatchNorm } from '../../src/nn/fold-batch-norm.js';
import { unfused } from '../helpers/unfused.js';

/** Largest |a − b| over max(1, max |b|), the fixtures' error measure. */
const relativeError = (a: Float32Array, b: Float32Array): number =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0) / b.reduce((m, v) => Math.max(m, Math.abs(v)), 1);

describe('foldBatchNorm', () => {
  it('scales each output channel by γ/√(var + ε) and shifts the bias', () => {
    const conv = new Conv2d(1, 2, 1);
    conv.weight.data.set([1, -2]);
    conv.bias!.data.set([2, 1]);
    const bn = new BatchNorm2d(2, { eps: 0 }).eval();
    bn.weight!.data.set([3, 1]);
    bn.bias!.data.set([0.5, 0]);
    bn.runningMean!.data.set([1, -2]);
    bn.runningVar!.data.set([4, 0.25]);
    const { weight, bias } = foldBatchNorm(conv, bn);
    expect(Array.from(weight.data)).toEqual([1.5, -4]);
    expect(Array.from(bias.data)).toEqual([2, 6]);
  });

  it('is kept while its six tensors keep their versions and made again when any changes', () => {
    const conv = new Conv2d(2, 3, 3);
    const bn = new BatchNorm2d(3).eval();
    const first = foldBatchNorm(conv, bn);
    expect(foldBatchNorm(conv, bn)).toBe(first);
    bn.runningVar!.writeValues()[1] = 4; // as convlab's own writers do (running statistics, optimizer steps): one new version
    const second = foldBatchNorm(conv, bn);
    expect(second).not.toBe(first);
    expect(second.bias.readValues()[1]).toBeCloseTo(first.bias.readValues()[1]! * Math.sqrt((1 + 1e-5) / (4 + 1e-5)), 7);
    expect(foldBatchNorm(conv, bn)).toBe(second);
    conv.weight.markModified();
    const third = foldBatchNorm(conv, bn);
    expect(third).not.toBe(second);
    expect(foldBatchNorm(conv, bn)).toBe(third);
    // Once `.data` has handed the array out, a write may come at any time: folded again at every call.
    const held = bn.weight!.data;
    const fourth = foldBatchNorm(conv, bn);
    expect(fourth).not.toBe(third);
    held[0] = 2;
    const fifth = foldBatchNorm(conv, bn);
    expect(fifth).not.toBe(fourth);
    expect(fifth.bias.readValues()[0]).toBeCloseTo((fourth.bias.readValues()[0]! - bn.bias!.readValues()[0]!) * 2 + bn.bias!.readValues()[0]!, 6);
  });
});

describe('versions after training through the layers', () => {
  it('stay put in eval: the ops read weights, biases and statistics without handing their arrays out, so the fold is kept', () => {
    manualSeed(3);
    const conv = new Conv2d(2, 3, 3, { padding: 1 });
    const bn = new BatchNorm2d(3);
    const model = new Sequential(conv, bn, new ReLU());
    const x = new Tensor(Float32Array.from({ length: 2 * 2 * 5 * 5 }, (_, i) => Math.sin(i)), [2, 2, 5, 5]);
    const sgd = new SGD(model.parameters(), { lr: 0.1 });
    model.call(x).sum().backward();
    sgd.step();
    model.eval();
    const tensors = [conv.weight, conv.bias!, bn.weight!, bn.bias!, bn.runningMean!, bn.runningVar!];
    noGrad(() => model.call(x));
    const versions = tensors.map((t) => t.version);
    noGrad(() => model.call(x));
    expect(tensors.map((t) => t.version)).toEqual(versions);
    expect(foldBatchNorm(conv, bn)).toBe(foldBatchNorm(conv, bn));
  });
});

describe('ResNet-18 in eval mode with its batch norms folded into the convs', () => {
  manualSeed(5);
  const model = zoo.resnet18({ numClasses: 10 });
  for (const [, m] of model.namedModules()) {
    if (m instanceof BatchNorm2d) {
      m.runningMean!.data.set(Float32Array.from({ length: m.numFeatures }, (_, i) => Math.sin(i) * 0.1));
      m.runningVar!.data.set(Float32Array.from({ length: m.numFeatures }, (_, i) => 0.5 + Math.cos(i) ** 2));
      m.weight!.data.set(Float32Array.from({ length: m.numFeatures }, (_, i) => 0.5 + Math.sin(i * 0.3) ** 2));
    }
  }
  model.eval();
  const x = new Tensor(Float32Array.from({ length: 2 * 3 * 40 * 40 }, (_, i) => Math.sin(i * 0.01)), [2, 3, 40, 40]);

  it('runs every conv as one conv block, with no batch norm kernel and no separate residual sum or ReLU, within the fixtures tolerance of the unfused layers', () => {
    const { result, calls } = traceKernels(() => noGrad(() => model.call(x)));
    const kernels = calls.map((c) => c.kernel);
    expect(kernels.filter((k) => k === 'conv2dBlockForward')).toHaveLength(20);
    expect(kernels.filter((k) => k.startsWith('batchNorm') || k === 'conv2dForward')).toEqual([]);
    // Each block's residual sum and ReLU run as one addRelu, which calls no kernel.
    expect(kernels.filter((k) => k === 'mapBinary' || k === 'reluForward')).toEqual([]);
    expect(relativeError(result.data, unfused(model, x))).toBeLessThan(1e-5);
  });

  it('follows changed running statistics and gives the same bits on 1 and 2 threads', () => {
    const before = noGrad(() => model.call(x)).data;
    model.bn1.runningMean!.data[0] = 0.7;
    const after = noGrad(() => model.call(x)).data;
    expect(Array.from(after)).not.toEqual(Array.from(before));
    expect(relativeError(after, unfused(model, x))).toBeLessThan(1e-5);
    if (getBackend() !== 'wasm') return;
    const threads = getNumThreads();
    try {
      setNumThreads(1);
      const one = noGrad(() => model.call(x)).data;
      setNumThreads(2);
      expect(Array.from(noGrad(() => model.call(x)).data)).toEqual(Array.from(one));
    } finally {
      setNumThreads(threads);
    }
  });

  it('normalizes with the batch statistics in training mode (conv2d+batchNorm2d, no folding)', () => {
    model.train();
    try {
      const { calls } = traceKernels(() => noGrad(() => model.call(x)));
      expect(calls.filter((c) => c.kernel === 'conv2dBatchNormForward')).toHaveLength(20);
      expect(calls.filter((c) => c.kernel === 'conv2dBlockForward')).toHaveLength(0);
    } finally {
      model.eval();
    }
  });
});
