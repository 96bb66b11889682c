import { describe, expect, it } from 'vitest';
import { Conv2d, Linear, type Module, manualSeed } from '../../src/index.js';
import { loadTorchCases } from '../helpers/fixtures.js';
import { Net } from './models.js';

const snapshot = (m: Module): Float32Array[] => m.parameters().map((p) => p.data.slice());

describe('seeded initialization', () => {
  it('gives bit-identical weights for the same seed and different ones for another seed', () => {
    manualSeed(2024);
    const a = snapshot(new Net());
    manualSeed(2024);
    const b = snapshot(new Net());
    manualSeed(2025);
    const c = snapshot(new Net());
    expect(b).toEqual(a);
    a.forEach((w, i) => {
      if (w.some((v) => v !== 0 && v !== 1)) expect(c[i]).not.toEqual(w);
    });
  });

  it('initializes batch norm like PyTorch: weight 1, bias 0, running mean 0, running variance 1', () => {
    const bn = new Net().bn1;
    expect(Array.from(bn.weight!.data)).toEqual(Array(8).fill(1));
    expect(Array.from(bn.bias!.data)).toEqual(Array(8).fill(0));
    expect(Array.from(bn.runningMean.data)).toEqual(Array(8).fill(0));
    expect(Array.from(bn.runningVar.data)).toEqual(Array(8).fill(1));
    expect(bn.numBatchesTracked.data[0]).toBe(0);
  });
});

describe('initialization bounds match PyTorch (uniform in ±1/√fanIn)', () => {
  const layers: [string, () => Conv2d | Linear][] = [
    ['Linear(400, 120)', () => new Linear(400, 120)],
    ['Conv2d(16, 32, 3)', () => new Conv2d(16, 32, 3)],
    ['Conv2d(32, 32, 5, groups=4)', () => new Conv2d(32, 32, 5, { groups: 4 })],
  ];
  const torchStats = new Map(loadTorchCases('modules').filter((c) => c.op === 'init').map((c) => [c.name, c.args as Record<string, number>]));

  it.each(layers)('%s', (name, build) => {
    manualSeed(77);
    const layer = build();
    const torch = torchStats.get(name)!;
    const fanIn = torch.fan_in!;
    const bound = 1 / Math.sqrt(fanIn);
    const w = layer.weight.data;
    const b = layer.bias!.data;
    const largest = (v: Float32Array): number => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(largest(w)).toBeLessThanOrEqual(Math.fround(bound));
    expect(largest(b)).toBeLessThanOrEqual(Math.fround(bound));
    // A uniform on ±bound has max |w| → bound and std bound/√3, as PyTorch's weights do.
    const max = largest(w) / bound;
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / (w.length - 1)) / (bound / Math.sqrt(3));
    expect(max).toBeGreaterThan(0.99);
    expect(Math.abs(max - torch.weight_max!)).toBeLessThan(0.01);
    expect(Math.abs(std - torch.weight_std!)).toBeLessThan(0.04);
    expect(Math.abs(mean) / bound).toBeLessThan(0.03);
    // Ten equal bins over [−bound, bound] each hold about a tenth of the weights.
    const bins = new Array<number>(10).fill(0);
    for (const v of w) bins[Math.min(9, Math.floor(((v / bound + 1) / 2) * 10))]! += 1;
    for (const count of bins) expect(Math.abs(count / w.length - 0.1)).toBeLessThan(0.02);
  });
});
