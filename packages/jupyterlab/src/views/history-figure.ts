import { finiteOrNull, type FloatValue, type HistoryData } from '@convlab/display';
import type { Layout, ScatterTrace } from '../plot/plotly.js';
import { themedAxis, themedLayout, type PlotTheme } from '../plot/theme.js';

export interface HistoryOptions {
  readonly logScale: boolean;
  /** TensorBoard's smoothing weight in [0, 1): 0 plots the raw batch curves only. */
  readonly smoothing: number;
}

/** TensorBoard's default smoothing weight. */
export const DEFAULT_SMOOTHING = 0.6;

/** One colour per series (Tableau 10), readable on light and dark backgrounds. */
export const SERIES_COLOURS = {
  trainingLoss: '#1f77b4',
  trainingLossPerEpoch: '#17becf',
  validationLoss: '#ff7f0e',
  trainingAccuracy: '#2ca02c',
  trainingAccuracyPerEpoch: '#9467bd',
  validationAccuracy: '#d62728',
} as const;

/** Batches per epoch, from the progress or the first finished epoch; null when not known yet. */
export function batchesPerEpoch(data: HistoryData): number | null {
  if (data.progress !== null && data.progress.batchesPerEpoch > 0) return data.progress.batchesPerEpoch;
  return data.epochs[0]?.step ?? null;
}

/**
 * TensorBoard's smoothing: an exponential moving average with weight `w`, debiased so the first
 * points are not pulled towards 0 (`ema_i / (1 − w^(i+1))`, counting finite points only); gaps stay gaps.
 */
export function smooth(values: readonly (number | null)[], w: number): (number | null)[] {
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null) return null;
    last = last * w + (1 - w) * v;
    n++;
    return w === 0 ? v : last / (1 - w ** n);
  });
}

/** Whole epochs between x-axis ticks: 1 up to 10 epochs, then 2, 5, 10, 20, … so at most ~10 ticks. */
export function epochTick(epochs: number): number {
  for (let k = 0; ; k++) {
    for (const m of [1, 2, 5]) {
      const step = m * 10 ** k;
      if (epochs / step <= 10) return step;
    }
  }
}

/**
 * Tick positions for a log axis from `min` to `max`: 1, 2 and 5 times the powers of ten, labelled
 * in full (`0.2`, `0.5`, `1`), never plotly's bare minor digits.
 */
export function logTicks(min: number, max: number): { tickvals: number[]; ticktext: string[] } {
  const tickvals: number[] = [];
  for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** k).toPrecision(1));
      if (v >= min / 1.05 && v <= max * 1.05) tickvals.push(v);
    }
  }
  if (tickvals.length < 2) tickvals.splice(0, tickvals.length, Number(min.toPrecision(2)), Number(max.toPrecision(2)));
  return { tickvals, ticktext: tickvals.map((v) => String(v)) };
}

/**
 * Loss (top) and, when measured, accuracy (bottom) against epochs: epoch `e` spans `e − 1 … e`, a
 * batch sits at its fraction of the epoch (batch 235 of 938 in epoch 2 at 1.25), and a live run's
 * axis covers all its epochs from the start, ticked at whole epochs. Only a history that does not
 * know its epoch length yet (no progress, no finished epoch) is drawn against batches. Per batch:
 * the smoothed curve with the raw one faint behind; per epoch: each value as a level over its
 * epoch's span (training mean, validation). Six series, six colours, the same legend names live and
 * final. The layout's `uirevision` stays the same across live updates so zoom and pan survive
 * them; switching the scale resets only the loss axis.
 */
