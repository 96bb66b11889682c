import { describe, expect, it } from 'vitest';
import { DataLoader, fitAsync, SGD } from '../../src/index.js';
import { blobs, smallNet } from './synthetic.js';

describe('fitAsync with an AbortSignal, like fetch', () => {
  it('rejects with the signal\'s reason after the batch in progress; the weights are those of the last step', async () => {
    const model = smallNet();
    const train = new DataLoader(blobs(64, 1), { batchSize: 8 });
    const controller = new AbortController();
    let batches = 0;
    const run = fitAsync(model, {
      train, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 3, signal: controller.signal,
      callbacks: [{ onBatchEnd: () => { batches++; if (batches === 3) controller.abort(); } }],
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(batches).toBe(3);
  });

  it('does not start when the signal is already aborted', async () => {
    const model = smallNet();
    const before = model.parameters().map((p) => p.data.slice());
    const reason = new Error('cancelled by the user');
    await expect(
      fitAsync(model, { train: new DataLoader(blobs(16, 1), { batchSize: 8 }), optimizer: new SGD(model.parameters(), { lr: 0.1 }), signal: AbortSignal.abort(reason) })
    ).rejects.toBe(reason);
    expect(model.parameters().map((p) => p.data)).toEqual(before);
  });
});
