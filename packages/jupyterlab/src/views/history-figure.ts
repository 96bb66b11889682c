import { finiteOrNull, type HistoryData } from '@convlab/display';
import type { Layout, ScatterTrace } from '../plot/plotly.js';
import { themedAxis, themedLayout, type PlotTheme } from '../plot/theme.js';

/** What the x axis counts: batches (the `step` of each point) or epochs (fractional within an epoch). */
export type XAxis = 'batch' | 'epoch';

export interface HistoryOptions {
  readonly logScale: boolean;
  readonly x: XAxis;
}

/** Batches per epoch, from the progress or the first finished epoch; null when not known yet. */
export function batchesPerEpoch(data: HistoryData): number | null {
  if (data.progress !== null && data.progress.batchesPerEpoch > 0) return data.progress.batchesPerEpoch;
  return data.epochs[0]?.step ?? null;
}

/**
 * Loss (top) and, when measured, accuracy (bottom) against batches or epochs: training per point
 * (a line), and per epoch training and validation (markers). The layout's `uirevision` stays the
 * same across live updates so zoom and pan survive them; switching the scale or the x axis resets
 * only the affected axis.
 */
export function historyFigure(data: HistoryData, options: HistoryOptions, theme: PlotTheme): { traces: ScatterTrace[]; layout: Layout } {
  const perEpoch = options.x === 'epoch' ? batchesPerEpoch(data) : null;
  const batchX = (step: number): number => (perEpoch === null ? step : step / perEpoch);
  const epochX = (epoch: number, step: number): number => (perEpoch === null ? step : epoch);
  const epochs = data.epochs.map((e) => String(e.epoch));
  const xs = data.batches.map((b) => batchX(b.step));
  const ex = data.epochs.map((e) => epochX(e.epoch, e.step));
  const averaged = data.batchesPerPoint > 1 ? ` (mean of ${data.batchesPerPoint} batches)` : '';
  const xLabel = perEpoch === null ? 'batch %{x}' : 'epoch %{x:.2f}';
  const hasAccuracy = data.batches.some((b) => b.accuracy !== null) || data.epochs.some((e) => e.trainAccuracy !== null || e.validationAccuracy !== null);

  const line = (name: string, x: number[], y: (number | null)[], color: string, yaxis: string): ScatterTrace => ({
    type: 'scatter', mode: 'lines', name, x, y, yaxis, line: { color, width: 1.5 }, opacity: 0.7,
    hovertemplate: `${xLabel}<br>${name}: %{y:.4g}<extra></extra>`,
  });
  const dots = (name: string, y: (number | null)[], color: string, yaxis: string): ScatterTrace => ({
    type: 'scatter', mode: 'lines+markers', name, x: ex, y, yaxis,
    line: { color, width: 2, dash: 'dot' }, marker: { color, size: 7 }, text: epochs,
    hovertemplate: `epoch %{text}<br>${name}: %{y:.4g}<extra></extra>`,
  });
  const traces: ScatterTrace[] = [
    line(`training loss${averaged}`, xs, data.batches.map((b) => finiteOrNull(b.loss)), theme.train, 'y'),
    dots('training loss per epoch', data.epochs.map((e) => finiteOrNull(e.trainLoss)), theme.train, 'y'),
  ];
  if (data.epochs.some((e) => e.validationLoss !== null)) traces.push(dots('validation loss', data.epochs.map((e) => finiteOrNull(e.validationLoss)), theme.validation, 'y'));
  if (hasAccuracy) {
    if (data.batches.some((b) => b.accuracy !== null)) traces.push(line(`training accuracy${averaged}`, xs, data.batches.map((b) => finiteOrNull(b.accuracy)), theme.train, 'y2'));
    if (data.epochs.some((e) => e.trainAccuracy !== null)) traces.push(dots('training accuracy per epoch', data.epochs.map((e) => finiteOrNull(e.trainAccuracy)), theme.train, 'y2'));
    if (data.epochs.some((e) => e.validationAccuracy !== null)) traces.push(dots('validation accuracy', data.epochs.map((e) => finiteOrNull(e.validationAccuracy)), theme.validation, 'y2'));
  }

  const axis = themedAxis(theme);
  return {
    traces,
    layout: {
      ...themedLayout(theme),
      uirevision: 'history',
      height: hasAccuracy ? 420 : 300,
      margin: { l: 56, r: 12, t: 36, b: 40 },
      showlegend: true,
      legend: { orientation: 'h', traceorder: 'normal', x: 0, y: 1.02, yanchor: 'bottom', font: { size: 10 } },
      hovermode: 'closest',
      xaxis: { ...axis, anchor: hasAccuracy ? 'y2' : 'y', title: { text: perEpoch === null ? 'batch' : 'epoch' }, uirevision: options.x },
      yaxis: { ...axis, domain: hasAccuracy ? [0.42, 1] : [0, 1], title: { text: 'loss' }, type: options.logScale ? 'log' : 'linear', uirevision: options.logScale ? 'log' : 'linear' },
      ...(hasAccuracy ? { yaxis2: { ...axis, domain: [0, 0.32], title: { text: 'accuracy' }, range: [0, 1], tickformat: '.0%' } } : {}),
    },
  };
}
