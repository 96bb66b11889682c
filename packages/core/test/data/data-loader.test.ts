import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchScratch } from '../../src/data/batch-scratch.js';
import { DataLoader, fitTo, ImageDataset, manualSeed, normalize, pad, Tensor } from '../../src/index.js';

/** n images of 1×2×2 whose pixels are all equal to the image's index; label = index mod 3. */
function indexed(n: number): ImageDataset {
  const pixels = Float32Array.from({ length: n * 4 }, (_, j) => Math.floor(j / 4));
  return new ImageDataset(pixels, Int32Array.from({ length: n }, (_, i) => i % 3), [1, 2, 2]);
}

const epochOrder = (loader: DataLoader): number[][] => [...loader].map((b) => Array.from(b.indices));

describe('ImageDataset', () => {
  it('checks the pixel count against labels and image shape', () => {
    expect(() => new ImageDataset(new Float32Array(7), new Int32Array(2), [1, 2, 2])).toThrow('ImageDataset: 2 labels need 2×1×2×2 = 8 pixel values, got 7');
    expect(() => new ImageDataset(new Float32Array(0), new Int32Array(0), [1, 0, 2])).toThrow('ImageDataset: imageShape must be [C, H, W] with positive integers, got [1,0,2]');
  });

  it('slices without copying and checks the bounds', () => {
    const ds = indexed(10);
    const part = ds.slice(4, 7);
    expect(part.length).toBe(3);
    expect(Array.from(part.labels)).toEqual([1, 2, 0]);
    expect(part.pixels.buffer).toBe(ds.pixels.buffer);
    expect(() => ds.slice(5, 11)).toThrow('ImageDataset.slice: expected 0 ≤ start ≤ end ≤ 10, got start 5, end 11');
  });
});

