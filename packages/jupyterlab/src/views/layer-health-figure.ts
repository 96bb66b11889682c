import { countTicks, finiteOrNull, LAYER_COLORS, logCounts, type FloatValue, type LayerHealthData } from '@convlab/display';
import type { HeatmapTrace, Layout, ScatterTrace } from '../plot/plotly.js';
import { themedAxis, themedLayout, type PlotTheme } from '../plot/theme.js';

export type Quantity = 'weights' | 'grads' | 'activations';

export const QUANTITY_NAMES: { readonly [Q in Quantity]: string } = { weights: 'weights', grads: 'gradients', activations: 'activations' };

/** Height of one layer's histogram strip, in pixels. */
const STRIP = 130;

const formatEdge = (v: number): string => String(Number(v.toPrecision(3)));

/** A layer name inside a plotly hover template: its markup shown as text, its `%{…}` not read as a field. */
const escapeHover = (text: string): string => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!).replace(/%/g, '%%');

/**
 * The histograms of one quantity over time, TensorBoard's "offset" view turned into a heat map:
 * one strip per layer (x: training step, y: the value's bins, color: how many of the layer's
 * values fall in the bin at that record, on a log scale), stacked top to bottom in model order.
 */
export function histogramFigure(d: LayerHealthData, quantity: Quantity, theme: PlotTheme): { traces: HeatmapTrace[]; layout: Layout } | null {
  const layers = d.layers.filter((l) => l[quantity] !== null);
  if (layers.length === 0 || d.records.length === 0) return null;
  const steps = d.records.map((r) => r.step);
  const n = layers.length;
  const gap = 0.35 / n;
  const maxCount = Math.max(0, ...layers.flatMap((l) => l[quantity]!.counts.flatMap((row) => row ?? [])));
  const traces: HeatmapTrace[] = [];
  const layout: Record<string, unknown> = {
    ...themedLayout(theme), height: n * STRIP + 60, margin: { l: 70, r: 80, t: 10, b: 40 }, uirevision: `histograms-${quantity}`,
    coloraxis: {
      colorscale: 'Viridis', cmin: 0, cmax: Math.log10(1 + Math.max(1, maxCount)),
      colorbar: { title: { text: 'values in the bin (log scale)', side: 'right' }, ...countTicks(maxCount), len: Math.min(1, 400 / (n * STRIP + 60)), y: 1, yanchor: 'top' },
    },
    annotations: [],
  };
  layers.forEach((l, i) => {
    const h = l[quantity]!;
    const axis = i === 0 ? '' : String(i + 1);
    const centres = h.edges.slice(0, -1).map((e, b) => (e + h.edges[b + 1]!) / 2);
    // Counts for the hover as customdata, not 10⁵ preformatted strings (a 200-bin × 100-record strip per layer).
    const counts = centres.map((_, b) => h.counts.map((row) => (row === null ? null : row[b]!)));
    traces.push({
      type: 'heatmap', name: l.layer, x: steps, y: centres, z: logCounts(h), customdata: counts, coloraxis: 'coloraxis', xaxis: `x${axis}`, yaxis: `y${axis}`,
      hovertemplate: `${escapeHover(l.layer)} · step %{x}<br>bin at %{y:.3~g} (width ${formatEdge(h.edges[1]! - h.edges[0]!)}): %{customdata:,} values<extra></extra>`,
    });
    const top = 1 - i / n, bottom = 1 - (i + 1) / n + gap;
    layout[`yaxis${axis}`] = { ...themedAxis(theme), domain: [bottom, top], anchor: `x${axis}`, title: { text: l.layer, font: { size: 11 } }, nticks: 4, fixedrange: true };
    layout[`xaxis${axis}`] = {
      ...themedAxis(theme), anchor: `y${axis}`, matches: i === 0 ? undefined : 'x', showticklabels: i === n - 1, title: i === n - 1 ? { text: 'training step (batches)' } : undefined
    };
  });
  return { traces, layout };
}

const LINES = [
  { key: 'weightNorm', title: '‖W‖ weight norm', log: false },
  { key: 'updateRatio', title: '‖ΔW‖/‖W‖ update/weight (log)', log: true },
  { key: 'gradNorm', title: '‖∇W‖ gradient norm (log)', log: true },
  { key: 'deadFraction', title: 'dead ReLU units', log: false },
] as const;

/** The four lines per layer in a 2×2 grid: weight norm, update/weight ratio, gradient norm, dead-ReLU fraction. */
export function linesFigure(d: LayerHealthData, theme: PlotTheme): { traces: ScatterTrace[]; layout: Layout } | null {
  if (d.records.length === 0) return null;
  const steps = d.records.map((r) => r.step);
  const traces: ScatterTrace[] = [];
  const layout: Record<string, unknown> = {
    ...themedLayout(theme), height: 460, margin: { l: 60, r: 20, t: 30, b: 40 }, uirevision: 'lines',
    legend: { orientation: 'h', y: -0.12 }, annotations: [],
  };
  const shown = new Set<string>();
  LINES.forEach((line, i) => {
    const axis = i === 0 ? '' : String(i + 1);
    const col = i % 2, row = Math.floor(i / 2);
    const x0 = col * 0.55, y1 = 1 - row * 0.56;
    layout[`xaxis${axis}`] = { ...themedAxis(theme), domain: [x0, x0 + 0.45], anchor: `y${axis}`, title: row === 1 ? { text: 'training step (batches)' } : undefined };
    layout[`yaxis${axis}`] = {
      ...themedAxis(theme), domain: [y1 - 0.4, y1], anchor: `x${axis}`, type: line.log ? 'log' : 'linear', exponentformat: 'power',
      ...(line.key === 'deadFraction' ? { tickformat: '.0%', rangemode: 'tozero' } : {}),
    };
    (layout['annotations'] as unknown[]).push({
      text: line.title, x: x0 + 0.225, y: y1 + 0.02, xref: 'paper', yref: 'paper', xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 12, color: theme.font },
    });
    d.layers.forEach((l, k) => {
      const values = (l[line.key] as readonly (FloatValue | null)[]).map((v) => {
        const x = finiteOrNull(v);
        return x === null || (line.log && x <= 0) ? null : x;
      });
      if (values.every((v) => v === null)) return;
      const color = LAYER_COLORS[k % LAYER_COLORS.length]!;
      traces.push({
        type: 'scatter', mode: 'lines+markers', name: l.layer, legendgroup: l.layer, showlegend: !shown.has(l.layer), x: steps, y: values,
        xaxis: `x${axis}`, yaxis: `y${axis}`, line: { color, width: 1.5 }, marker: { color, size: 4 },
        hovertemplate: `${escapeHover(l.layer)} · step %{x}: %{y:${line.key === 'deadFraction' ? '.1%' : '.3~g'}}<extra></extra>`,
      });
      shown.add(l.layer);
    });
  });
  return { traces, layout };
}
