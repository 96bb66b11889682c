import { describe, expect, it } from 'vitest';
import { ConvlabError, DataLoader, fitAsync, ImageDataset, SGD, zoo, type History } from '../../src/index.js';

/** 70 blank 1×28×28 images: the wrong size for LeNet-5 (the README's mistake without pad(2)). */
function unpadded(n = 70): ImageDataset {
  return new ImageDataset(new Float32Array(n * 28 * 28), new Int32Array(n), [1, 28, 28], { classes: ['only'] });
}

describe('fit when training throws', () => {
  it('runs onTrainError with the history so far, then rethrows the same error once', async () => {
    const model = zoo.lenet5();
    const seen: { error: unknown; history: History }[] = [];
    let ended = 0;
    const train = new DataLoader(unpadded(), { batchSize: 64 });
    const failure = fitAsync(model, {
      train,
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      epochs: 2,
      callbacks: [{ onTrainError: (error, history) => seen.push({ error, history }), onTrainEnd: () => { ended++; } }],
    });
    await expect(failure).rejects.toThrow('LeNet-5: expects 1×32×32; got 1×28×28 — pad(2) makes Fashion-MNIST fit');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.error).toBeInstanceOf(ConvlabError);
    expect(seen[0]!.history.batches).toEqual([]);
    expect(seen[0]!.history.seconds).toBeGreaterThanOrEqual(0);
    expect(ended).toBe(0);
  });
});

describe('ConvlabError', () => {
  it('starts its stack with the message and keeps no frames of convlab itself', () => {
    let error: unknown = null;
    try {
      zoo.lenet5().call(unpadded(1).get(0).image.reshape([1, 1, 28, 28]));
    } catch (e) {
      error = e;
    }
    const lines = (error as Error).stack!.split('\n');
    expect(lines[0]).toBe('ConvlabError: LeNet-5: expects 1×32×32; got 1×28×28 — pad(2) makes Fashion-MNIST fit');
    expect(lines.filter((l) => l.includes('/packages/core/src/'))).toEqual([]);
    expect(lines.some((l) => l.includes('fit-errors.test.ts'))).toBe(true);
  });
});
