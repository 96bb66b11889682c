import { fail } from '../errors.js';
import { LeakyReLU, ReLU, Sigmoid, Tanh } from '../nn/activation.js';
import type { HookHandle, Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import type { Tensor } from '../tensor.js';
import type { BatchProgress, Callback, TrainingPlan } from '../train/callbacks.js';
import { checkOptions, opt } from '../options.js';

/** Counts of values in fixed bins: `counts[i]` holds values in `[edges[i], edges[i+1])` (the last bin closed). */
export interface Histogram {
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  /** Values below the first edge and above the last (the edges are fixed at the first record). */
  readonly below: number;
  readonly above: number;
}

/** One layer at one recorded step. Null where the quantity does not apply to the layer. */
export interface LayerSnapshot {
  readonly layer: string;
  readonly type: string;
  /** L2 norm of the layer's `weight`. */
  readonly weightNorm: number | null;
  /** L2 norm of its gradient on the recorded batch. */
  readonly gradNorm: number | null;
  /** ‖W_after − W_before‖ / ‖W_before‖ for the optimizer step of the recorded batch. */
  readonly updateRatio: number | null;
  /** ReLU layers: fraction of output units that are 0 for every image of the batch. */
  readonly deadFraction: number | null;
  readonly weights: Histogram | null;
  readonly grads: Histogram | null;
  /** The layer's outputs on the recorded batch. */
  readonly activations: Histogram | null;
}

/** The snapshots of one recorded training step. `epoch` and `batch` count from 1; `step` counts batches from the start. */
export interface StatsRecord {
  readonly epoch: number;
  readonly batch: number;
  readonly step: number;
  readonly layers: readonly LayerSnapshot[];
}

/** Options of {@link layerStats}. */
export interface LayerStatsOptions {
  /** Record at the last batch of every epoch (`'epoch'`, default) or every N batches. */
  readonly every?: 'epoch' | number;
  /** Histogram bins. Default 30, at most 200. */
  readonly bins?: number;
  /** Most records kept; when exceeded, every other older record is dropped. Default 100. */
  readonly maxRecords?: number;
}

/** A {@link Callback} for `fit` that also holds what it recorded. */
export interface LayerStats extends Callback {
  /** Names of the layers watched (leaf layers with a weight, and activation layers), in model order. */
  readonly layers: readonly string[];
  /** The records so far, oldest first (plain data). */
  readonly records: readonly StatsRecord[];
  /** Called with each new record (a live view redraws here). */
  onRecord?: (record: StatsRecord, stats: LayerStats) => void;
}

const ACTIVATIONS = [ReLU, LeakyReLU, Sigmoid, Tanh];

interface Watched {
  readonly name: string;
  readonly module: Module;
  readonly weight: Parameter | null;
  readonly relu: boolean;
}

function norm(values: Float32Array): number {
  let s = 0;
  for (const v of values) s += v * v;
  return Math.sqrt(s);
}

/** Fixed edges from a first sample: its range widened by a quarter on each side (from 0 when nothing is negative). */
function edgesFor(samples: readonly Float32Array[], bins: number): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of samples) {
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [-1, 1];
  const margin = (hi - lo || Math.abs(hi) || 1) / 4;
  const start = lo >= 0 ? 0 : lo - margin;
  const end = hi + margin;
  return Array.from({ length: bins + 1 }, (_, i) => start + ((end - start) * i) / bins);
}

function histogram(samples: readonly Float32Array[], edges: readonly number[]): Histogram {
  const bins = edges.length - 1;
  const lo = edges[0]!;
  const hi = edges[bins]!;
  const counts = new Array<number>(bins).fill(0);
  let below = 0;
  let above = 0;
  for (const values of samples) {
    for (const v of values) {
      if (v < lo) below++;
      else if (v > hi) above++;
      else if (v <= hi) counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]!++;
    }
  }
  return { edges, counts, below, above };
}

/** Fraction of units (positions after the batch dimension) that are 0 for every image of every call. */
function deadFraction(outputs: readonly Tensor[]): number {
  let dead = 0;
  let units = 0;
  for (const t of outputs) {
    const n = t.shape[0] ?? 1;
    const size = t.size / n;
    const v = t.data;
    for (let u = 0; u < size; u++) {
      let alive = false;
      for (let i = 0; i < n && !alive; i++) alive = v[i * size + u]! !== 0;
      if (!alive) dead++;
    }
    units += size;
  }
  return units === 0 ? 0 : dead / units;
}

/**
 * A `fit` callback that watches the training's health per layer: at the last batch of every
 * epoch (or every N batches) it records, for each leaf layer with a weight, the weight and
 * gradient norms and the update/weight ratio of that step, and for every layer (weighted and
 * activation layers) histograms of weights, gradients and outputs over fixed bins (edges set per
 * layer and quantity at the first record); for ReLUs the fraction of dead units. Only the recorded
 * batch runs with forward hooks (unfused); the model is not changed.
 * @example const stats = layerStats(model); fit(model, { ..., callbacks: [stats] }); stats.records.at(-1)
 */
