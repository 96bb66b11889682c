import { describe, expect, it } from 'vitest';
import { DataLoader, FASHION_MNIST_MEAN, FASHION_MNIST_STD, fashionMnist, fit, manualSeed, normalize, pad, SGD, zoo } from '../../src/index.js';

import { haveFashionMnist } from '../data/idx-files.js';

const haveData = haveFashionMnist();

describe.runIf(haveData)('LeNet-5 on a slice of Fashion-MNIST', () => {
  it('one epoch on 1,280 images: the loss falls and validation accuracy is far above chance (10%)', () => {
    manualSeed(0);
    const lenet = zoo.lenet5();
    const { train, test } = fashionMnist();
    const transforms = [normalize(FASHION_MNIST_MEAN, FASHION_MNIST_STD), pad(2)];
    const history = fit(lenet, {
      train: new DataLoader(train.slice(0, 1280), { batchSize: 32, shuffle: true, seed: 1, transforms }),
      validation: new DataLoader(test.slice(0, 500), { batchSize: 250, transforms }),
      optimizer: new SGD(lenet.parameters(), { lr: 0.05, momentum: 0.9 }),
    });
    const losses = history.batches.map((b) => b.loss);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(losses[0]).toBeGreaterThan(2.2);
    expect(mean(losses.slice(-10))).toBeLessThan(0.75 * mean(losses.slice(0, 10)));
    expect(history.epochs[0]!.validation!.metrics['accuracy']).toBeGreaterThan(0.4);
  });
});
