import { afterEach, describe, expect, it } from 'vitest';
import { gradientBufferStats } from '../src/gradient-buffers.js';
import { crossEntropy, Generator, Linear, manualSeed, SGD, Tensor, zoo } from '../src/index.js';

const BATCH = 16;

/** LeNet-5 (32×32 input, 61,706 parameters), a fixed batch and its optimizer. */
function lenetStep(): { step: (setToNone?: boolean) => void; model: ReturnType<typeof zoo.lenet5>; parameters: number; parameterBytes: number } {
  manualSeed(1);
  const model = zoo.lenet5();
  const rng = new Generator(2);
  const x = Tensor.from(Float32Array.from({ length: BATCH * 32 * 32 }, () => rng.normal()), [BATCH, 1, 32, 32]);
  const labels = Int32Array.from({ length: BATCH }, (_, i) => i % 10);
  const optimizer = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const step = (setToNone = true): void => {
    optimizer.zeroGrad({ setToNone });
    crossEntropy(model.call(x), labels).backward();
    optimizer.step();
  };
  return { step, model, parameters: model.parameters().length, parameterBytes: model.parameters().reduce((s, p) => s + p.size * 4, 0) };
}

/**
 * Bytes of the Float32Arrays `run` creates with storage of their own (views of existing buffers,
 * such as `subarray`, are free), counted by standing in for the global constructor.
 */
function float32BytesAllocated(run: () => void): number {
  const Original = globalThis.Float32Array;
  let bytes = 0;
  class Counting extends Original {
    constructor(...args: unknown[]) {
      super(...(args as []));
      if (!(args[0] instanceof ArrayBuffer || args[0] instanceof SharedArrayBuffer)) bytes += this.byteLength;
    }
  }
  globalThis.Float32Array = Counting as unknown as Float32ArrayConstructor;
  try {
    run();
  } finally {
    globalThis.Float32Array = Original;
  }
  return bytes;
}

/** Float32 bytes of every layer's output of LeNet-5 on a batch, as if none were fused. */
function lenetOutputBytes(): number {
  const perImage = 6 * 28 * 28 * 2 + 6 * 14 * 14 + 16 * 10 * 10 * 2 + 16 * 5 * 5 * 2 + 120 * 2 + 84 * 2 + 10;
  return perImage * BATCH * 4;
}

afterEach(() => {
  globalThis.Float32Array = Float32Array;
});

describe('gradient buffers', () => {
  it('a steady training step allocates no gradient buffers: zeroGrad gives back each .grad nobody read', () => {
    const { step } = lenetStep();
    step();
    step();
    const before = gradientBufferStats().created;
    for (let i = 0; i < 5; i++) step();
    expect(gradientBufferStats().created - before).toBe(0);
  });

  it('a .grad read through the property is never given back: it keeps its values after zeroGrad and later steps', () => {
    const { step, model, parameters } = lenetStep();
    step();
    const read = model.parameters().map((p) => p.grad!);
    const values = read.map((g) => g.data.slice());
    const before = gradientBufferStats().created;
    for (let i = 0; i < 3; i++) step();
    read.forEach((g, i) => {
      expect(g.data).toEqual(values[i]);
      expect(g.data).not.toBe(model.parameters()[i]!.peekGrad()!.readValues());
    });
    // The next backward made a new gradient for each one read; the later steps recycle theirs.
    expect(gradientBufferStats().created - before).toBeLessThanOrEqual(parameters);
  });

  it('with zeroGrad({ setToNone: false }) a steady step allocates no gradient buffer at all', () => {
    const { step } = lenetStep();
    step(false);
    step(false);
    const before = gradientBufferStats().created;
    for (let i = 0; i < 5; i++) step(false);
    expect(gradientBufferStats().created - before).toBe(0);
  });

  it('a training step allocates less than its layers output plus the parameter gradients (nothing per backward op)', () => {
    const { step, parameterBytes } = lenetStep();
    step();
    step();
    const bytes = float32BytesAllocated(() => { for (let i = 0; i < 4; i++) step(); }) / 4;
    // Here 0.78 MB: the outputs (conv+ReLU fused) and one new .grad per parameter. Before backward
    // reused its gradients, 1.74 MB: every op's input gradient came on top.
    expect(bytes).toBeLessThan(lenetOutputBytes() + parameterBytes);
    expect(bytes).toBeGreaterThan(parameterBytes);
  });

  it('never hands out a buffer that became a parameter gradient, nor one the caller still holds', () => {
    const layer = new Linear(3, 2);
    const optimizer = new SGD(layer.parameters(), { lr: 0 });
    const x = Tensor.from([[1, 2, 3], [4, 5, 6]]);
    layer.call(x).sum().backward();
    const kept = layer.weight.grad!;
    const values = Array.from(kept.data);
    expect(values).toEqual([5, 7, 9, 5, 7, 9]);
    for (let i = 0; i < 3; i++) {
      optimizer.zeroGrad();
      layer.call(x.mul(2)).sum().backward();
      expect(layer.weight.grad!.data).not.toBe(kept.data);
    }
    expect(Array.from(kept.data)).toEqual(values);
    const upstream = Tensor.from([[1, 1], [1, 1]]);
    const seed = Array.from(upstream.data);
    layer.call(x).backward(upstream);
    expect(Array.from(upstream.data)).toEqual(seed);
  });

  it('gives each input of an op its own gradient when one array serves several (x used twice, reshape passes g through)', () => {
    const x = Tensor.from([1, 2, 3], [3]).requiresGrad_();
    const y = x.reshape([3, 1]);
    y.add(y).mul(y).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([4, 8, 12]);
    x.grad = null;
    x.reshape([1, 3]).add(x.reshape([1, 3])).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([2, 2, 2]);
  });
});
