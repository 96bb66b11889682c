import { checkOptions, opt } from '../options.js';
import { fail } from '../errors.js';
import { defaultGenerator, Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { BatchScratch } from './batch-scratch.js';
import type { ImageDataset } from './image-dataset.js';
import { writingForm, type BatchTransform, type OutputArray } from './transforms.js';

/** DataLoader options (PyTorch's, plus the transforms). */
export interface DataLoaderOptions {
  /** Images per batch. Default 64. */
  readonly batchSize?: number;
  /** A new random order every epoch. Default false. */
  readonly shuffle?: boolean;
  /**
   * Seed of the loader's own generator for shuffling. Without it the order comes from the
   * default generator (see `manualSeed`) at the start of each epoch.
   */
  readonly seed?: number;
  /** Drop the last batch when it is smaller than `batchSize`. Default false. */
  readonly dropLast?: boolean;
  /** Applied in order to every batch (e.g. `[normalize(m, s), pad(2)]`). */
  readonly transforms?: readonly BatchTransform[];
}

/** One batch: inputs `[N, C, H, W]`, their labels and their indices in the dataset. */
export interface Batch {
  readonly inputs: Tensor;
  readonly labels: Int32Array;
  readonly indices: Int32Array;
}

/**
 * Serves a dataset in batches, epoch after epoch: iterate it once per epoch. With `shuffle`, each
 * epoch draws a fresh permutation, so the same seed gives the same batches in the same order.
 *
 * Every batch is new: the caller may keep it, and no later batch overwrites it. What the caller
 * never sees is reused within a pass: the images as read and a built-in transform's output (see
 * `normalize`, `pad`, `fitTo`) when the next transform is a built-in too, which reads it and keeps
 * nothing; with `[normalize(…), pad(2)]` only the padded batch is a new array each time. A
 * transform of your own always gets, and may keep, an array of its own.
 * @example
 * const loader = new DataLoader(train, { batchSize: 64, shuffle: true, seed: 1, transforms: [pad(2)] });
 * for (const { inputs, labels } of loader) { ... }
 */
export class DataLoader implements Iterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly transforms: readonly BatchTransform[];
  private readonly generator: Generator | null;

  constructor(readonly dataset: ImageDataset, options: DataLoaderOptions = {}) {
    checkOptions('DataLoader', options, { batchSize: opt.integer, shuffle: opt.boolean, seed: opt.integer, dropLast: opt.boolean, transforms: opt.array });
    this.batchSize = options.batchSize ?? 64;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) fail('DataLoader', `batchSize must be a positive integer, got ${this.batchSize}`);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.transforms = options.transforms ?? [];
    this.generator = options.seed === undefined ? null : new Generator(options.seed, 'DataLoader');
    if (this.length === 0) fail('DataLoader', `${dataset.length} images make no batch of ${this.batchSize}${this.dropLast ? ' with dropLast' : ''}`);
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Images per epoch (fewer than the dataset's with `dropLast`). */
  get imagesPerEpoch(): number {
    return this.dropLast ? this.length * this.batchSize : this.dataset.length;
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const order = Int32Array.from({ length: this.dataset.length }, (_, i) => i);
    if (this.shuffle) (this.generator ?? defaultGenerator()).shuffle(order);
    const [c, h, w] = this.dataset.imageShape;
    const imageSize = c * h * w;
    const forms = this.transforms.map(writingForm);
    const scratch = new BatchScratch();
    const fresh: OutputArray = (length) => new Float32Array(length);
    const reused: OutputArray = (length) => scratch.take(length);
    // Where the input of transform k goes: into scratch when a built-in transform reads it.
    const inputArray = (k: number): OutputArray => (forms[k] === undefined ? fresh : reused);
    for (let b = 0; b < this.length; b++) {
      const indices = order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, order.length));
      const values = inputArray(0)(indices.length * imageSize);
      const labels = new Int32Array(indices.length);
      indices.forEach((index, k) => {
        this.dataset.copyImage(index, values, k * imageSize);
        labels[k] = this.dataset.labels[index]!;
      });
      let inputs = new Tensor(values, [indices.length, c, h, w]);
      this.transforms.forEach((transform, k) => {
        const form = forms[k];
        if (form === undefined) {
          inputs = transform(inputs);
          return;
        }
        const read = inputs.data;
        inputs = form(inputs, inputArray(k + 1));
        scratch.give(read);
      });
      yield { inputs, labels, indices: indices.slice() };
    }
  }
}
