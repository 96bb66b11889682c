import { describe, expect, it } from 'vitest';
import { BatchNorm2d, ConvlabError, Dropout, type Module, Tensor, crossEntropy, manualSeed, noGrad } from '../../src/index.js';
import { loadTorchCases, relativeMaxError } from '../helpers/fixtures.js';
import { Head, Net } from './models.js';

/**
 * Loads PyTorch's initial parameters into `model`, runs a training step (dropout layers in eval, so
 * no random masks) and an eval pass, and compares everything PyTorch recorded.
 */
function trainingStepMatchesPyTorch(op: string, model: Module, parameterNames: string[], bufferNames: string[]): void {
  const c = loadTorchCases('modules').find((k) => k.op === op)!;
  const t = c.tensors;
  for (const [name, p] of model.namedParameters()) p.data.set(t[`param:${name}`]!.data);
  model.train();
  for (const [, m] of model.namedModules()) if (m instanceof Dropout) m.eval();
  const out = model.call(t.x!);
  const loss = crossEntropy(out, c.args.labels as number[]);
  loss.backward();

  it('forward output and loss', () => {
    expect(relativeMaxError(out, t.train_out!)).toBeLessThanOrEqual(1e-4);
    expect(relativeMaxError(loss, t.loss!)).toBeLessThanOrEqual(1e-4);
  });
  it('every parameter gradient, by name', () => {
    const named = model.namedParameters();
    expect(named.map(([n]) => n)).toEqual(parameterNames);
    for (const [name, p] of named) expect(relativeMaxError(p.grad!, t[`grad:${name}`]!), name).toBeLessThanOrEqual(1e-4);
  });
  it('the running statistics and num_batches_tracked after the step', () => {
    const buffers = model.namedBuffers();
    expect(buffers.map(([n]) => n)).toEqual(bufferNames);
    for (const [name, b] of buffers) expect(relativeMaxError(b, t[`buffer:${name}`]!), name).toBeLessThanOrEqual(1e-4);
  });
  it('the eval-mode output, which uses the updated running statistics', () => {
    model.eval();
    expect(relativeMaxError(noGrad(() => model.call(t.x!)), t.eval_out!)).toBeLessThanOrEqual(1e-4);
  });
}

describe('a training step of a small model of non-convolution layers matches PyTorch', () => {
  trainingStepMatchesPyTorch(
    'head',
    new Head(),
    ['bn.weight', 'bn.bias', 'fc1.weight', 'fc1.bias', 'out.1.weight', 'out.1.bias', 'out.3.weight', 'out.3.bias'],
    ['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked'],
  );
});

describe('a training step of a CNN with every layer type matches PyTorch', () => {
  trainingStepMatchesPyTorch(
    'net',
    new Net(),
    ['conv1.weight', 'conv1.bias', 'bn1.weight', 'bn1.bias', 'features.2.weight', 'classifier.2.weight', 'classifier.2.bias'],
    ['bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked', 'features.3.running_mean', 'features.3.running_var', 'features.3.num_batches_tracked'],
  );
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
