import { layerStats, type LayerStats, type LayerStatsOptions, type Module, type TrainingPlan } from '@convlab/core';
import { layerHealthPayload } from '../payloads/layer-health.js';
import { DisplayHandle } from './display.js';

/**
 * `layerStats` with a live view: a `fit` callback that records the training's per-layer health
 * (see `layerStats`) and shows it as ONE display updated in place at every record — histograms of
 * weights, gradients and activations over time and the weight-norm, update/weight-ratio and
 * dead-ReLU lines. The final state stays in the notebook with its HTML and text fallbacks; the
 * returned object holds the records like `layerStats`'s. Use it with `fitAsync`.
 * @example const health = liveLayerHealth(lenet, { every: 47 }); await fitAsync(lenet, { ..., callbacks: [liveTraining(), health] });
 */
export function liveLayerHealth(model: Module, options: LayerStatsOptions = {}): LayerStats {
  const stats = layerStats(model, options);
  const handle = new DisplayHandle();
  let plan: TrainingPlan = { epochs: 0, batchesPerEpoch: 0, imagesPerEpoch: 0 };
  let at = { epoch: 0, batch: 0 };
  const send = (done: boolean): void => {
    const payload = layerHealthPayload(stats, { ...at, epochs: plan.epochs, batchesPerEpoch: plan.batchesPerEpoch, done });
    if (done) handle.show(payload);
    else handle.refresh(payload);
  };
  const live: LayerStats = {
    layers: stats.layers,
    records: stats.records,
    onTrainBegin(p, control) {
      plan = p;
      at = { epoch: 0, batch: 0 };
      stats.onTrainBegin?.(p, control);
      send(false);
    },
    onBatchEnd(p, control) {
      at = { epoch: p.epoch, batch: p.batch };
      stats.onBatchEnd?.(p, control);
    },
    onTrainEnd(history) {
      stats.onTrainEnd?.(history);
      send(true);
    },
    onTrainError(_error, history) {
      stats.onTrainEnd?.(history);
      send(true);
    },
  };
  stats.onRecord = (record) => {
    send(false);
    live.onRecord?.(record, live);
  };
  return live;
}
