import type { BatchProgress, Callback, EpochRecord, History, TrainingControl } from '@convlab/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveTraining } from '../../src/kernel/live-training.js';
import { mimeType, validate, type HistoryData } from '@convlab/display';
import { installFakeTslab } from '../helpers/fake-tslab.js';

let cleanup: (() => void) | null = null;
afterEach(() => { cleanup?.(); cleanup = null; vi.restoreAllMocks(); });

/**
 * Drives a callback the way `fit` does: `epochs` × `batches` batches, each taking `step` seconds
 * of a mocked clock, with the history filled in as it goes.
 */
function simulate(callback: Callback, epochs: number, batches: number, step: number): History {
  let t = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => t * 1000);
  const history: History = { batches: [], epochs: [], stopped: null, seconds: 0 };
  const control: TrainingControl = { history, stop: () => undefined };
  callback.onTrainBegin?.({ epochs, batchesPerEpoch: batches, imagesPerEpoch: 4 * batches }, control);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let batch = 1; batch <= batches; batch++) {
      t = Math.round(((epoch - 1) * batches + batch) * step * 1e6) / 1e6;
      history.batches.push({ epoch, batch, size: 4, loss: 1 / (batch + epoch), metrics: { accuracy: 0.5 }, seconds: step });
      const done = (epoch - 1) * batches + batch;
      const progress: BatchProgress = {
        epoch, epochs, batch, batchesPerEpoch: batches, loss: 1 / (batch + epoch), metrics: { accuracy: 0.5 },
        imagesPerSecond: 4 / step, elapsedSeconds: t, etaSeconds: (epochs * batches - done) * step,
      };
      callback.onBatchEnd?.(progress, control);
    }
    const record: EpochRecord = {
      epoch, lr: 0.1, seconds: batches * step, imagesPerSecond: 4 / step, train: { loss: 0.5, metrics: { accuracy: 0.5 }, images: 4 * batches, seconds: batches * step }, validation: null
    };
    history.epochs.push(record);
    callback.onEpochEnd?.(record, control);
  }
  history.seconds = t;
  callback.onTrainEnd?.(history);
  return history;
}

describe('liveTraining', () => {
  it('keeps ONE display updated in place, throttled, never one output per batch', () => {
    const fake = installFakeTslab();
    cleanup = fake.remove;
    simulate(liveTraining({ updatesPerSecond: 4 }), 2, 50, 0.01);
    // Start, every 0.25 s of the 1 s run (batches 25, 50, 75, 100), two epoch ends, the end: 8 of 100 batches.
    expect(fake.sent.map((m) => m.update)).toEqual([false, true, true, true, true, true, true, true]);
    expect(new Set(fake.sent.map((m) => m.content.transient.display_id)).size).toBe(1);
    const payloads = fake.sent.map((m) => m.content.data[mimeType('history')] as HistoryData);
    expect(payloads.map((p) => p.progress && [p.progress.epoch, p.progress.batch, p.progress.done])).toEqual([
      [0, 0, false], [1, 25, false], [1, 50, false], [1, 50, false], [2, 25, false], [2, 50, false], [2, 50, false], [2, 50, true],
    ]);
    const last = payloads[payloads.length - 1]!;
    expect(validate('history', last).ok).toBe(true);
    expect(last.batches.length).toBe(100);
    expect(last.progress).toEqual({ epoch: 2, epochs: 2, batch: 50, batchesPerEpoch: 50, imagesPerSecond: 400, elapsedSeconds: 1, etaSeconds: 0, done: true, stopped: null });
    expect(fake.sent[7]!.content.data['text/plain']).toMatch(/^\[█{30}\] done · epoch 2\/2 · batch 50\/50 · 400 img\/s · 1s elapsed\n/);
  });

  it('sends fewer updates at a lower rate', () => {
    const fake = installFakeTslab();
    cleanup = fake.remove;
    simulate(liveTraining({ updatesPerSecond: 1 }), 1, 100, 0.01);
    // Start, batch 100 (t = 1 s), the epoch end, the end.
    expect(fake.sent.length).toBe(4);
  });

  it('prints only epoch ends and the end outside a kernel', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    simulate(liveTraining(), 2, 50, 0.01);
    expect(log.mock.calls.length).toBe(3);
    expect(String(log.mock.calls[2]![0])).toMatch(/^\[█{30}\] done · epoch 2\/2/);
  });

  it('rejects a non-positive rate', () => {
    expect(() => liveTraining({ updatesPerSecond: 0 })).toThrow('liveTraining: updatesPerSecond must be a positive number, got 0');
  });

  it('shows a failed state when training throws: the message and the last good point', () => {
    const fake = installFakeTslab();
    cleanup = fake.remove;
    const view = liveTraining();
    const history: History = { batches: [], epochs: [], stopped: null, seconds: 0 };
    const control: TrainingControl = { history, stop: () => undefined };
    view.onTrainBegin?.({ epochs: 2, batchesPerEpoch: 938, imagesPerEpoch: 60_000 }, control);
    view.onTrainError?.(new Error('LeNet-5: expects 1×32×32; got 1×28×28 — pad(2) makes Fashion-MNIST fit'), history);
    const last = fake.sent[fake.sent.length - 1]!;
    expect(fake.sent).toHaveLength(2);
    expect(last.update).toBe(true);
    const payload = last.content.data[mimeType('history')] as HistoryData;
    expect(validate('history', payload).ok).toBe(true);
    expect(payload.progress).toMatchObject({ epoch: 0, batch: 0, done: true, failed: 'LeNet-5: expects 1×32×32; got 1×28×28 — pad(2) makes Fashion-MNIST fit' });
    expect(last.content.data['text/plain']).toBe('[······························] failed: LeNet-5: expects 1×32×32; got 1×28×28 — pad(2) makes Fashion-MNIST fit · before the first batch completed');
  });
});
