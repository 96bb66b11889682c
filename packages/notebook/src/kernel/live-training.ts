import { checkOptions, ConvlabError, opt, type BatchProgress, type Callback, type History } from '@convlab/core';
import { historyPayload } from '../payloads/history.js';
import type { TrainingProgress } from '@convlab/display';
import { DisplayHandle } from './display.js';

/** Options of {@link liveTraining}. */
export interface LiveTrainingOptions {
  /** Most updates per second while training runs (default 4). Epoch ends and the end of training always update. */
  readonly updatesPerSecond?: number;
}

const now = (): number => performance.now() / 1000;

/**
 * A `fit` callback that shows ONE live view of training — progress bar (epoch, batch, images/s,
 * ETA) and loss/accuracy curves — and updates it in place (`update_display_data` with a display
 * id), at most `updatesPerSecond` times a second, never one output per batch. When training ends
 * the final state stays in the notebook with its HTML and text fallbacks. When training throws, the
 * view shows the failure (the error's message and the last batch that completed) and `fit` rethrows.
 * Use it with `fitAsync` so that updates go out while training runs.
 * @example const history = await fitAsync(model, { train, optimizer, epochs: 2, callbacks: [liveTraining()] });
 */
export function liveTraining(options: LiveTrainingOptions = {}): Callback {
  checkOptions('liveTraining', options, { updatesPerSecond: opt.number });
  const rate = options.updatesPerSecond ?? 4;
  if (!(Number.isFinite(rate) && rate > 0)) throw new ConvlabError(`liveTraining: updatesPerSecond must be a positive number, got ${rate}`);
  const handle = new DisplayHandle();
  let history: History | null = null;
  let progress: TrainingProgress | null = null;
  let last = -Infinity;
  /** `final` states (epoch ends, the end) are printed outside a kernel; the others only update a notebook. */
  const send = (p: TrainingProgress, final: boolean): void => {
    progress = p;
    last = now();
    const payload = { kind: 'history', data: historyPayload(history!, p) } as const;
    if (final) handle.show(payload);
    else handle.refresh(payload);
  };
  return {
    onTrainBegin(plan, control) {
      history = control.history;
      send({ epoch: 0, epochs: plan.epochs, batch: 0, batchesPerEpoch: plan.batchesPerEpoch, imagesPerSecond: 0, elapsedSeconds: 0, etaSeconds: 0, done: false, stopped: null }, false);
    },
    onBatchEnd(p: BatchProgress) {
      const current = fromBatch(p);
      if (now() - last >= 1 / rate) send(current, false);
      else progress = current;
    },
    onEpochEnd() {
      send(progress!, true);
    },
    onTrainError(error, h) {
      history = h;
      const message = error instanceof Error ? error.message : String(error);
      send({ ...progress!, etaSeconds: 0, elapsedSeconds: h.seconds, done: true, failed: message }, true);
    },
    onTrainEnd(h) {
      history = h;
      send({ ...progress!, etaSeconds: 0, elapsedSeconds: h.seconds, done: true, stopped: h.stopped === null ? null : h.stopped.message }, true);
    },
  };
}

function fromBatch(p: BatchProgress): TrainingProgress {
  return {
    epoch: p.epoch, epochs: p.epochs, batch: p.batch, batchesPerEpoch: p.batchesPerEpoch,
    imagesPerSecond: p.imagesPerSecond, elapsedSeconds: p.elapsedSeconds, etaSeconds: p.etaSeconds, done: false, stopped: null,
  };
}
