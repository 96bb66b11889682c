import { describe, expect, it } from 'vitest';
import { combineProbes, type MemoryProbe } from '../src/checks.js';

const probe = (rssSamplesMB: number[], peakRssMB = 150): MemoryProbe => ({ steps: 300, peakRssMB, rssSamplesMB });

describe('combineProbes: the memory check from several probes, by medians', () => {
  it('reads after-warm-up and end as medians of three samples, so one reading before the GC returned memory does not count', () => {
    // One late spike (+20 MB at the last sample), the failure seen once in the benchmark.
    const check = combineProbes([probe([100, 101, 100, 102, 101, 101, 121])]);
    expect(check).toEqual({ steps: 300, probes: 1, peakRssMB: 150, rssAfterWarmupMB: 100, rssEndMB: 101, rssGrowthMB: 1 });
  });

  it('takes the median over probes, so one noisy process does not decide the growth', () => {
    const check = combineProbes([
      probe([100, 100, 100, 101, 101, 101, 101], 140),
      probe([100, 100, 100, 125, 125, 125, 125], 190),
      probe([99, 99, 99, 101.5, 101.5, 101.5, 101.5], 150),
    ]);
    expect(check).toEqual({ steps: 300, probes: 3, peakRssMB: 150, rssAfterWarmupMB: 100, rssEndMB: 101.5, rssGrowthMB: 2.5 });
  });

  it('still reports a real, steady growth', () => {
    const leaking = [100, 105, 110, 115, 120, 125, 130];
    expect(combineProbes([probe(leaking), probe(leaking.map((v) => v + 1)), probe(leaking)]).rssGrowthMB).toBe(20);
  });

  it('refuses no probes or probes with fewer than three finite samples', () => {
    expect(() => combineProbes([])).toThrow('memory check: no probe results');
    expect(() => combineProbes([probe([100, 101])])).toThrow('memory check: a probe needs at least 3 finite RSS samples, got [100, 101]');
    expect(() => combineProbes([probe([100, NaN, 101])])).toThrow('memory check: a probe needs at least 3 finite RSS samples, got [100, NaN, 101]');
  });
});
