import { describe, expect, it } from 'vitest';
import {
  DataLoader, fit, Flatten, layerStats, Linear, manualSeed, ReLU, Sequential, SGD, type Callback,
} from '../../src/index.js';
import { hasForwardHooks } from '../../src/nn/module.js';
import { blobs, smallNet } from '../train/synthetic.js';

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('layerStats', () => {
  it('records every N batches: norms, update ratio and histograms equal those measured independently', () => {
    manualSeed(6);
    const model = smallNet();
    const fc1 = model.layers[1] as Linear;
    const stats = layerStats(model, { every: 2, bins: 8 });
    // An independent witness: weights before each step and, at each recorded batch, norms after it.
    let before = fc1.weight.data.slice();
    const seen: { step: number; weightNorm: number; gradNorm: number; ratio: number }[] = [];
    let step = 0;
    const witness: Callback = {
      onBatchEnd() {
        step++;
        const w = fc1.weight.data;
        const delta = w.map((v, i) => v - before[i]!);
        if (step % 2 === 0) seen.push({ step, weightNorm: norm(w), gradNorm: norm(fc1.weight.grad!.data), ratio: norm(delta) / norm(before) });
        before = w.slice();
      },
    };
    const train = new DataLoader(blobs(96, 2), { batchSize: 16 });
    fit(model, { train, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 2, callbacks: [stats, witness] });
    expect(stats.layers).toEqual(['1', '2', '3']);
    expect(stats.records.map((r) => [r.epoch, r.batch, r.step])).toEqual([[1, 2, 2], [1, 4, 4], [1, 6, 6], [2, 2, 8], [2, 4, 10], [2, 6, 12]]);
    stats.records.forEach((r, i) => {
      const s = r.layers[0]!;
      expect(s.layer).toBe('1');
      expect(s.type).toBe('Linear');
      expect(s.weightNorm).toBeCloseTo(seen[i]!.weightNorm, 5);
      expect(s.gradNorm).toBeCloseTo(seen[i]!.gradNorm, 5);
      expect(s.updateRatio).toBeCloseTo(seen[i]!.ratio, 5);
      expect(s.deadFraction).toBe(null);
      const h = s.weights!;
      expect(h.counts.reduce((a, b) => a + b, 0) + h.below + h.above).toBe(32);
      expect(h.edges).toEqual(stats.records[0]!.layers[0]!.weights!.edges);
      expect(s.activations!.counts.reduce((a, b) => a + b, 0) + s.activations!.below + s.activations!.above).toBe(16 * 8);
      const relu = r.layers[1]!;
      expect(relu.weightNorm).toBe(null);
      expect(relu.activations!.edges[0]).toBe(0);
    });
    expect(model.namedModules().every(([, m]) => !hasForwardHooks(m))).toBe(true);
  });

  it('counts ReLU units that are zero for every image as dead', () => {
    const fc = new Linear(4, 4);
    fc.weight.data.fill(0);
    fc.bias!.data.set([-1, -1, -1, 1]);
    const model = new Sequential(new Flatten(), fc, new ReLU(), new Linear(4, 3));
    const stats = layerStats(model);
    fit(model, { train: new DataLoader(blobs(32, 4), { batchSize: 16 }), optimizer: new SGD(model.parameters(), { lr: 0 }), epochs: 1, callbacks: [stats] });
    expect(stats.records.length).toBe(1);
    expect(stats.records[0]!.batch).toBe(2);
    expect(stats.records[0]!.layers.find((l) => l.layer === '2')!.deadFraction).toBe(0.75);
  });

  it('keeps at most maxRecords, thinning older ones', () => {
    const model = smallNet();
    const stats = layerStats(model, { every: 1, maxRecords: 4, bins: 4 });
    fit(model, { train: new DataLoader(blobs(80, 1), { batchSize: 8 }), optimizer: new SGD(model.parameters(), { lr: 0.01 }), epochs: 1, callbacks: [stats] });
    expect(stats.records.length).toBeLessThanOrEqual(4);
    expect(stats.records.at(-1)!.step).toBe(10);
    const steps = stats.records.map((r) => r.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });

  it('names bad options', () => {
    expect(() => layerStats(smallNet(), { every: 0 })).toThrow("layerStats: every must be 'epoch' or a positive integer, got 0");
    expect(() => layerStats(smallNet(), { bins: 500 })).toThrow('layerStats: bins must be an integer in [1, 200], got 500');
  });
});
