import { describe, expect, it } from 'vitest';
import { measureInterleaved, median, quantile, spread } from '../src/harness.js';
import type { Runner } from '../src/system.js';

/** A runner whose runs take the given milliseconds in turn, logging each call (`A×5`: 5 runs). */
function fake(name: string, times: number[], log: string[]): Runner {
  let i = 0;
  return {
    work: 1,
    run: async (repeat) => {
      log.push(repeat === 1 ? name : `${name}×${repeat}`);
      return times[Math.min(i++, times.length - 1)]! * repeat;
    },
    dispose: async () => undefined,
  };
}

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('quantile and spread', () => {
  it('interpolate between order statistics like numpy.quantile', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([10, 40, 20, 30], 0.25)).toBe(17.5);
    expect(quantile([10, 40, 20, 30], 1)).toBe(40);
    expect(quantile([7], 0.75)).toBe(7);
  });

  it('give extremes, quartiles and the interquartile range relative to the median', () => {
    expect(spread([12, 8, 10, 11, 9])).toEqual({ minMs: 8, q1Ms: 9, q3Ms: 11, maxMs: 12, relativeIqr: 0.2 });
  });
});

describe('measureInterleaved', () => {
  it('warms up for at least warmupRuns runs however long they take', async () => {
    const log: string[] = [];
    const slow = fake('A', [100], log);
    await measureInterleaved([slow], { warmupMs: 0, warmupRuns: 3, budgetMs: 0, minSamples: 2, maxSamples: 2, sampleMs: 0 });
    expect(log).toEqual(['A', 'A', 'A', 'A', 'A']);
  });

  it('warms each system up, then takes turns A B, B A, A B, and stops a slow one at its share', async () => {
    const log: string[] = [];
    const fast = fake('A', [10], log);
    const slow = fake('B', [100], log);
    const samples = await measureInterleaved([fast, slow], { warmupMs: 20, budgetMs: 300, minSamples: 3, maxSamples: 5, sampleMs: 0 });
    // Warm-up: A until 20 ms (2 runs), B once (100 ms ≥ 20); then A takes min(5, 300/10) = 5
    // samples and B max(3, 300/100) = 3, each round starting one system later while both need more.
    expect(log).toEqual(['A', 'A', 'B', 'A', 'B', 'B', 'A', 'A', 'B', 'A', 'A']);
    expect(samples.map((s) => s.ms.length)).toEqual([5, 3]);
    expect(samples.map((s) => s.medianMs)).toEqual([10, 100]);
  });

  it('rotates the order so that each system follows each other one equally often', async () => {
    const log: string[] = [];
    const runners = ['A', 'B', 'C'].map((name) => fake(name, [1], log));
    await measureInterleaved(runners, { warmupMs: 0, budgetMs: 0, minSamples: 3, maxSamples: 3, sampleMs: 0 });
    expect(log.join('')).toBe('ABC' + 'ABC' + 'BCA' + 'CAB');
  });

  it('times back-to-back runs lasting about sampleMs as one sample and reports milliseconds per run', async () => {
    const log: string[] = [];
    const fast = fake('A', [4, 5, 4, 6, 4], log);
    const slow = fake('B', [100], log);
    const samples = await measureInterleaved([fast, slow], { warmupMs: 0, budgetMs: 150, minSamples: 3, maxSamples: 3, sampleMs: 20 });
    // A's warm-up run took 4 ms: 5 runs per sample; B's 100 ms: one.
    expect(log).toEqual(['A', 'B', 'A×5', 'B', 'B', 'A×5', 'A×5', 'B']);
    expect(samples.map((s) => s.repeat)).toEqual([5, 1]);
    expect(samples[0]!.ms).toEqual([5, 4, 6]);
    expect(samples.map((s) => s.medianMs)).toEqual([5, 100]);
  });

  it('reports the median of the measured samples, not of the warm-up', async () => {
    const log: string[] = [];
    const runner = fake('A', [1000, 7, 5, 9, 6, 8], log);
    const [samples] = await measureInterleaved([runner], { warmupMs: 0, budgetMs: 0, minSamples: 5, maxSamples: 5, sampleMs: 0 });
    expect(samples!.ms).toEqual([7, 5, 9, 6, 8]);
    expect(samples!.medianMs).toBe(7);
  });
});
