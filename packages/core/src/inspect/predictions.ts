import { DataLoader } from '../data/data-loader.js';
import { ImageDataset } from '../data/image-dataset.js';
import { fail, formatShape } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import { inference } from '../train/eval-mode.js';

/** What the evaluation helpers accept: a loader (with its transforms) or a bare dataset (batches of 256). */
export type EvaluationData = DataLoader | ImageDataset;

/** One evaluated batch: the inputs as the model saw them, labels, dataset indices, class scores `[N, K]`. */
export interface ScoredBatch {
  readonly inputs: Tensor;
  readonly labels: Int32Array;
  readonly indices: Int32Array;
  readonly scores: Float32Array;
  readonly classes: number;
}

/** The loader for `data`: itself, or a plain one over a dataset. */
export function loaderOf(data: EvaluationData): DataLoader {
  return data instanceof ImageDataset ? new DataLoader(data, { batchSize: 256 }) : data;
}

/** Runs `model` over every batch of `data` in evaluation mode without gradients, calling `visit` per batch. */
export function forEachScoredBatch(model: Module, data: EvaluationData, where: string, visit: (batch: ScoredBatch) => void): void {
  inference(model, () => {
    for (const { inputs, labels, indices } of loaderOf(data)) {
      const output = model.call(inputs);
      if (output.rank !== 2 || output.shape[0] !== labels.length) {
        fail(where, `expected the model to output class scores [${labels.length}, K], got ${formatShape(output.shape)}`);
      }
      visit({ inputs, labels, indices, scores: output.data, classes: output.shape[1]! });
    }
  });
}
