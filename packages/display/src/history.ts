import type { Checker } from './checker.js';
import type { FloatValue } from './common.js';

/**
 * `application/vnd.convlab.history.v1+json`: training curves and, while training runs, its progress.
 * The same payload serves a finished history (`progress.done` true or `progress` null) and a live
 * view updated in place during `fit`.
 */
export interface HistoryData {
  /**
   * Training loss and accuracy per plotted point. When training has many batches, consecutive
   * batches are averaged into one point (`batchesPerPoint` of them), so the payload stays small.
   */
  readonly batches: readonly BatchPoint[];
  /** How many batches each entry of {@link batches} averages (1 = one point per batch). */
  readonly batchesPerPoint: number;
  readonly epochs: readonly EpochPoint[];
  /** Progress of the run, or null for a history shown after the fact without timing. */
  readonly progress: TrainingProgress | null;
}

export interface BatchPoint {
  /** 1-based index of the last batch averaged into this point, counted across epochs (the x axis). */
  readonly step: number;
  /** Epoch of that batch, from 1. */
  readonly epoch: number;
  readonly loss: FloatValue;
  /** Fraction correct in [0, 1], or null when accuracy is not measured. */
  readonly accuracy: FloatValue | null;
}

export interface EpochPoint {
  /** From 1. */
  readonly epoch: number;
  /** The `step` of the epoch's last batch, to place epoch points on the batch axis. */
  readonly step: number;
  readonly trainLoss: FloatValue;
  readonly trainAccuracy: FloatValue | null;
  /** Null when there is no validation data. */
  readonly validationLoss: FloatValue | null;
  readonly validationAccuracy: FloatValue | null;
}

export interface TrainingProgress {
  /** Current epoch and batch (from 1), or 0 before the first batch. */
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly imagesPerSecond: number;
  readonly elapsedSeconds: number;
  /** Estimated seconds to the end (0 when done). */
  readonly etaSeconds: number;
  /** True once training has ended (normally or stopped). */
  readonly done: boolean;
  /** Why training stopped early, or null. */
  readonly stopped: string | null;
  /**
   * The error's message when training threw (then `done` is true, and `epoch`/`batch` are the last
   * batch that completed, 0 before the first one); absent or null otherwise.
   */
  readonly failed?: string | null;
}

/** Where a failed run got to: `last good point: epoch 1/2, batch 37/188` or `before the first batch completed`. */
export function lastGoodPoint(p: TrainingProgress): string {
  return p.epoch === 0 ? 'before the first batch completed' : `last good point: epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batchesPerEpoch}`;
}

export function checkHistory(c: Checker, path: string, value: unknown): value is HistoryData {
  if (!c.object(path, value)) return false;
  const ok = [
    c.integer(`${path}.batchesPerPoint`, value['batchesPerPoint'], 1),
    c.each(`${path}.batches`, value['batches'], (p, b) => c.object(p, b) && [
      c.integer(`${p}.step`, b['step'], 1),
      c.integer(`${p}.epoch`, b['epoch'], 1),
      c.float(`${p}.loss`, b['loss']),
      b['accuracy'] === null || c.float(`${p}.accuracy`, b['accuracy']),
    ].every(Boolean)),
    c.each(`${path}.epochs`, value['epochs'], (p, e) => c.object(p, e) && [
      c.integer(`${p}.epoch`, e['epoch'], 1),
      c.integer(`${p}.step`, e['step'], 1),
      c.float(`${p}.trainLoss`, e['trainLoss']),
      ...(['trainAccuracy', 'validationLoss', 'validationAccuracy'] as const).map((k) => e[k] === null || c.float(`${p}.${k}`, e[k])),
    ].every(Boolean)),
  ];
  const progress = value['progress'];
  if (progress !== null) ok.push(c.object(`${path}.progress`, progress) && checkProgress(c, `${path}.progress`, progress));
  return ok.every(Boolean);
}

function checkProgress(c: Checker, path: string, p: { readonly [key: string]: unknown }): boolean {
  const ok = [
    ...(['epoch', 'epochs', 'batch', 'batchesPerEpoch'] as const).map((k) => c.integer(`${path}.${k}`, p[k])),
    ...(['imagesPerSecond', 'elapsedSeconds', 'etaSeconds'] as const).map(
      (k) => c.number(`${path}.${k}`, p[k]) && c.require(`${path}.${k}`, (p[k] as number) >= 0, `expected ≥ 0, got ${String(p[k])}`),
    ),
    c.boolean(`${path}.done`, p['done']),
    p['stopped'] === null || c.string(`${path}.stopped`, p['stopped']),
    p['failed'] === undefined || p['failed'] === null || c.string(`${path}.failed`, p['failed']),
  ];
  if (ok.every(Boolean)) {
    ok.push(c.require(`${path}.epoch`, (p['epoch'] as number) <= (p['epochs'] as number), `epoch ${String(p['epoch'])} is past ${String(p['epochs'])} epochs`));
    ok.push(c.require(`${path}.batch`, (p['batch'] as number) <= (p['batchesPerEpoch'] as number), `batch ${String(p['batch'])} is past ${String(p['batchesPerEpoch'])} batches per epoch`));
  }
  return ok.every(Boolean);
}
