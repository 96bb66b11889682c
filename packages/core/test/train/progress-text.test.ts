import { describe, expect, it } from 'vitest';
import { formatDuration, formatEpoch, formatProgress } from '../../src/index.js';

describe('progress text', () => {
  it('formats durations', () => {
    expect([formatDuration(0.4), formatDuration(42), formatDuration(187), formatDuration(3900)]).toEqual(['0s', '42s', '3m07s', '1h05m']);
  });

  it('formats a batch as a progress-bar line', () => {
    const line = formatProgress(
      { epoch: 2, epochs: 10, batch: 215, batchesPerEpoch: 860, loss: 0.51234, metrics: { accuracy: 0.8123 }, imagesPerSecond: 230.6, elapsedSeconds: 10, etaSeconds: 2472 }, 8
    );
    expect(line).toBe('epoch 2/10 [██······] 215/860 loss 0.5123 acc 0.812 · 231 img/s · ETA 41m12s');
  });

  it('formats an epoch with and without validation', () => {
    const train = { loss: 0.32741, metrics: { accuracy: 0.8778 }, images: 100, seconds: 20 };
    expect(formatEpoch({ epoch: 3, lr: 0.01, train, validation: { ...train, loss: 0.3215 }, seconds: 21.34, imagesPerSecond: 5 }))
      .toBe('epoch 3: train loss 0.3274 acc 0.878 · val loss 0.3215 acc 0.878 · 21.3s');
    expect(formatEpoch({ epoch: 1, lr: 0.01, train: { ...train, metrics: {} }, validation: null, seconds: 2, imagesPerSecond: 5 }))
      .toBe('epoch 1: train loss 0.3274 · 2.0s');
  });
});
