import type { Histogram, LayerSnapshot, StatsRecord } from '@convlab/core';
import { toFloatValue, type HealthHistograms, type LayerHealthData, type LayerHealthLayer } from '@convlab/display';

/** What the payload reads of a `layerStats` callback: the watched layers and the records so far. */
export interface LayerStatsView {
  readonly layers: readonly string[];
  readonly records: readonly StatsRecord[];
}

type Quantity = 'weights' | 'grads' | 'activations';

function histograms(snapshots: readonly (LayerSnapshot | undefined)[], key: Quantity): HealthHistograms | null {
  const all = snapshots.map((s) => s?.[key] ?? null);
  const first = all.find((h): h is Histogram => h !== null);
  if (first === undefined) return null;
  return {
    edges: [...first.edges],
    counts: all.map((h) => (h === null ? null : [...h.counts])),
    below: all.map((h) => h?.below ?? 0),
    above: all.map((h) => h?.above ?? 0),
  };
}

/**
 * The layer-health payload of a `layerStats` callback's records: per watched layer, the
 * weight-norm, gradient-norm, update/weight-ratio and dead-ReLU lines (a value per record) and the
 * histograms of weights, gradients and activations per record on the layer's fixed bin edges.
 * `progress` marks a live view (null for one shown after training).
 * @example const stats = layerStats(lenet, { every: 47 }); await fitAsync(lenet, { ..., callbacks: [stats] }); display(layerHealthPayload(stats))
 */
export function layerHealthPayload(stats: LayerStatsView, progress: LayerHealthData['progress'] = null): { kind: 'layerhealth'; data: LayerHealthData } {
  const records = stats.records;
  const layers = stats.layers.map((name): LayerHealthLayer => {
    const snapshots = records.map((r) => r.layers.find((l) => l.layer === name));
    const line = (key: 'weightNorm' | 'gradNorm' | 'updateRatio' | 'deadFraction') => snapshots.map((s) => {
      const v = s?.[key] ?? null;
      return v === null ? null : toFloatValue(v);
    });
    return {
      layer: name, type: snapshots.find((s) => s !== undefined)?.type ?? '',
      weightNorm: line('weightNorm'), gradNorm: line('gradNorm'), updateRatio: line('updateRatio'), deadFraction: line('deadFraction'),
      weights: histograms(snapshots, 'weights'), grads: histograms(snapshots, 'grads'), activations: histograms(snapshots, 'activations'),
    };
  });
  return { kind: 'layerhealth', data: { records: records.map((r) => ({ step: r.step, epoch: r.epoch, batch: r.batch })), layers, progress } };
}
