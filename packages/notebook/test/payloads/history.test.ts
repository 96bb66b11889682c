import type { BatchRecord, History } from '@convlab/core';
import { describe, expect, it } from 'vitest';
import { historyPayload } from '../../src/payloads/history.js';
import { validate } from '@convlab/display';

const batch = (epoch: number, b: number, loss: number, accuracy?: number): BatchRecord =>
  ({ epoch, batch: b, size: 4, loss, metrics: accuracy === undefined ? {} : { accuracy }, seconds: 0.01 });

function twoEpochs(): History {
  return {
    batches: [batch(1, 1, 2.0, 0.25), batch(1, 2, 1.0, 0.5), batch(1, 3, 0.6, 0.75), batch(2, 1, 0.5, 1), batch(2, 2, NaN, 0)],
    epochs: [{
      epoch: 1, lr: 0.1, seconds: 1, imagesPerSecond: 12,
      train: { loss: 1.2, metrics: { accuracy: 0.5 }, images: 12, seconds: 0.9 },
      validation: { loss: 1.5, metrics: { accuracy: 0.4 }, images: 8, seconds: 0.1 },
    }],
    stopped: { reason: 'non-finite-loss', epoch: 2, batch: 2, message: 'loss is NaN' },
    seconds: 1.5,
  };
}

describe('historyPayload', () => {
  it('has one point per batch for short runs, with NaN spelled for JSON', () => {
    const p = historyPayload(twoEpochs(), null);
    expect(p.batchesPerPoint).toBe(1);
    expect(p.batches.map((b) => [b.step, b.epoch, b.loss, b.accuracy])).toEqual([[1, 1, 2, 0.25], [2, 1, 1, 0.5], [3, 1, 0.6, 0.75], [4, 2, 0.5, 1], [5, 2, 'NaN', 0]]);
    expect(p.epochs).toEqual([{ epoch: 1, step: 3, trainLoss: 1.2, trainAccuracy: 0.5, validationLoss: 1.5, validationAccuracy: 0.4 }]);
    expect(p.progress).toBeNull();
    expect(validate('history', p).ok).toBe(true);
  });

  it('averages consecutive batches when there are more than maxPoints', () => {
    const p = historyPayload(twoEpochs(), null, 2);
    // ceil(5 / 2) = 3 batches per point: mean(2, 1, 0.6) = 1.2, then mean(0.5, NaN) = NaN.
    expect(p.batchesPerPoint).toBe(3);
    expect(p.batches).toEqual([
      { step: 3, epoch: 1, loss: 1.2, accuracy: 0.5 },
      { step: 5, epoch: 2, loss: 'NaN', accuracy: 0.5 },
    ]);
  });

  it('leaves accuracy null when it was not measured', () => {
    const h: History = {
      batches: [batch(1, 1, 0.3)], epochs: [{ epoch: 1, lr: 0.1, seconds: 1, imagesPerSecond: 4, train: { loss: 0.3, metrics: {}, images: 4, seconds: 1 }, validation: null }], stopped: null,
      seconds: 1,
    };
    const p = historyPayload(h, null);
    expect(p.batches[0]!.accuracy).toBeNull();
    expect(p.epochs[0]).toEqual({ epoch: 1, step: 1, trainLoss: 0.3, trainAccuracy: null, validationLoss: null, validationAccuracy: null });
  });
});
