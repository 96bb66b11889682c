import {
  countTicks, describeLayerHealth, finiteOrNull, formatFloatPlain, LAYER_COLORS, logCounts, viridis, viridisGradient, type FloatValue, type HealthHistograms, type LayerHealthData,
} from '@convlab/display';
import { escapeHtml, htmlTable } from './html.js';
import { pngImg, rasterPng } from './png.js';
import { lineChart, type ChartSeries } from './svg-chart.js';
import { textTable } from './text-table.js';

const HEADERS = ['Layer', 'Type', '‖W‖', '‖∇W‖', 'update/weight', 'dead ReLUs'];

const last = (line: readonly (FloatValue | null)[]): FloatValue | null => line[line.length - 1] ?? null;
const percent = (v: FloatValue | null): string => {
  const x = finiteOrNull(v);
  return x === null ? (v === null ? '' : formatFloatPlain(v)) : `${(100 * x).toFixed(1)}%`;
};

function rows(d: LayerHealthData): string[][] {
  return d.layers.map((l) => [
    l.layer, l.type, formatFloatPlain(last(l.weightNorm), 4), formatFloatPlain(last(l.gradNorm), 4), formatFloatPlain(last(l.updateRatio), 3), percent(last(l.deadFraction))
  ].map((c) => (c === '—' ? '' : c)));
}

/** The heading, then each layer's latest figures. */
export function layerHealthText(d: LayerHealthData): string {
  if (d.records.length === 0) return describeLayerHealth(d);
  return `${describeLayerHealth(d)}\n${textTable(HEADERS, ['left', 'left', 'right', 'right', 'right', 'right'], rows(d))}`;
}

type Quantity = 'weights' | 'grads' | 'activations';
const QUANTITIES: readonly { readonly key: Quantity; readonly name: string }[] = [
  { key: 'weights', name: 'weights' }, { key: 'grads', name: 'gradients' }, { key: 'activations', name: 'activations' },
];
/** Size a histogram strip is drawn at, in CSS pixels (its PNG has one pixel per record and bin). */
const STRIP_WIDTH = 360;
const STRIP_HEIGHT = 56;

/**
 * One layer's histograms over time as viridis pixels: a column per record (left to right), a row
 * per bin (largest values at the top), the colour `log10(1 + count)` on the scale of `maxCount`.
 */
function stripPng(h: HealthHistograms, maxCount: number): string {
  const z = logCounts(h);
  const bins = z.length, records = h.counts.length;
  const top = Math.log10(1 + Math.max(1, maxCount));
  const pixels = new Uint8Array(3 * bins * records);
  for (let row = 0; row < bins; row++) {
    const line = z[bins - 1 - row]!;
    for (let r = 0; r < records; r++) pixels.set(viridis(line[r]! / top), 3 * (row * records + r));
  }
  return rasterPng({ width: records, height: bins, channels: 3, pixels });
}

/**
 * The histograms of one quantity, as the renderer draws them: a strip per layer (x: training step,
 * y: value from the lowest bin edge to the highest, colour: values in the bin on a log scale),
 * one colour scale for all, or '' when no layer has them.
 */
function histogramStrips(d: LayerHealthData, quantity: Quantity, name: string): string {
  const e = escapeHtml;
  const layers = d.layers.filter((l) => l[quantity] !== null);
  if (layers.length === 0) return '';
  const maxCount = Math.max(0, ...layers.flatMap((l) => l[quantity]!.counts.flatMap((row) => row ?? [])));
  const steps = d.records.map((r) => r.step);
  const edge = (v: number): string => e(formatFloatPlain(v, 3));
  const rowsHtml = layers.map((l) => {
    const h = l[quantity]!;
    return `<tr><td style="width:90px;max-width:90px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;text-align:right;padding-right:6px">${e(l.layer)}</td>` +
      `<td style="width:52px;font-size:11px;padding-right:4px"><div style="height:${STRIP_HEIGHT}px;display:flex;flex-direction:column;justify-content:space-between;align-items:flex-end">` +
      `<span>${edge(h.edges[h.edges.length - 1]!)}</span><span>${edge(h.edges[0]!)}</span></div></td>` +
      `<td>${pngImg(stripPng(h, maxCount), STRIP_WIDTH, STRIP_HEIGHT, 1, `${l.layer}: histograms of ${name} over training`)}</td></tr>`;
  });
  const ticks = countTicks(maxCount);
  const top = Math.log10(1 + Math.max(1, maxCount));
  const scale = ticks.ticktext.map((t, i) => `<span style="position:absolute;left:${((100 * ticks.tickvals[i]!) / top).toFixed(1)}%;transform:translateX(-50%)">${e(t)}</span>`).join('');
  return `<div style="margin-top:10px"><div style="font-weight:bold">histograms of ${e(name)} over training</div>` +
    `<table style="border-collapse:collapse">${rowsHtml.join('')}` +
    `<tr><td></td><td></td><td style="font-size:11px;display:flex;justify-content:space-between">` +
    `<span>step ${steps[0]}</span><span>training step (batches)</span><span>step ${steps[steps.length - 1]}</span></td></tr>` +
    `<tr><td></td><td></td><td><div style="width:${STRIP_WIDTH}px;height:10px;background:${viridisGradient('to right')}"></div>` +
    `<div style="position:relative;width:${STRIP_WIDTH}px;height:14px;font-size:11px">${scale}</div>` +
    `<div style="font-size:11px;text-align:center">values in the bin (log scale)</div></td></tr></table></div>`;
}

/** The latest figures as a table, the weight-norm and log₁₀ update/weight lines per layer (inline SVG), and the histogram strips (PNG). */
export function layerHealthHtml(d: LayerHealthData): string {
  const e = escapeHtml;
  const parts = [`<div>${e(describeLayerHealth(d))}</div>`];
  if (d.records.length > 0) {
    const steps = d.records.map((r) => r.step);
    const lines = (pick: (l: LayerHealthData['layers'][number]) => readonly (FloatValue | null)[], f: (x: number) => number): ChartSeries[] => d.layers
      .filter((l) => pick(l).some((v) => v !== null))
      .map((l, i) => (
        { name: l.layer, color: LAYER_COLORS[i % LAYER_COLORS.length]!, dots: true, points: pick(l).flatMap((v, r) => (finiteOrNull(v) === null ? [] : [[steps[r]!, f(finiteOrNull(v)!)] as const])) }
      ));
    const norm = lineChart({ title: 'weight norm', xLabel: 'step (batches)', width: 560, series: lines((l) => l.weightNorm, (x) => x) });
    const ratio = lineChart({ title: 'log10 update/weight', xLabel: 'step (batches)', width: 560, series: lines((l) => l.updateRatio, (x) => Math.log10(x)) });
    parts.push(`<div style="display:flex;gap:12px;flex-wrap:wrap"><div>${norm}<div style="text-align:center;font-size:12px">‖W‖ per layer</div></div>` +
      `<div>${ratio}<div style="text-align:center;font-size:12px">log₁₀ ‖ΔW‖/‖W‖ per layer</div></div></div>`);
    parts.push(htmlTable(HEADERS.map((header, i) => ({ header, align: i < 2 ? 'left' as const : 'right' as const })), rows(d).map((r) => r.map(e))));
    for (const { key, name } of QUANTITIES) parts.push(histogramStrips(d, key, name));
  }
  return `<div class="convlab-layerhealth" style="font-family:sans-serif;font-size:13px">${parts.join('')}</div>`;
}
