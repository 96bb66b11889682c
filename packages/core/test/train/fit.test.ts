import { describe, expect, it } from 'vitest';
import { DataLoader, earlyStopping, evaluate, fit, fitAsync, manualSeed, mse, predict, SGD, StepLR, Tensor, type BatchProgress, type Callback, type History } from '../../src/index.js';
import { blobs, smallNet } from './synthetic.js';

function run(seed: number, epochs = 3): { history: History; weights: Float32Array[] } {
  manualSeed(seed);
  const model = smallNet();
  const train = new DataLoader(blobs(240, 1), { batchSize: 16, shuffle: true, seed });
  const validation = new DataLoader(blobs(90, 2), { batchSize: 32 });
  const history = fit(model, { train, validation, optimizer: new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), epochs });
  return { history, weights: model.parameters().map((p) => p.data) };
}

describe('fit', () => {
  it('lowers the loss and beats chance clearly; records every batch and epoch as plain data', () => {
    const { history } = run(3);
    expect(history.batches).toHaveLength(3 * 15);
    expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(history.batches[16]).toMatchObject({ epoch: 2, batch: 2, size: 16 });
    const [first, , last] = history.epochs;
    expect(last!.train.loss).toBeLessThan(0.7 * first!.train.loss);
    expect(last!.validation!.metrics['accuracy']).toBeGreaterThan(0.8);
    expect(last!.train.images).toBe(240);
    expect(last!.validation!.images).toBe(90);
    expect(last!.lr).toBe(0.05);
    expect(history.stopped).toBeNull();
    const epoch1 = history.batches.filter((b) => b.epoch === 1);
    expect(first!.train.loss).toBeCloseTo(epoch1.reduce((s, b) => s + b.loss * b.size, 0) / 240, 10);
    expect(JSON.parse(JSON.stringify(history))).toEqual(history);
  });

  it('is deterministic: the same seed gives the same batches, losses and weights bit for bit', () => {
    const a = run(7, 2);
    const b = run(7, 2);
    expect(b.history.batches.map((r) => r.loss)).toEqual(a.history.batches.map((r) => r.loss));
    const figures = (h: History): unknown[] => h.epochs.map((e) => [e.train.loss, e.train.metrics, e.validation!.loss, e.validation!.metrics]);
    expect(figures(b.history)).toEqual(figures(a.history));
    b.weights.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(a.weights[i]!.buffer))).toBe(true));
    const c = run(8, 2);
    expect(c.history.batches.map((r) => r.loss)).not.toEqual(a.history.batches.map((r) => r.loss));
  });

  it('fitAsync trains identically and lets the event loop run between batches', async () => {
    const sync = run(5, 1).history.batches.map((b) => b.loss);
    manualSeed(5);
    const model = smallNet();
    let timerFired = false;
    const firedAt: number[] = [];
    setTimeout(() => { timerFired = true; }, 0);
    const history = await fitAsync(model, {
      train: new DataLoader(blobs(240, 1), { batchSize: 16, shuffle: true, seed: 5 }),
      validation: new DataLoader(blobs(90, 2), { batchSize: 32 }),
      optimizer: new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }),
      callbacks: [{ onBatchEnd: (p) => { if (timerFired) firedAt.push(p.batch); } }],
    });
    expect(history.batches.map((b) => b.loss)).toEqual(sync);
    expect(firedAt.length).toBeGreaterThan(0);
    expect(firedAt[0]).toBeLessThan(15);
  });

  it('reports progress after every batch: indices, batches per epoch, loss, images/s and ETA', () => {
    manualSeed(1);
    const model = smallNet();
    const seen: BatchProgress[] = [];
    const calls: string[] = [];
    const recorder: Callback = {
      onTrainBegin: (plan) => calls.push(`begin ${plan.epochs}×${plan.batchesPerEpoch} (${plan.imagesPerEpoch})`),
      onBatchEnd: (p) => seen.push(p),
      onEpochEnd: (record, control) => calls.push(`epoch ${record.epoch}, ${control.history.epochs.length} recorded`),
      onTrainEnd: (history) => calls.push(`end ${history.batches.length}`),
    };
    const train = new DataLoader(blobs(50, 1), { batchSize: 20 });
    fit(model, { train, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 2, callbacks: [recorder] });
    expect(calls).toEqual(['begin 2×3 (50)', 'epoch 1, 1 recorded', 'epoch 2, 2 recorded', 'end 6']);
    expect(seen.map((p) => [p.epoch, p.batch, p.batchesPerEpoch, p.epochs])).toEqual([[1, 1, 3, 2], [1, 2, 3, 2], [1, 3, 3, 2], [2, 1, 3, 2], [2, 2, 3, 2], [2, 3, 3, 2]]);
    for (const p of seen) {
      expect(Number.isFinite(p.loss) && p.imagesPerSecond > 0 && p.etaSeconds >= 0).toBe(true);
      expect(p.metrics['accuracy']).toBeGreaterThanOrEqual(0);
    }
    expect(seen.at(-1)!.etaSeconds).toBe(0);
  });

  it('stops on a non-finite loss before updating, keeping the previous weights and saying why', () => {
    manualSeed(2);
    const model = smallNet();
    const data = blobs(40, 1);
    data.pixels[25 * 4 + 2] = Infinity;
    let lastGood: Float32Array[] = [];
    const snapshot: Callback = { onBatchEnd: () => { lastGood = model.parameters().map((p) => p.data.slice()); } };
    const history = fit(model, { train: new DataLoader(data, { batchSize: 10 }), optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), epochs: 3, callbacks: [snapshot] });
    expect(history.stopped).toEqual({
      reason: 'non-finite-loss',
      epoch: 1,
      batch: 3,
      message: expect.stringMatching(new RegExp(
        /^fit: stopped at epoch 1, batch 3\/4: the model output has (NaN|-?Infinity) at \[5,\d\]\. The weights are those from before this batch\. /.source +
          /Try a smaller learning rate \(now 0\.1\) or look for NaN\/Infinity in the inputs\.$/.source,
      )),
    });
    expect(history.batches).toHaveLength(2);
    expect(history.epochs).toHaveLength(0);
    model.parameters().forEach((p, i) => expect(p.data).toEqual(lastGood[i]));
  });

  it('stops on a non-finite loss from the loss function itself', () => {
    manualSeed(2);
    const model = smallNet();
    const infiniteLoss = (output: Tensor): Tensor => mse(output, Tensor.full(output.shape, 1e30));
    const history = fit(model, { train: new DataLoader(blobs(10, 1), { batchSize: 5 }), optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: infiniteLoss });
    expect(history.stopped!.message).toContain('fit: stopped at epoch 1, batch 1/2: the loss is Infinity.');
  });

  it('steps the schedule after each epoch and records the rate each epoch used', () => {
    manualSeed(1);
    const model = smallNet();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const history = fit(model, { train: new DataLoader(blobs(20, 1), { batchSize: 10 }), optimizer, scheduler: new StepLR(optimizer, { stepSize: 2, gamma: 0.5 }), epochs: 5 });
    expect(history.epochs.map((e) => e.lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('early stopping ends training after `patience` epochs without improvement', () => {
    manualSeed(1);
    const model = smallNet();
    const frozen = new SGD(model.parameters(), { lr: 0 });
    const history = fit(model, { train: new DataLoader(blobs(20, 1), { batchSize: 10 }), optimizer: frozen, epochs: 10, callbacks: [earlyStopping({ monitor: 'train.loss', patience: 2 })] });
    expect(history.epochs).toHaveLength(3);
    expect(history.stopped).toEqual({
      reason: 'callback',
      epoch: 3,
      batch: null,
      message: `early stopping: train.loss has not improved for 2 epochs (best ${history.epochs[0]!.train.loss} at epoch 1)`,
    });
  });

  it('early stopping checks what it monitors', () => {
    expect(() => earlyStopping({ monitor: 'val_loss' })).toThrow("earlyStopping: monitor must look like 'validation.loss' or 'train.accuracy', got 'val_loss'");
    manualSeed(1);
    const model = smallNet();
    expect(() => fit(model, { train: new DataLoader(blobs(20, 1)), optimizer: new SGD(model.parameters(), { lr: 0.1 }), callbacks: [earlyStopping()] }))
      .toThrow('earlyStopping: monitors validation.loss but fit has no validation data');
  });

  it('a callback can stop training after a batch', () => {
    manualSeed(1);
    const model = smallNet();
    const stopAt3: Callback = { onBatchEnd: (p, control) => { if (p.batch === 3) control.stop('enough'); } };
    const history = fit(model, { train: new DataLoader(blobs(100, 1), { batchSize: 10 }), optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 4, callbacks: [stopAt3] });
    expect(history.stopped).toEqual({ reason: 'callback', epoch: 1, batch: 3, message: 'enough' });
    expect(history.batches).toHaveLength(3);
  });

  it('rejects a bad epoch count', () => {
    const model = smallNet();
    expect(() => fit(model, { train: new DataLoader(blobs(4, 1)), optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 0 })).toThrow('fit: epochs must be a positive integer, got 0');
  });
});

describe('evaluate and predict', () => {
  it('evaluate averages loss and accuracy over all samples, without gradients, restoring the mode', () => {
    manualSeed(4);
    const model = smallNet();
    const data = blobs(30, 5);
    const result = evaluate(model, new DataLoader(data, { batchSize: 7 }));
    const whole = evaluate(model, new DataLoader(data, { batchSize: 30 }));
    expect(result.images).toBe(30);
    expect(result.loss).toBeCloseTo(whole.loss, 6);
    expect(result.metrics['accuracy']).toBeCloseTo(whole.metrics['accuracy']!, 12);
    expect(model.training).toBe(true);
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('evaluate scores a diverged model with a NaN loss instead of throwing', () => {
    manualSeed(4);
    const data = blobs(6, 5);
    data.pixels[0] = Infinity;
    const result = evaluate(smallNet(), new DataLoader(data, { batchSize: 3 }));
    expect(result.loss).toBeNaN();
    expect(result.images).toBe(6);
  });

  it('predict returns the output without a graph, in eval mode', () => {
    manualSeed(4);
    const model = smallNet();
    const data = blobs(3, 5);
    const input = new Tensor(Float32Array.from(data.pixels), [3, 1, 2, 2]);
    const out = predict(model, input);
    expect(out.shape).toEqual([3, 3]);
    expect(out.requiresGrad).toBe(false);
    expect(out.data).toEqual(model.call(input).data);
  });
});
