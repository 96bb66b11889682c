import { describe, expect, it } from 'vitest';
import {
  confusionMatrix, DataLoader, ImageDataset, Linear, manualSeed, misclassified, normalize, predict, Sequential, Flatten, Tensor,
} from '../../src/index.js';
import { blobs, smallNet } from '../train/synthetic.js';

/** A linear classifier of 1×1×2 images that predicts class = arg-max(x0, x1, 0.5): fixed weights, predictions known by hand. */
function handModel(): Sequential {
  const fc = new Linear(2, 3);
  fc.weight.data.set([1, 0, 0, 1, 0, 0]);
  fc.bias!.data.set([0, 0, 0.5]);
  return new Sequential(new Flatten(), fc);
}

describe('confusionMatrix', () => {
  it('counts a hand-made example: rows are true classes, columns predictions', () => {
    // image → prediction: (1,0)→0, (0,1)→1, (0,0)→2, (2,1)→0, (0.2,0.1)→2
    const pixels = Float32Array.from([1, 0, 0, 1, 0, 0, 2, 1, 0.2, 0.1, 0, 3]);
    const labels = Int32Array.from([0, 1, 2, 1, 0, 1]);
    const data = new ImageDataset(pixels, labels, [1, 1, 2], { classes: ['x', 'y', 'z'] });
    const cm = confusionMatrix(handModel(), new DataLoader(data, { batchSize: 4 }));
    expect(cm.classes).toEqual(['x', 'y', 'z']);
    expect(cm.matrix).toEqual([[1, 0, 1], [1, 2, 0], [0, 0, 1]]);
    expect(cm.total).toBe(6);
    expect(cm.accuracy).toBe(4 / 6);
    expect(cm.perClass[0]).toEqual({ precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 });
    expect(cm.perClass[1]).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(cm.perClass[2]!.precision).toBe(1 / 2);
    expect(cm.perClass[2]!.recall).toBe(1);
    expect(cm.perClass[2]!.f1).toBeCloseTo(2 / 3, 12);
    expect(cm.macro.precision).toBeCloseTo((0.5 + 1 + 0.5) / 3, 12);
    expect(cm.macro.recall).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 12);
    expect(cm.weighted.recall).toBeCloseTo((2 * 0.5 + 3 * (2 / 3) + 1 * 1) / 6, 12);
    expect(cm.weighted.f1).toBeCloseTo((2 * 0.5 + 3 * 0.8 + 1 * (2 / 3)) / 6, 12);
  });

  it('equals predictions counted one by one, on a dataset or a loader with transforms', () => {
    manualSeed(4);
    const model = smallNet();
    const data = blobs(300, 11);
    const loader = new DataLoader(data, { batchSize: 64, transforms: [normalize(0.1, 1.3)] });
    const counts = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    for (const { inputs, labels } of loader) {
      const out = predict(model, inputs).data;
      labels.forEach((y, i) => {
        const row = [...out.subarray(i * 3, i * 3 + 3)];
        counts[y]![row.indexOf(Math.max(...row))]!++;
      });
    }
    const cm = confusionMatrix(model, loader);
    expect(cm.matrix).toEqual(counts);
    expect(cm.accuracy).toBe((counts[0]![0]! + counts[1]![1]! + counts[2]![2]!) / 300);
    expect(cm.perClass.map((c) => c.support)).toEqual(counts.map((r) => r[0]! + r[1]! + r[2]!));
    const plain = confusionMatrix(model, data, { classes: ['A', 'B', 'C'] });
    expect(plain.classes).toEqual(['A', 'B', 'C']);
    expect(plain.total).toBe(300);
  });

  it('runs in evaluation mode without gradients and restores the modes', () => {
    const model = smallNet();
    model.train();
    confusionMatrix(model, blobs(10, 1));
    expect(model.training).toBe(true);
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('names a wrong class list', () => {
    expect(() => confusionMatrix(smallNet(), blobs(10, 1), { classes: ['a', 'b'] })).toThrow('confusionMatrix: classes names 2 classes, the model outputs 3 scores');
  });
});

describe('misclassified', () => {
  const pixels = Float32Array.from([1, 0, 0, 1, 0, 0, 2, 1, 0.2, 0.1, 0, 3]);
  const labels = Int32Array.from([0, 1, 2, 1, 0, 1]);
  const data = new ImageDataset(pixels, labels, [1, 1, 2], { classes: ['x', 'y', 'z'] });

  it('returns the wrong predictions, most confident first, with softmax probabilities', () => {
    const m = misclassified(handModel(), data);
    expect(m.total).toBe(6);
    expect(m.matching).toBe(2);
    expect(m.mistakes.map((k) => [k.index, k.trueClass, k.predictedClass])).toEqual([[3, 1, 0], [4, 0, 2]]);
    const e = [Math.exp(2), Math.exp(1), Math.exp(0.5)];
    const sum = e[0]! + e[1]! + e[2]!;
    expect(m.mistakes[0]!.probabilities[0]).toBeCloseTo(e[0]! / sum, 6);
    expect(m.mistakes[0]!.confidence).toBeCloseTo(e[0]! / sum, 6);
    expect(m.mistakes[0]!.image.shape).toEqual([1, 1, 2]);
    expect([...m.mistakes[0]!.image.data]).toEqual([2, 1]);
    expect(m.classes).toEqual(['x', 'y', 'z']);
  });

  it('filters by true and predicted class and caps the count', () => {
    expect(misclassified(handModel(), data, { trueClass: 0 }).mistakes.map((k) => k.index)).toEqual([4]);
    expect(misclassified(handModel(), data, { predictedClass: 0 }).mistakes.map((k) => k.index)).toEqual([3]);
    const one = misclassified(handModel(), data, { count: 1 });
    expect(one.mistakes.map((k) => k.index)).toEqual([3]);
    expect(one.matching).toBe(2);
  });

  it('keeps the most confident mistakes of a larger set across batches', () => {
    manualSeed(2);
    const model = smallNet();
    const set = blobs(500, 3);
    const all = misclassified(model, set, { count: 1000 });
    const top = misclassified(model, new DataLoader(set, { batchSize: 7 }), { count: 5 });
    expect(top.mistakes.map((k) => k.index)).toEqual(all.mistakes.slice(0, 5).map((k) => k.index));
    const conf = all.mistakes.map((k) => k.confidence);
    expect(conf).toEqual([...conf].sort((a, b) => b - a));
    expect(all.mistakes.length).toBe(all.matching);
    const check = predict(model, new Tensor(set.pixels.slice(all.mistakes[0]!.index * 4, all.mistakes[0]!.index * 4 + 4), [1, 1, 2, 2])).data;
    expect([...check].indexOf(Math.max(...check))).toBe(all.mistakes[0]!.predictedClass);
  });

  it('names bad options', () => {
    expect(() => misclassified(handModel(), data, { trueClass: 3 })).toThrow('misclassified: trueClass must be a class index in [0, 2], got 3');
    expect(() => misclassified(handModel(), data, { count: -1 })).toThrow('misclassified: count must be a non-negative integer, got -1');
  });
});