export function layerStats(model: Module, options: LayerStatsOptions = {}): LayerStats {
  checkOptions('layerStats', options, { every: opt.either(opt.oneOf('epoch'), opt.number), bins: opt.number, maxRecords: opt.number });
  const every = options.every ?? 'epoch';
  if (every !== 'epoch' && !(Number.isInteger(every) && every >= 1)) fail('layerStats', `every must be 'epoch' or a positive integer, got ${String(every)}`);
  const bins = options.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1 || bins > 200) fail('layerStats', `bins must be an integer in [1, 200], got ${bins}`);
  const maxRecords = options.maxRecords ?? 100;
  if (!Number.isInteger(maxRecords) || maxRecords < 2) fail('layerStats', `maxRecords must be an integer ≥ 2, got ${maxRecords}`);
  const watched: Watched[] = model.namedModules()
    .filter(([name, m]) => name !== '' && m.namedChildren().length === 0)
    .map(([name, module]) => ({ name, module, weight: module.ownParameters().find(([n]) => n === 'weight')?.[1] ?? null, relu: module instanceof ReLU }))
    .filter((w) => w.weight !== null || ACTIVATIONS.some((A) => w.module instanceof A));
  const records: StatsRecord[] = [];
  const edges = new Map<string, number[]>();
  let plan: TrainingPlan = { epochs: 1, batchesPerEpoch: 1, imagesPerEpoch: 0 };
  let step = 0;
  let armed: { before: Map<string, Float32Array>; outputs: Map<string, Tensor[]>; handles: HookHandle[] } | null = null;

  const isRecorded = (batch: number, globalStep: number): boolean => (every === 'epoch' ? batch === plan.batchesPerEpoch : globalStep % every === 0);
  const arm = (): void => {
    const outputs = new Map(watched.map((w) => [w.name, [] as Tensor[]]));
    armed = {
      before: new Map(watched.filter((w) => w.weight !== null).map((w) => [w.name, w.weight!.data.slice()])),
      outputs,
      handles: watched.map((w) => w.module.registerForwardHook((_m, _input, output) => outputs.get(w.name)!.push(output))),
    };
  };
  const hist = (key: string, samples: readonly Float32Array[]): Histogram => {
    if (!edges.has(key)) edges.set(key, edgesFor(samples, bins));
    return histogram(samples, edges.get(key)!);
  };
  const record = (progress: BatchProgress): void => {
    const { before, outputs, handles } = armed!;
    for (const h of handles) h.remove();
    armed = null;
    const layers = watched.map((w): LayerSnapshot => {
      const outs = outputs.get(w.name)!;
      const weight = w.weight;
      const grad = weight?.grad ?? null;
      const previous = before.get(w.name);
      let updateRatio: number | null = null;
      if (weight !== null && previous !== undefined) {
        const delta = Float32Array.from(weight.data, (v, i) => v - previous[i]!);
        const base = norm(previous);
        updateRatio = base === 0 ? null : norm(delta) / base;
      }
      return {
        layer: w.name, type: w.module.typeName,
        weightNorm: weight === null ? null : norm(weight.data),
        gradNorm: grad === null ? null : norm(grad.data),
        updateRatio,
        deadFraction: w.relu && outs.length > 0 ? deadFraction(outs) : null,
        weights: weight === null ? null : hist(`${w.name}/weights`, [weight.data]),
        grads: grad === null ? null : hist(`${w.name}/grads`, [grad.data]),
        activations: outs.length === 0 ? null : hist(`${w.name}/activations`, outs.map((t) => t.data)),
      };
    });
    const entry = { epoch: progress.epoch, batch: progress.batch, step, layers };
    records.push(entry);
    if (records.length > maxRecords) {
      const kept = records.filter((_, i) => i % 2 === 1 || i === records.length - 1);
      records.splice(0, records.length, ...kept);
    }
    stats.onRecord?.(entry, stats);
  };

  const stats: LayerStats = {
    layers: watched.map((w) => w.name),
    records,
    onTrainBegin(p) {
      plan = p;
      step = 0;
      if (isRecorded(1, 1)) arm();
    },
    onBatchEnd(progress) {
      step++;
      if (armed !== null) record(progress);
      const nextBatch = progress.batch === progress.batchesPerEpoch ? 1 : progress.batch + 1;
      const more = step < progress.epochs * progress.batchesPerEpoch;
      if (more && isRecorded(nextBatch, step + 1)) arm();
    },
    onTrainEnd() {
      if (armed === null) return;
      for (const h of armed.handles) h.remove();
      armed = null;
    },
  };
  return stats;
}
