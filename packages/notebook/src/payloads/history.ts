import type { History, PassResult } from '@convlab/core';
import { toFloatValue, type BatchPoint, type EpochPoint, type FloatValue, type HistoryData, type TrainingProgress } from '@convlab/display';

/**
 * Most batch points in a history payload. Longer runs average consecutive batches into one point
 * (`batchesPerPoint = ceil(batches / 500)`), so a 10-epoch Fashion-MNIST run (9,380 batches of 64)
 * keeps 469 points of 19 batches.
 */
export const MAX_HISTORY_POINTS = 500;

const accuracyOf = (metrics: Readonly<Record<string, number>>): FloatValue | null =>
  metrics['accuracy'] === undefined ? null : toFloatValue(metrics['accuracy']);

/**
 * Builds the `history` payload from `fit`'s {@link History} and, for a live view, the current
 * progress (null for a history shown after training without timing).
 */
export function historyPayload(history: History, progress: TrainingProgress | null, maxPoints = MAX_HISTORY_POINTS): HistoryData {
  const batches = history.batches;
  const batchesPerPoint = Math.max(1, Math.ceil(batches.length / maxPoints));
  const points: BatchPoint[] = [];
  for (let start = 0; start < batches.length; start += batchesPerPoint) {
    const group = batches.slice(start, start + batchesPerPoint);
    const last = group[group.length - 1]!;
    const accuracy = group.every((b) => b.metrics['accuracy'] !== undefined)
      ? toFloatValue(mean(group.map((b) => b.metrics['accuracy']!))) : null;
    points.push({ step: start + group.length, epoch: last.epoch, loss: toFloatValue(mean(group.map((b) => b.loss))), accuracy });
  }
  const lastStep = new Map<number, number>();
  batches.forEach((b, i) => lastStep.set(b.epoch, i + 1));
  const epochs = history.epochs.map((e): EpochPoint => ({
    epoch: e.epoch,
    step: lastStep.get(e.epoch) ?? 1,
    trainLoss: toFloatValue(e.train.loss),
    trainAccuracy: accuracyOf(e.train.metrics),
    validationLoss: e.validation === null ? null : toFloatValue(e.validation.loss),
    validationAccuracy: e.validation === null ? null : accuracyOf((e.validation as PassResult).metrics),
  }));
  return { batches: points, batchesPerPoint, epochs, progress };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
