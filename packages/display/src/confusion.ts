import type { Checker } from './checker.js';
import { checkPlanes, type QuantizedPlanes } from './common.js';

/** Most classes a confusion display accepts. */
export const MAX_CONFUSION_CLASSES = 100;

/** Precision, recall, F1 (each in [0, 1]) and support of one class, or their average. */
export interface ClassScoresData {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** One misclassified image of a cell: its dataset index, the model's confidence and the image (1 or 3 channels). */
export interface ConfusionExample {
  readonly trueClass: number;
  readonly predictedClass: number;
  readonly index: number;
  /** The predicted class's probability, in [0, 1]. */
  readonly confidence: number;
  readonly image: QuantizedPlanes;
}

/**
 * `application/vnd.convlab.confusion.v1+json`: a classifier's confusion matrix (`matrix[t][p]`
 * counts images of true class `t` predicted as `p`), its per-class scores and, for the
 * off-diagonal cells, a few of their most confident mistakes.
 */
export interface ConfusionData {
  readonly classes: readonly string[];
  readonly matrix: readonly (readonly number[])[];
  readonly total: number;
  readonly accuracy: number;
  readonly perClass: readonly ClassScoresData[];
  readonly macro: ClassScoresData;
  readonly weighted: ClassScoresData;
  /** Most confident first within each cell; at most `examplesPerCell` per cell. */
  readonly examples: readonly ConfusionExample[];
  readonly examplesPerCell: number;
}

function checkScores(c: Checker, path: string, value: unknown): boolean {
  if (!c.object(path, value)) return false;
  const ok = ['precision', 'recall', 'f1'].map(
    (key) => c.number(`${path}.${key}`, value[key]) && c.require(`${path}.${key}`, (value[key] as number) >= 0 && (value[key] as number) <= 1, `expected a value in [0, 1], got ${String(value[key])}`)
  );
  ok.push(c.integer(`${path}.support`, value['support']));
  return ok.every(Boolean);
}

export function checkConfusion(c: Checker, path: string, value: unknown): value is ConfusionData {
  if (!c.object(path, value)) return false;
  const classes = value['classes'];
  const classesOk = c.array(`${path}.classes`, classes)
    && c.require(`${path}.classes`, classes.length >= 1 && classes.length <= MAX_CONFUSION_CLASSES, `expected 1 to ${MAX_CONFUSION_CLASSES} classes, got ${classes.length}`)
    && classes.every((name, i) => c.string(`${path}.classes[${i}]`, name));
  const k = classesOk ? (classes as unknown[]).length : -1;
  const ok = [classesOk, c.integer(`${path}.total`, value['total']), c.number(`${path}.accuracy`, value['accuracy']), c.integer(`${path}.examplesPerCell`, value['examplesPerCell'])];
  const matrix = value['matrix'];
  if (c.array(`${path}.matrix`, matrix) && k > 0) {
    ok.push(c.require(`${path}.matrix`, matrix.length === k, `expected ${k} rows (one per class), got ${matrix.length}`));
    matrix.slice(0, k).forEach((row, i) => ok.push(c.integers(`${path}.matrix[${i}]`, row, k)));
  } else ok.push(false);
  const perClass = value['perClass'];
  if (c.array(`${path}.perClass`, perClass) && k > 0) {
    ok.push(c.require(`${path}.perClass`, perClass.length === k, `expected ${k} entries (one per class), got ${perClass.length}`));
    ok.push(perClass.slice(0, k).map((s, i) => checkScores(c, `${path}.perClass[${i}]`, s)).every(Boolean));
  } else ok.push(false);
  ok.push(checkScores(c, `${path}.macro`, value['macro']), checkScores(c, `${path}.weighted`, value['weighted']));
  ok.push(c.each(`${path}.examples`, value['examples'], (p, e) => {
    if (!c.object(p, e)) return false;
    const inClass = (key: string): boolean => c.integer(`${p}.${key}`, e[key]) && c.require(`${p}.${key}`, k < 0 || (e[key] as number) < k, `expected a class index below ${k}, got ${String(e[key])}`);
    const image = e['image'];
    const imageOk = checkPlanes(c, `${p}.image`, image) && c.require(`${p}.image.shape[0]`, [1, 3].includes((image as QuantizedPlanes).shape[0]), `expected 1 or 3 channels, got ` +
      `${(image as QuantizedPlanes).shape[0]}`);
    return [inClass('trueClass'), inClass('predictedClass'), c.integer(`${p}.index`, e['index']), c.number(`${p}.confidence`, e['confidence']), imageOk].every(Boolean);
  }));
  return ok.every(Boolean);
}
