import { checkOptions, ConvlabError, opt, type ConfusionMatrix, type Misclassified } from '@convlab/core';
import type { ConfusionData, ConfusionExample } from '@convlab/display';
import { quantizePlanes } from './quantize.js';

/** Options of {@link confusionPayload}. */
export interface ConfusionPayloadOptions {
  /** Misclassified images kept per off-diagonal cell (most confident first). Default 6, at most 32. */
  readonly examplesPerCell?: number;
}

/**
 * The display payload of a confusion matrix (from `confusionMatrix`) with, when `mistakes` (from
 * `misclassified`, ideally with a large `count`) are given, up to `examplesPerCell` images per
 * off-diagonal cell, most confident first, each quantized to 8 bits.
 * @example display(confusionPayload(confusionMatrix(model, test), misclassified(model, test, { count: 2000 })))
 */
export function confusionPayload(cm: ConfusionMatrix, mistakes: Misclassified | null = null, options: ConfusionPayloadOptions = {}): { kind: 'confusion'; data: ConfusionData } {
  checkOptions('confusionPayload', options, { examplesPerCell: opt.number });
  const perCell = options.examplesPerCell ?? 6;
  if (!Number.isInteger(perCell) || perCell < 0 || perCell > 32) throw new ConvlabError(`confusionPayload: examplesPerCell must be an integer in [0, 32], got ${perCell}`);
  if (mistakes !== null && mistakes.classes.length !== cm.classes.length) {
    throw new ConvlabError(`confusionPayload: the mistakes have ${mistakes.classes.length} classes, the confusion matrix ${cm.classes.length}`);
  }
  const taken = new Map<string, number>();
  const examples: ConfusionExample[] = [];
  for (const m of mistakes?.mistakes ?? []) {
    const key = `${m.trueClass},${m.predictedClass}`;
    const n = taken.get(key) ?? 0;
    if (n >= perCell) continue;
    taken.set(key, n + 1);
    const [c, h, w] = m.image.shape as [number, number, number];
    examples.push({ trueClass: m.trueClass, predictedClass: m.predictedClass, index: m.index, confidence: m.confidence, image: quantizePlanes(m.image.data, [c, h, w]) });
  }
  const scores = (s: ConfusionMatrix['macro']) => ({ precision: s.precision, recall: s.recall, f1: s.f1, support: s.support });
  return {
    kind: 'confusion',
    data: {
      classes: [...cm.classes], matrix: cm.matrix.map((r) => [...r]), total: cm.total, accuracy: cm.accuracy,
      perClass: cm.perClass.map(scores), macro: scores(cm.macro), weighted: scores(cm.weighted), examples, examplesPerCell: perCell,
    },
  };
}
