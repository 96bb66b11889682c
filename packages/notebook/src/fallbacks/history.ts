import { formatDuration } from '@convlab/core';
import { formatFloatPlain, fromFloatValue, lastGoodPoint, type FloatValue, type HistoryData, type TrainingProgress } from '@convlab/display';
import { escapeHtml, htmlTable } from './html.js';
import { lineChart, type ChartSeries } from './svg-chart.js';
import { textTable } from './text-table.js';

/** The renderer's colours: one per series (Tableau 10). */
const TRAIN = '#1f77b4', EPOCH = '#17becf', VALIDATION = '#ff7f0e';
const TRAIN_ACCURACY = '#2ca02c', EPOCH_ACCURACY = '#9467bd', VALIDATION_ACCURACY = '#d62728';
const BAR_WIDTH = 30;

/** `epoch 2/10 · batch 412/860 · 231 img/s · 1m12s elapsed · ETA 41m12s` (or `done …`). */
export function describeProgress(p: TrainingProgress): string {
  const where = `epoch ${p.epoch}/${p.epochs} · batch ${p.batch}/${p.batchesPerEpoch}`;
  const speed = `${Math.round(p.imagesPerSecond)} img/s · ${formatDuration(p.elapsedSeconds)} elapsed`;
  if (p.failed != null) return `failed: ${p.failed} · ${lastGoodPoint(p)}`;
  if (!p.done) return `${where} · ${speed} · ETA ${formatDuration(p.etaSeconds)}`;
  return `${p.stopped === null ? 'done' : `stopped: ${p.stopped}`} · ${where} · ${speed}`;
}

/** Fraction of all batches done. */
function fraction(p: TrainingProgress): number {
  if (p.done && p.stopped === null && p.failed == null) return 1;
  const total = p.epochs * p.batchesPerEpoch;
  return total === 0 ? 0 : Math.min(1, (Math.max(0, p.epoch - 1) * p.batchesPerEpoch + p.batch) / total);
}

const series = (name: string, color: string, dots: boolean, points: [number, FloatValue | null][]): ChartSeries =>
  ({ name, color, dots, points: points.filter((p): p is [number, FloatValue] => p[1] !== null).map(([x, y]) => [x, fromFloatValue(y)]) });

function epochRows(d: HistoryData): string[][] {
  return d.epochs.map((e) => [String(e.epoch), formatFloatPlain(e.trainLoss), formatFloatPlain(e.trainAccuracy), formatFloatPlain(e.validationLoss), formatFloatPlain(e.validationAccuracy)]);
}
const EPOCH_HEADERS = ['Epoch', 'Train loss', 'Train acc', 'Val loss', 'Val acc'];

/** A progress bar line (if any), then one line per epoch, or the last batch's loss before the first epoch ends. */
export function historyText(d: HistoryData): string {
  const lines: string[] = [];
  if (d.progress !== null) {
    const filled = Math.round(BAR_WIDTH * fraction(d.progress));
    lines.push(`[${'█'.repeat(filled)}${'·'.repeat(BAR_WIDTH - filled)}] ${describeProgress(d.progress)}`);
  }
  if (d.epochs.length > 0) lines.push(textTable(EPOCH_HEADERS, ['right', 'right', 'right', 'right', 'right'], epochRows(d)));
  const last = d.batches[d.batches.length - 1];
  if (last !== undefined) lines.push(`last batch ${last.step}: loss ${formatFloatPlain(last.loss)}${last.accuracy === null ? '' : ` acc ${formatFloatPlain(last.accuracy)}`}`);
  return lines.length > 0 ? lines.join('\n') : 'no training batches yet';
}

/** Progress bar, loss and accuracy curves (inline SVG) and the epoch table. */
export function historyHtml(d: HistoryData): string {
  const e = escapeHtml;
  const parts: string[] = [];
  if (d.progress !== null) {
    const pct = (100 * fraction(d.progress)).toFixed(1);
    parts.push(`<div style="font-family:monospace;font-size:12px;margin:4px 0"><div style="width:320px;height:10px;background:#e4e4e4;border-radius:3px;overflow:hidden"><div ` +
      `style="width:${pct}%;height:100%;background:${TRAIN}"></div></div>${e(describeProgress(d.progress))}</div>`);
  }
  // Epochs as the unit, as in the renderer: a batch at its fraction of the epoch, an epoch's values at its end.
  const perEpoch = d.progress !== null && d.progress.batchesPerEpoch > 0 ? d.progress.batchesPerEpoch : d.epochs[0]?.step ?? null;
  const x = (step: number): number => (perEpoch === null ? step : step / perEpoch);
  const unit = perEpoch === null ? 'batch' : 'epoch';
  const xLabel = d.batchesPerPoint === 1 ? unit : `${unit} (points average ${d.batchesPerPoint} batches)`;
  const loss = lineChart({ title: 'loss', xLabel, series: [
    series('training loss (per batch)', TRAIN, false, d.batches.map((b) => [x(b.step), b.loss])),
    series('training loss (epoch mean)', EPOCH, true, d.epochs.map((p) => [x(p.step), p.trainLoss])),
    series('validation loss', VALIDATION, true, d.epochs.map((p) => [x(p.step), p.validationLoss])),
  ] });
  const hasAccuracy = d.batches.some((b) => b.accuracy !== null);
  const accuracy = hasAccuracy ? lineChart({ title: 'accuracy', xLabel, yRange: [0, 1], series: [
    series('training accuracy (per batch)', TRAIN_ACCURACY, false, d.batches.map((b) => [x(b.step), b.accuracy])),
    series('training accuracy (epoch mean)', EPOCH_ACCURACY, true, d.epochs.map((p) => [x(p.step), p.trainAccuracy])),
    series('validation accuracy', VALIDATION_ACCURACY, true, d.epochs.map((p) => [x(p.step), p.validationAccuracy])),
  ] }) : '';
  parts.push(`<div style="display:flex;gap:12px;flex-wrap:wrap"><div>${loss}<div ` +
    `style="text-align:center;font-size:12px">loss</div></div>${accuracy === '' ? '' : `<div>${accuracy}<div style="text-align:center;font-size:12px">accuracy</div></div>`}</div>`);
  if (d.epochs.length > 0) {
    parts.push(htmlTable(EPOCH_HEADERS.map((header) => ({ header, align: 'right' as const })), epochRows(d).map((r) => r.map(e))));
  }
  return `<div class="convlab-history">${parts.join('')}</div>`;
}
