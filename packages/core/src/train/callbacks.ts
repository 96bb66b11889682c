import { checkOptions, opt } from '../options.js';
import { fail } from '../errors.js';
import type { EpochRecord, History } from './history.js';

/** What a training run will do, given to {@link Callback.onTrainBegin}. */
export interface TrainingPlan {
  readonly epochs: number;
  readonly batchesPerEpoch: number;
  readonly imagesPerEpoch: number;
}

/** Progress after each batch, for progress bars and live views. `epoch` and `batch` count from 1. */
export interface BatchProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  /** This batch's loss and metrics. */
  readonly loss: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** Training throughput in this epoch so far. */
  readonly imagesPerSecond: number;
  readonly elapsedSeconds: number;
  /** Estimated time to the end of training, at the average pace so far. */
  readonly etaSeconds: number;
}

/** Handed to every callback: the history so far and a way to end training. */
export interface TrainingControl {
  readonly history: History;
  /** Ends training after the current batch (or at the end of the current epoch from `onEpochEnd`). */
  stop(message: string): void;
}

/** Hooks into `fit`. Every method is optional. */
export interface Callback {
  onTrainBegin?(plan: TrainingPlan, control: TrainingControl): void;
  onBatchEnd?(progress: BatchProgress, control: TrainingControl): void;
  onEpochEnd?(record: EpochRecord, control: TrainingControl): void;
  onTrainEnd?(history: History): void;
  /**
   * Training threw (a layer rejected its input, a callback failed, …): `error` is what `fit`
   * rethrows after the callbacks ran, `history` holds every batch and epoch completed before it.
   */
  onTrainError?(error: unknown, history: History): void;
}

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** `'validation.loss'` (default), `'train.loss'`, or `'<train|validation>.<metric name>'`. */
  readonly monitor?: string;
  /** Epochs without improvement before stopping. Default 3. */
  readonly patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  readonly minDelta?: number;
  /** Whether lower or higher is better. Default 'min' for losses, 'max' for metrics. */
  readonly mode?: 'min' | 'max';
}

/**
 * Stops training when the monitored quantity has not improved by more than `minDelta` for
 * `patience` epochs in a row.
 * @example fit(model, { ..., callbacks: [earlyStopping({ monitor: 'validation.accuracy', patience: 2 })] })
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback {
  checkOptions('earlyStopping', options, { monitor: opt.string, patience: opt.integer, minDelta: opt.number, mode: opt.oneOf('min', 'max') });
  const monitor = options.monitor ?? 'validation.loss';
  const match = /^(train|validation)\.(.+)$/.exec(monitor);
  if (match === null) fail('earlyStopping', `monitor must look like 'validation.loss' or 'train.accuracy', got '${monitor}'`);
  const [, split, quantity] = match as unknown as [string, 'train' | 'validation', string];
  const patience = options.patience ?? 3;
  if (!Number.isInteger(patience) || patience < 1) fail('earlyStopping', `patience must be a positive integer, got ${patience}`);
  const minDelta = options.minDelta ?? 0;
  const sign = (options.mode ?? (quantity === 'loss' ? 'min' : 'max')) === 'min' ? 1 : -1;
  let best = Infinity;
  let bestEpoch = 0;
  return {
    onEpochEnd(record, control) {
      const pass = record[split];
      if (pass === null) fail('earlyStopping', `monitors ${monitor} but fit has no validation data`);
      const value = quantity === 'loss' ? pass.loss : pass.metrics[quantity];
      if (value === undefined) fail('earlyStopping', `monitors ${monitor} but the metrics are ${Object.keys(pass.metrics).join(', ') || 'none'}`);
      if (sign * value < best - minDelta) {
        best = sign * value;
        bestEpoch = record.epoch;
      } else if (record.epoch - bestEpoch >= patience) {
        control.stop(`early stopping: ${monitor} has not improved for ${patience} epochs (best ${sign * best} at epoch ${bestEpoch})`);
      }
    },
  };
}