export function historyFigure(data: HistoryData, options: HistoryOptions, theme: PlotTheme): { traces: ScatterTrace[]; layout: Layout } {
  const perEpoch = batchesPerEpoch(data);
  const xs = data.batches.map((b) => (perEpoch === null ? b.step : b.step / perEpoch));
  const where = data.batches.map((b) => (perEpoch === null ? `batch ${b.step}` : `epoch ${b.epoch}, batch ${b.step - (b.epoch - 1) * perEpoch}/${perEpoch}`));
  const averaged = data.batchesPerPoint > 1 ? ` (mean of ${data.batchesPerPoint} batches)` : '';
  const hasAccuracy = data.batches.some((b) => b.accuracy !== null) || data.epochs.some((e) => e.trainAccuracy !== null || e.validationAccuracy !== null);
  // Epoch e spans from the previous epoch's last batch (0 for the first) to its own.
  const spans = data.epochs.map((e, i): [number, number] =>
    perEpoch === null ? [i === 0 ? 0 : data.epochs[i - 1]!.step, e.step] : [e.epoch - 1, e.epoch]);
  const epochs = data.progress?.epochs ?? Math.max(0, ...data.epochs.map((e) => e.epoch), ...data.batches.map((b) => b.epoch));

  const batchSeries = (name: string, y: (number | null)[], color: string, yaxis: string): ScatterTrace[] => {
    const raw: ScatterTrace = {
      type: 'scatter', mode: 'lines', name, x: xs, y, yaxis, text: where, line: { color, width: 1 }, opacity: options.smoothing > 0 ? 0.25 : 0.9,
      legendgroup: name, showlegend: options.smoothing === 0, hovertemplate: `%{text}<br>${name}${averaged}: %{y:.4g}<extra></extra>`,
    };
    if (options.smoothing === 0) return [raw];
    const smoothed: ScatterTrace = {
      type: 'scatter', mode: 'lines', name, x: xs, y: smooth(y, options.smoothing), yaxis, text: where, line: { color, width: 2 },
      legendgroup: name, hovertemplate: `%{text}<br>${name}, smoothed ${options.smoothing}: %{y:.4g}<extra></extra>`,
    };
    return [raw, smoothed];
  };
  const epochSeries = (name: string, values: (FloatValue | null)[], color: string, yaxis: string): ScatterTrace => {
    const x: number[] = [];
    const y: (number | null)[] = [];
    const text: string[] = [];
    values.forEach((v, i) => {
      const [a, b] = spans[i]!;
      const value = finiteOrNull(v);
      const epoch = String(data.epochs[i]!.epoch);
      x.push(a, b, b);
      y.push(value, value, null);
      text.push(epoch, epoch, epoch);
    });
    return {
      type: 'scatter', mode: 'lines+markers', name, x, y, yaxis, text, line: { color, width: 2.5 }, marker: { color, size: 5 },
      hovertemplate: `epoch %{text}<br>${name}: %{y:.4g}<extra></extra>`,
    };
  };
  const c = SERIES_COLOURS;
  const traces: ScatterTrace[] = [
    ...batchSeries('training loss (per batch)', data.batches.map((b) => finiteOrNull(b.loss)), c.trainingLoss, 'y'),
    epochSeries('training loss (epoch mean)', data.epochs.map((e) => e.trainLoss), c.trainingLossPerEpoch, 'y'),
  ];
  if (data.epochs.some((e) => e.validationLoss !== null)) traces.push(epochSeries('validation loss', data.epochs.map((e) => e.validationLoss), c.validationLoss, 'y'));
  if (hasAccuracy) {
    if (data.batches.some((b) => b.accuracy !== null)) traces.push(...batchSeries('training accuracy (per batch)', data.batches.map((b) => finiteOrNull(b.accuracy)), c.trainingAccuracy, 'y2'));
    if (data.epochs.some((e) => e.trainAccuracy !== null)) traces.push(epochSeries('training accuracy (epoch mean)', data.epochs.map((e) => e.trainAccuracy), c.trainingAccuracyPerEpoch, 'y2'));
    if (data.epochs.some((e) => e.validationAccuracy !== null)) traces.push(epochSeries('validation accuracy', data.epochs.map((e) => e.validationAccuracy), c.validationAccuracy, 'y2'));
  }

  const losses = traces.filter((t) => t.yaxis === 'y').flatMap((t) => t.y).filter((v): v is number => v !== null && v > 0);
  const ticks = options.logScale && losses.length > 0 ? logTicks(Math.min(...losses), Math.max(...losses)) : {};
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
      xaxis: {
        ...axis, anchor: hasAccuracy ? 'y2' : 'y',
        ...(perEpoch === null ? { title: { text: 'batch' } } : { title: { text: 'epoch' }, range: [0, Math.max(1, epochs)], tick0: 0, dtick: epochTick(epochs) }),
      },
      yaxis: { ...axis, domain: hasAccuracy ? [0.42, 1] : [0, 1], title: { text: 'loss' }, type: options.logScale ? 'log' : 'linear', uirevision: options.logScale ? 'log' : 'linear', ...ticks },
      ...(hasAccuracy ? { yaxis2: { ...axis, domain: [0, 0.32], title: { text: 'accuracy' }, range: [0, 1], tickformat: '.0%' } } : {}),
    },
  };
}
