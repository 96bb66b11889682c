import { describe, expect, it } from 'vitest';
import { DataLoader, Generator, ImageDataset, manualSeed } from '../src/index.js';

describe('seeds', () => {
  it('must be integers in MT19937 range [0, 2^32 − 1]: larger ones would alias (2^32 drew what 0 draws)', () => {
    expect(new Generator(2 ** 32 - 1).uniform()).not.toBe(new Generator(0).uniform());
    for (const seed of [2 ** 32, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new Generator(seed), String(seed)).toThrow(`Generator: seed must be an integer in [0, 4294967295], got ${seed}`);
      expect(() => manualSeed(seed), String(seed)).toThrow(`manualSeed: seed must be an integer in [0, 4294967295], got ${seed}`);
    }
  });

  it('of a DataLoader are checked the same way', () => {
    const data = new ImageDataset(new Float32Array(4), Int32Array.from([0, 1, 2, 3]), [1, 1, 1]);
    expect(() => new DataLoader(data, { seed: -1 })).toThrow('DataLoader: seed must be an integer in [0, 4294967295], got -1');
    expect(() => new DataLoader(data, { seed: Number.NaN })).toThrow(/^DataLoader: .*seed/);
    expect(() => new DataLoader(data, { seed: 1.5 })).toThrow(/^DataLoader: .*seed/);
  });
});
