import { describe, expect, it } from 'vitest';
import { BatchNorm2d, ConvlabError, Dropout, Tensor, crossEntropy, manualSeed, noGrad } from '../../src/index.js';
import { loadTorchCases, relativeMaxError } from '../helpers/fixtures.js';
import { Head } from './models.js';

describe('a training step of a small model matches PyTorch', () => {
  const c = loadTorchCases('modules').find((k) => k.op === 'head')!;
  const t = c.tensors;
  const model = new Head();
  for (const [name, p] of model.namedParameters()) p.data.set(t[`param:${name}`]!.data);
  model.train();
  model.drop.eval();
  const out = model.call(t.x!);
  const loss = crossEntropy(out, c.args.labels as number[]);
  loss.backward();

  it('forward output and loss', () => {
    expect(relativeMaxError(out, t.train_out!)).toBeLessThanOrEqual(1e-4);
    expect(relativeMaxError(loss, t.loss!)).toBeLessThanOrEqual(1e-4);
  });
  it('every parameter gradient, by name', () => {
    const named = model.namedParameters();
    expect(named.map(([n]) => n)).toEqual(['bn.weight', 'bn.bias', 'fc1.weight', 'fc1.bias', 'out.1.weight', 'out.1.bias', 'out.3.weight', 'out.3.bias']);
    for (const [name, p] of named) expect(relativeMaxError(p.grad!, t[`grad:${name}`]!), name).toBeLessThanOrEqual(1e-4);
  });
  it('the running statistics and num_batches_tracked after the step', () => {
    const buffers = model.namedBuffers();
    expect(buffers.map(([n]) => n)).toEqual(['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']);
    for (const [name, b] of buffers) expect(relativeMaxError(b, t[`buffer:${name}`]!), name).toBeLessThanOrEqual(1e-4);
    expect(model.bn.numBatchesTracked.item()).toBe(1);
  });
  it('the eval-mode output, which uses the updated running statistics', () => {
    model.eval();
    expect(relativeMaxError(noGrad(() => model.call(t.x!)), t.eval_out!)).toBeLessThanOrEqual(1e-4);
  });
});

describe('BatchNorm2d module', () => {
  it('counts training batches only and leaves running stats alone in eval', () => {
    const bn = new BatchNorm2d(2);
    const x = Tensor.from([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 1, 2]);
    bn.call(x);
    bn.call(x);
    expect(bn.numBatchesTracked.item()).toBe(2);
    const mean = Array.from(bn.runningMean.data);
    bn.eval().call(x);
    expect(bn.numBatchesTracked.item()).toBe(2);
    expect(Array.from(bn.runningMean.data)).toEqual(mean);
    expect(mean).toEqual([Math.fround(0.19 * 3.5), Math.fround(0.19 * 5.5)]);
  });

  it('names itself in errors', () => {
    expect(() => new BatchNorm2d(3).call(Tensor.zeros([2, 4, 2, 2]))).toThrow('BatchNorm2d(3): expected input with 3 channels, got 4 (input shape [2,4,2,2])');
    expect(() => new BatchNorm2d(0)).toThrow(ConvlabError);
  });
});

describe('Dropout module', () => {
  it('drops in training with the seeded generator and is the identity in eval', () => {
    const x = Tensor.full([1000], 1);
    const layer = new Dropout(0.5);
    manualSeed(1);
    const a = layer.call(x);
    manualSeed(1);
    expect(layer.call(x).data).toEqual(a.data);
    expect(new Set(a.data)).toEqual(new Set([0, 2]));
    expect(layer.eval().call(x)).toBe(x);
    expect(() => new Dropout(2)).toThrow('Dropout: p must be in [0, 1], got 2');
  });
});
