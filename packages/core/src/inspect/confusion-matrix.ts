import { fail } from '../errors.js';
import type { Module } from '../nn/module.js';
import { argMax } from './model-access.js';
import { forEachScoredBatch, loaderOf, type EvaluationData } from './predictions.js';
import { checkOptions, opt } from '../options.js';

/** Precision, recall and F1 of one class (or their macro/weighted average), and its support. */
export interface ClassScores {
  /** Correct predictions of the class ÷ predictions of the class (0 when never predicted). */
  readonly precision: number;
  /** Correct predictions of the class ÷ images of the class (0 when it has none). */
  readonly recall: number;
  /** Harmonic mean `2·p·r / (p + r)` (0 when both are 0). */
  readonly f1: number;
  /** Images whose true class it is (for averages: all images). */
  readonly support: number;
}

/**
 * A classifier's results on a labeled set: `matrix[t][p]` counts images of true class `t`
 * predicted as `p` (rows = true class, columns = prediction, the prediction being the arg-max of
 * the scores).
 */
export interface ConfusionMatrix {
  readonly classes: readonly string[];
  readonly matrix: readonly (readonly number[])[];
  /** Trace ÷ total. */
  readonly accuracy: number;
  readonly total: number;
  readonly perClass: readonly ClassScores[];
  /** Unweighted mean over classes (scikit-learn's 'macro'). */
  readonly macro: ClassScores;
  /** Mean weighted by support (scikit-learn's 'weighted'). */
  readonly weighted: ClassScores;
}

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /** Class names; default the dataset's, else `'0'`, `'1'`, … for each of the model's outputs. */
  readonly classes?: readonly string[];
}

/**
 * Evaluates `model` on every image of `data` (evaluation mode, no gradients, in the loader's
 * batches) and counts true class against predicted class.
 * @example const cm = confusionMatrix(lenet, testLoader); cm.matrix[6][0] // shirts taken for T-shirts
 */
export function confusionMatrix(model: Module, data: EvaluationData, options: ConfusionMatrixOptions = {}): ConfusionMatrix {
  checkOptions('confusionMatrix', options, { classes: opt.strings });
  const where = 'confusionMatrix';
  let matrix: number[][] | null = null;
  forEachScoredBatch(model, data, where, ({ labels, scores, classes }) => {
    matrix ??= Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
    const rows: number[][] = matrix;
    labels.forEach((label, i) => {
      if (label < 0 || label >= classes) fail(where, `label ${label} of image ${i} is outside the model's ${classes} classes`);
      rows[label]![argMax(scores.subarray(i * classes, (i + 1) * classes))]!++;
    });
  });
  const counts = matrix as unknown as number[][];
  const k = counts.length;
  const datasetClasses = loaderOf(data).dataset.classes;
  const classes = options.classes ?? (datasetClasses.length === k ? datasetClasses : Array.from({ length: k }, (_, i) => String(i)));
  if (classes.length !== k) fail(where, `classes names ${classes.length} classes, the model outputs ${k} scores`);
  return { classes: [...classes], matrix: counts, ...scoresOf(counts) };
}

/** Accuracy and per-class, macro and weighted precision/recall/F1 of a confusion matrix. */
function scoresOf(matrix: readonly (readonly number[])[]): Pick<ConfusionMatrix, 'accuracy' | 'total' | 'perClass' | 'macro' | 'weighted'> {
  const k = matrix.length;
  const total = matrix.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  const perClass = matrix.map((row, c): ClassScores => {
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((s, r) => s + r[c]!, 0);
    const precision = ratio(row[c]!, predicted);
    const recall = ratio(row[c]!, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const average = (weight: (s: ClassScores) => number): ClassScores => {
    const w = perClass.reduce((s, c) => s + weight(c), 0);
    const mean = (key: 'precision' | 'recall' | 'f1'): number => ratio(perClass.reduce((s, c) => s + weight(c) * c[key], 0), w);
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: total };
  };
  let correct = 0;
  for (let c = 0; c < k; c++) correct += matrix[c]![c]!;
  return { accuracy: ratio(correct, total), total, perClass, macro: average(() => 1), weighted: average((s) => s.support) };
}
