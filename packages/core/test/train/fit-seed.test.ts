import { describe, expect, it } from 'vitest';
import { DataLoader, defaultGenerator, Dropout, Dropout2d, fit, fitAsync, Flatten, Generator, Linear, manualSeed, ReLU, Sequential, SGD, Tensor } from '../../src/index.js';
import { blobs } from './synthetic.js';

/** A small MLP with dropout, its weights from `manualSeed(1)` (the same for every call). */
function droppingNet(): Sequential {
  manualSeed(1);
  return new Sequential(new Flatten(), new Linear(4, 16), new ReLU(), new Dropout(0.5), new Linear(16, 3));
}

const weights = (model: Sequential): number[][] => model.parameters().map((p) => Array.from(p.data));
const options = (model: Sequential, seed?: number) => ({
  train: new DataLoader(blobs(48, 3), { batchSize: 8, shuffle: true, seed: 5 }),
  optimizer: new SGD(model.parameters(), { lr: 0.1 }),
  epochs: 2,
  ...(seed === undefined ? {} : { seed }),
});

describe('fit with a seed: the run draws its dropout masks from its own generator', () => {
  it('two runs with the same seed end with the same weights, whatever else drew from the default generator', () => {
    const a = droppingNet();
    fit(a, options(a, 7));
    const b = droppingNet();
    for (let i = 0; i < 1000; i++) defaultGenerator().uniform();
    fit(b, options(b, 7));
    expect(weights(b)).toEqual(weights(a));
    const c = droppingNet();
    fit(c, options(c, 8));
    expect(weights(c)).not.toEqual(weights(a));
  });

  it('interleaved fitAsync runs with the same seed match a run alone (without a seed they do not)', async () => {
    const alone = droppingNet();
    fit(alone, options(alone, 7));
    const [a, b] = [droppingNet(), droppingNet()];
    await Promise.all([fitAsync(a, options(a, 7)), fitAsync(b, options(b, 7))]);
    expect(weights(a)).toEqual(weights(alone));
    expect(weights(b)).toEqual(weights(alone));

    const [x, y] = [droppingNet(), droppingNet()];
    manualSeed(7);
    await Promise.all([fitAsync(x, options(x)), fitAsync(y, options(y))]);
    expect(weights(x)).not.toEqual(weights(y));
  });

  it('gives the layers their own generators back after the run, also when it throws', () => {
    const own = new Generator(3);
    const model = new Sequential(new Flatten(), new Linear(4, 3), new Dropout(0.5, { generator: own }));
    fit(model, options(model as never, 9));
    expect((model.namedModules()[3]![1] as Dropout).generator).toBe(own);
    expect(() => fit(model, { ...options(model as never, 9), callbacks: [{ onBatchEnd: () => { throw new Error('boom'); } }] })).toThrow('boom');
    expect((model.namedModules()[3]![1] as Dropout).generator).toBe(own);
  });

  it('rejects a seed outside the generator\'s range, naming fit', () => {
    const model = droppingNet();
    expect(() => fit(model, options(model, 2 ** 32))).toThrow(`fit: seed must be an integer in [0, ${2 ** 32 - 1}], got 4294967296`);
    expect(() => fit(model, { ...options(model), seed: 1.5 })).toThrow('fit: option seed must be an integer, got 1.5');
  });
});

describe('Dropout and Dropout2d with a generator', () => {
  const x = Tensor.full([2, 3, 2, 2], 1);
  it('draw their masks from it: the same seed gives the same mask, the default generator is untouched', () => {
    for (const make of [(g: Generator) => new Dropout(0.5, { generator: g }), (g: Generator) => new Dropout2d(0.5, { generator: g })]) {
      manualSeed(0);
      const before = new Generator(0).uniform();
      const first = Array.from(make(new Generator(11)).call(x).data);
      const second = Array.from(make(new Generator(11)).call(x).data);
      expect(second).toEqual(first);
      expect(first.every((v) => v === 0 || v === 2)).toBe(true);
      expect(defaultGenerator().uniform()).toBe(before);
    }
  });

  it('reject a generator that is not one', () => {
    expect(() => new Dropout(0.5, { generator: 42 as never })).toThrow('Dropout: option generator must be a Generator, got 42');
    expect(() => new Dropout2d(0.5, { generator: {} as never })).toThrow('Dropout2d: option generator must be a Generator, got an object');
  });
});
