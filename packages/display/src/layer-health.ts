import type { Checker, JsonObject } from './checker.js';
import type { FloatValue } from './common.js';

/** One color per layer, by position in `layers` (Tableau 10): the renderer's and the HTML fallback's lines. */
export const LAYER_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

/** Most numbers (histogram counts and line values) a layer-health payload carries. */
export const MAX_HEALTH_VALUES = 400_000;

/** When one record was taken: `epoch`, `batch` (from 1) and `step` (batches from the start, the x axis). */
export interface HealthRecord {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
}

/**
 * One quantity's histograms over the records, on bin edges fixed at the first record:
 * `counts[r][b]` values of record `r` in `[edges[b], edges[b+1])`; `below[r]`/`above[r]` fell
 * outside the edges. A record without this histogram has `counts[r]` null (and 0 below/above).
 */
export interface HealthHistograms {
  readonly edges: readonly number[];
  readonly counts: readonly (readonly number[] | null)[];
  readonly below: readonly number[];
  readonly above: readonly number[];
}

/** One watched layer: a value per record for each line (null where it does not apply), and its histograms. */
export interface LayerHealthLayer {
  readonly layer: string;
  readonly type: string;
  /** ‖W‖₂ of the layer's weight. */
  readonly weightNorm: readonly (FloatValue | null)[];
  /** ‖∂loss/∂W‖₂ on the recorded batch. */
  readonly gradNorm: readonly (FloatValue | null)[];
  /** ‖ΔW‖/‖W‖ of the recorded step. */
  readonly updateRatio: readonly (FloatValue | null)[];
  /** ReLUs: fraction of units 0 for the whole batch. */
  readonly deadFraction: readonly (FloatValue | null)[];
  readonly weights: HealthHistograms | null;
  readonly grads: HealthHistograms | null;
  readonly activations: HealthHistograms | null;
}

/**
 * `application/vnd.convlab.layerhealth.v1+json`: per-layer training health over time (see
 * `layerStats`): histograms of weights, gradients and activations per record, and the weight-norm,
 * gradient-norm, update/weight-ratio and dead-ReLU lines. `progress` is set while a live view trains.
 */
export interface LayerHealthData {
  readonly records: readonly HealthRecord[];
  readonly layers: readonly LayerHealthLayer[];
  readonly progress: { readonly epoch: number; readonly epochs: number; readonly batch: number; readonly batchesPerEpoch: number; readonly done: boolean } | null;
}

/**
 * The counts of `h` on a log scale, `log10(1 + count)`, rows = bins and columns = records (a
 * record without the histogram is 0): a ReLU's spike at 0 holds most values, and a linear scale
 * would leave the rest of the distribution dark. What the renderer and the HTML fallback colour.
 */
export function logCounts(h: HealthHistograms): number[][] {
  const bins = h.edges.length - 1;
  return Array.from({ length: bins }, (_, b) => h.counts.map((row) => (row === null ? 0 : Math.log10(1 + row[b]!))));
}

/** Colour-bar ticks at counts 0, 1, 10, 100, … up to `max`, placed on the log10(1 + count) scale. */
export function countTicks(max: number): { tickvals: number[]; ticktext: string[] } {
  const counts = [0];
  for (let c = 1; c <= Math.max(1, max); c *= 10) counts.push(c);
  return { tickvals: counts.map((c) => Math.log10(1 + c)), ticktext: counts.map((c) => c.toLocaleString('en-US')) };
}

const LINES = ['weightNorm', 'gradNorm', 'updateRatio', 'deadFraction'] as const;
const HISTOGRAMS = ['weights', 'grads', 'activations'] as const;

function checkHistograms(c: Checker, path: string, h: unknown, records: number): number {
  if (!c.object(path, h)) return -1;
  const edges = h['edges'];
  if (!c.array(`${path}.edges`, edges) || !edges.every((e, i) => c.number(`${path}.edges[${i}]`, e))) return -1;
  if (!c.require(
    `${path}.edges`, edges.length >= 2 && (edges as number[]).every((e, i) => i === 0 || e > (edges[i - 1] as number)),
    `expected at least 2 increasing edges, got [${edges.slice(0, 5).join(',')}${edges.length > 5 ? ',…' : ''}]`,
  )) return -1;
  const bins = edges.length - 1;
  const counts = h['counts'];
  if (!c.array(`${path}.counts`, counts) || !c.require(`${path}.counts`, counts.length === records, `expected ${records} rows (one per record), got ${counts.length}`)) return -1;
  for (let r = 0; r < counts.length; r++) {
    if (counts[r] !== null && !c.integers(`${path}.counts[${r}]`, counts[r], bins)) return -1;
  }
  for (const key of ['below', 'above']) if (!c.integers(`${path}.${key}`, h[key], records)) return -1;
  return records * (bins + 3);
}

export function checkLayerHealth(c: Checker, path: string, value: unknown): value is LayerHealthData {
  if (!c.object(path, value)) return false;
  const records = value['records'];
  const recordsOk = c.each(`${path}.records`, records, (p, r) => c.object(p, r) && ['step', 'epoch', 'batch'].map((k) => c.integer(`${p}.${k}`, r[k], 1)).every(Boolean));
  const progress = value['progress'];
  const progressOk = progress === null || (c.object(`${path}.progress`, progress)
    && ['epoch', 'epochs', 'batch', 'batchesPerEpoch'].map((k) => c.integer(`${path}.progress.${k}`, progress[k])).every(Boolean)
    && c.boolean(`${path}.progress.done`, progress['done']));
  const layers = value['layers'];
  if (!recordsOk || !progressOk || !c.array(`${path}.layers`, layers)) return false;
  const n = (records as unknown[]).length;
  let total = 0;
  for (let i = 0; i < layers.length; i++) {
    const p = `${path}.layers[${i}]`;
    const l = layers[i];
    if (!c.object(p, l) || !c.string(`${p}.layer`, l['layer']) || !c.string(`${p}.type`, l['type'])) return false;
    for (const key of LINES) {
      const line = l[key];
      if (!c.array(`${p}.${key}`, line) || !c.require(`${p}.${key}`, line.length === n, `expected ${n} values (one per record), got ${line.length}`)) return false;
      if (!line.every((v, r) => v === null || c.float(`${p}.${key}[${r}]`, v))) return false;
      total += n;
    }
    for (const key of HISTOGRAMS) {
      if ((l as JsonObject)[key] === null) continue;
      const size = checkHistograms(c, `${p}.${key}`, l[key], n);
      if (size < 0) return false;
      total += size;
    }
    if (!c.require(path, total <= MAX_HEALTH_VALUES, `more than the ${MAX_HEALTH_VALUES} values a layer-health display carries (at layer ${i})`)) return false;
  }
  return true;
}

/** `layer health of 9 layers · 12 records, steps 47–564 · training: epoch 2/3, batch 40/188` (live), `… · training done`. */
export function describeLayerHealth(d: LayerHealthData): string {
  const r = d.records;
  const first = r[0], last = r[r.length - 1];
  const span = first === undefined || last === undefined ? 'no records yet' : `${r.length} record${r.length === 1 ? '' : 's'}, steps ${first.step}–${last.step}`;
  const p = d.progress;
  const state = p === null ? '' : p.done ? ' · training done' : ` · training: epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batchesPerEpoch}`;
  return `layer health of ${d.layers.length} layers · ${span}${state}`;
}
