import { fail } from '../errors.js';
import type { Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';
import { argMax } from './model-access.js';
import { forEachScoredBatch, loaderOf, type EvaluationData } from './predictions.js';
import { checkOptions, opt } from '../options.js';

/** One wrongly classified image. */
export interface Mistake {
  /** Index of the image in the dataset. */
  readonly index: number;
  /** The image as the model saw it (after the loader's transforms), `[C, H, W]`. */
  readonly image: Tensor;
  readonly trueClass: number;
  readonly predictedClass: number;
  /** Softmax of the scores: the model's probability for each class. */
  readonly probabilities: readonly number[];
  /** `probabilities[predictedClass]`. */
  readonly confidence: number;
}

/** The most confident mistakes and how many mistakes matched. */
export interface Misclassified {
  readonly classes: readonly string[];
  /** Most confident first, at most `count`. */
  readonly mistakes: readonly Mistake[];
  /** All mistakes matching the filters (not only those returned). */
  readonly matching: number;
  /** Images evaluated. */
  readonly total: number;
}

/** Options of {@link misclassified}. */
export interface MisclassifiedOptions {
  /** Most mistakes returned. Default 16. */
  readonly count?: number;
  /** Only images of this true class. */
  readonly trueClass?: number;
  /** Only images predicted as this class. */
  readonly predictedClass?: number;
}

/** Softmax of `scores` in float64 (max subtracted first). */
function softmaxOf(scores: Float32Array): number[] {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  const e = Array.from(scores, (s) => Math.exp(s - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/**
 * The images of `data` that `model` classifies wrongly, the most confident mistakes first (ties in
 * dataset order), optionally only those of one true and/or one predicted class.
 * @example misclassified(lenet, testLoader, { count: 8, trueClass: 6, predictedClass: 0 }) // shirts taken for T-shirts
 */
export function misclassified(model: Module, data: EvaluationData, options: MisclassifiedOptions = {}): Misclassified {
  checkOptions('misclassified', options, { count: opt.number, trueClass: opt.number, predictedClass: opt.number });
  const where = 'misclassified';
  const count = options.count ?? 16;
  if (!Number.isInteger(count) || count < 0) fail(where, `count must be a non-negative integer, got ${count}`);
  let kept: Mistake[] = [];
  let matching = 0;
  let total = 0;
  let k = 0;
  const byConfidence = (a: Mistake, b: Mistake): number => b.confidence - a.confidence || a.index - b.index;
  forEachScoredBatch(model, data, where, ({ inputs, labels, indices, scores, classes }) => {
    k = classes;
    for (const [key, value] of [['trueClass', options.trueClass], ['predictedClass', options.predictedClass]] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value < classes)) fail(where, `${key} must be a class index in [0, ${classes - 1}], got ${value}`);
    }
    const imageSize = inputs.size / labels.length;
    labels.forEach((label, i) => {
      total++;
      const row = scores.subarray(i * classes, (i + 1) * classes);
      const predicted = argMax(row);
      if (predicted === label) return;
      if (options.trueClass !== undefined && label !== options.trueClass) return;
      if (options.predictedClass !== undefined && predicted !== options.predictedClass) return;
      matching++;
      const probabilities = softmaxOf(row);
      const image = new Tensor(inputs.data.slice(i * imageSize, (i + 1) * imageSize), inputs.shape.slice(1));
      kept.push({ index: indices[i]!, image, trueClass: label, predictedClass: predicted, probabilities, confidence: probabilities[predicted]! });
    });
    if (kept.length > 2 * count) kept = kept.sort(byConfidence).slice(0, count);
  });
  const names = loaderOf(data).dataset.classes;
  return {
    classes: names.length === k ? [...names] : Array.from({ length: k }, (_, i) => String(i)),
    mistakes: kept.sort(byConfidence).slice(0, count),
    matching,
    total,
  };
}