describe('DataLoader', () => {
  it('serves batches in order with a smaller last batch, or drops it', () => {
    const loader = new DataLoader(indexed(7), { batchSize: 3 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map((b) => b.inputs.shape)).toEqual([[3, 1, 2, 2], [3, 1, 2, 2], [1, 1, 2, 2]]);
    expect(Array.from(batches[1]!.inputs.data)).toEqual([3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5]);
    expect(Array.from(batches[1]!.labels)).toEqual([0, 1, 2]);
    const dropping = new DataLoader(indexed(7), { batchSize: 3, dropLast: true });
    expect([dropping.length, dropping.imagesPerEpoch, [...dropping].length]).toEqual([2, 6, 2]);
    expect(() => new DataLoader(indexed(2), { batchSize: 3, dropLast: true })).toThrow('DataLoader: 2 images make no batch of 3 with dropLast');
  });

  it('shuffles each epoch differently, the same way for the same seed', () => {
    const a = new DataLoader(indexed(10), { batchSize: 4, shuffle: true, seed: 5 });
    const b = new DataLoader(indexed(10), { batchSize: 4, shuffle: true, seed: 5 });
    const a1 = epochOrder(a);
    const a2 = epochOrder(a);
    expect(a1).toEqual(epochOrder(b));
    expect(a2).toEqual(epochOrder(b));
    expect(a1).not.toEqual(a2);
    expect(a1.flat().sort((x, y) => x - y)).toEqual([...Array(10).keys()]);
    expect(epochOrder(new DataLoader(indexed(10), { batchSize: 4, shuffle: true, seed: 6 }))).not.toEqual(a1);
  });

  it('uses the default generator (manualSeed) when no seed is given', () => {
    manualSeed(11);
    const first = epochOrder(new DataLoader(indexed(10), { batchSize: 5, shuffle: true }));
    manualSeed(11);
    expect(epochOrder(new DataLoader(indexed(10), { batchSize: 5, shuffle: true }))).toEqual(first);
  });

  it('labels follow their images through the shuffle', () => {
    for (const batch of new DataLoader(indexed(9), { batchSize: 4, shuffle: true, seed: 1 })) {
      batch.indices.forEach((index, k) => {
        expect(batch.labels[k]).toBe(index % 3);
        expect(batch.inputs.data[k * 4]).toBe(index);
      });
    }
  });

  it('applies the transforms in order', () => {
    const [batch] = new DataLoader(indexed(2), { batchSize: 2, transforms: [normalize(0.5, 2), pad(1)] });
    expect(batch!.inputs.shape).toEqual([2, 1, 4, 4]);
    const v = -0.25;
    expect(batch!.inputs.toArray()).toEqual([
      [[[0, 0, 0, 0], [0, v, v, 0], [0, v, v, 0], [0, 0, 0, 0]]],
      [[[0, 0, 0, 0], [0, 0.25, 0.25, 0], [0, 0.25, 0.25, 0], [0, 0, 0, 0]]],
    ]);
  });
});

describe('transforms', () => {
  it('normalize works per channel', () => {
    const x = Tensor.from([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 2, 2]);
    expect(Array.from(normalize([1, 10], [1, 10])(x).data)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(() => normalize([1, 2, 3], [1, 1, 1])(x)).toThrow('normalize: has 3 channel statistics, the batch [1,2,2,2] has 2 channels');
    expect(() => normalize(0, 0)).toThrow('normalize: std must be positive, got 0 for channel 0');
  });

  it('pad surrounds each plane with zeros', () => {
    const x = Tensor.from([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
    expect(pad(1)(x).toArray()).toEqual([[[[0, 0, 0, 0, 0], [0, 1, 2, 3, 0], [0, 4, 5, 6, 0], [0, 0, 0, 0, 0]]]]);
    expect(() => pad(-1)).toThrow('pad: amount must be a non-negative integer, got -1');
  });
});

describe('DataLoader reuses only what the caller never sees', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Image i of indexed(n) after pad(1) and normalize(1, 1), then cropped back, padded and shifted by −1: border 0, inside i − 1. */
  const expected = (i: number): number[] => [0, 0, 0, 0, 0, i - 1, i - 1, 0, 0, i - 1, i - 1, 0, 0, 0, 0, 0];
  // The second pad's output takes an array that held normalize's −1 border a moment before.
  const transforms = [pad(1), normalize(1, 1), fitTo([1, 2, 2]), pad(1), normalize(0, 1)];

  it('keeps every yielded batch intact over two epochs and zero-fills reused arrays', () => {
    const taken: Float32Array[] = [];
    const take = BatchScratch.prototype.take;
    vi.spyOn(BatchScratch.prototype, 'take').mockImplementation(function (this: BatchScratch, length: number) {
      const array = take.call(this, length);
      taken.push(array);
      return array;
    });
    const loader = new DataLoader(indexed(10), { batchSize: 4, shuffle: true, seed: 3, transforms });
    const batches = [...loader, ...loader];
    batches.forEach((b) => {
      expect(b.inputs.shape).toEqual([b.indices.length, 1, 4, 4]);
      expect(Array.from(b.inputs.data)).toEqual(Array.from(b.indices).flatMap(expected));
    });
    // 6 batches × 5 scratch arrays (as read, pad, normalize, crop, pad), made 3 per batch size
    // per pass (4, 4, 2): the yielded batches (the last normalize's) never come from scratch.
    expect(taken.length).toBe(30);
    expect(new Set(taken).size).toBe(12);
    expect(batches.some((b) => taken.includes(b.inputs.data))).toBe(false);
  });

  it('gives a transform of your own arrays it may keep', () => {
    const seen: Tensor[] = [];
    const keep = (x: Tensor): Tensor => {
      seen.push(x);
      return pad(0)(x);
    };
    const loader = new DataLoader(indexed(6), { batchSize: 2, transforms: [normalize(0, 1), keep, pad(1), normalize(0, 1)] });
    const batches = [...loader];
    expect(seen.map((x) => Array.from(x.data))).toEqual([[0, 0, 0, 0, 1, 1, 1, 1], [2, 2, 2, 2, 3, 3, 3, 3], [4, 4, 4, 4, 5, 5, 5, 5]]);
    expect(batches.map((b) => b.inputs.data[5])).toEqual([0, 2, 4]);
  });
});

describe('BatchScratch', () => {
  it('reuses arrays given back, zero-filled, by length, and ignores arrays it did not make', () => {
    const scratch = new BatchScratch();
    const a = scratch.take(3);
    a.fill(7);
    scratch.give(a);
    scratch.give(a);
    scratch.give(new Float32Array(3));
    const again = scratch.take(3);
    expect(again).toBe(a);
    expect(Array.from(again)).toEqual([0, 0, 0]);
    expect(scratch.take(3)).not.toBe(a);
    expect(scratch.take(2).length).toBe(2);
    expect(scratch.created).toBe(3);
  });
});
