/** Loss and metrics of one pass over a data set (mean over its samples). */
export interface PassResult {
  readonly loss: number;
  /** Each metric's mean over the samples, by metric name (`accuracy`, …). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly images: number;
  readonly seconds: number;
}

/** One training batch. `epoch` and `batch` count from 1. */
export interface BatchRecord {
  readonly epoch: number;
  readonly batch: number;
  readonly size: number;
  readonly loss: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** Forward, backward and update time of this batch. */
  readonly seconds: number;
}

/** One finished epoch: training figures (averaged over its batches) and validation figures. */
export interface EpochRecord {
  readonly epoch: number;
  /** Learning rate used during the epoch. */
  readonly lr: number;
  readonly train: PassResult;
  readonly validation: PassResult | null;
  /** Whole epoch, validation included. */
  readonly seconds: number;
  /** Training images per second of training time. */
  readonly imagesPerSecond: number;
}

/** Why training ended before its last epoch. */
export interface StopRecord {
  /** A NaN or ±Infinity in the output, loss or gradients, or a callback's `control.stop`. */
  readonly reason: 'non-finite-loss' | 'callback';
  readonly epoch: number;
  /** The batch during which it stopped, or null when it stopped at an epoch's end. */
  readonly batch: number | null;
  readonly message: string;
}

/**
 * Everything `fit` measured, as plain data (JSON-serializable): per-batch and per-epoch records
 * and, when training ended early, why. Epochs cut short by a stop have their batches in `batches`
 * but no entry in `epochs`.
 */
export interface History {
  readonly batches: BatchRecord[];
  readonly epochs: EpochRecord[];
  stopped: StopRecord | null;
  seconds: number;
}
