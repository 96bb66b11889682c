import { finiteOrNull, formatClock, formatFloat, formatInteger, lastGoodPoint, type FloatValue, type HistoryData, type TrainingProgress } from '@convlab/display';
import { button, element } from '../dom.js';
import { PlotHost } from '../plot/plot-host.js';
import { plotTheme, watchTheme } from '../plot/theme.js';
import { DEFAULT_SMOOTHING, historyFigure } from './history-figure.js';
import type { View } from './view.js';

/**
 * Training curves with live progress, against epochs. The kernel replaces the display
 * (`update_display_data`) while training runs; each update re-renders this same view: the progress
 * bar and figures change in place and the plot is updated with `Plotly.react`, so nothing flickers
 * and zoom is kept. Before the first point there is no plot (no empty axes): a panel says that
 * training is waiting for its first batch, or, when it failed there, shows the error.
 */
export class HistoryView implements View<HistoryData> {
  readonly node = element('div', 'jp-convlab-history');
  private readonly progress = element('div', 'jp-convlab-progress');
  private readonly progressBar = element('div', 'jp-convlab-progress-bar');
  private readonly progressText = element('div', 'jp-convlab-progress-text');
  private readonly latest = element('div', 'jp-convlab-latest');
  private readonly note = element('div', 'jp-convlab-note');
  private readonly logButton = button('jp-convlab-log-toggle', 'log scale', () => void this.setLogScale(!this.logScale));
  private readonly toolbar = element('div', 'jp-convlab-toolbar');
  private readonly empty = element('div', 'jp-convlab-history-empty');
  private readonly plot = new PlotHost();
  private readonly stopWatchingTheme = watchTheme(() => void this.draw());
  private data: HistoryData | null = null;
  private logScale = false;
  private smoothing = DEFAULT_SMOOTHING;
  private readonly smoothingInput = element('input', 'jp-convlab-smoothing');
  private readonly smoothingValue = element('span', 'jp-convlab-smoothing-value');

  constructor() {
    const track = element('div', 'jp-convlab-progress-track');
    track.append(this.progressBar);
    this.progress.append(track, this.progressText);
    Object.assign(this.smoothingInput, { type: 'range', min: '0', max: '0.99', step: '0.01', value: String(DEFAULT_SMOOTHING), title: 'exponential moving average of the per-batch curves ' +
      '(TensorBoard\'s smoothing); the raw curve stays faint behind' });
    this.smoothingInput.addEventListener('input', () => void this.setSmoothing(Number(this.smoothingInput.value)));
    const smoothing = element('label', 'jp-convlab-smoothing-control', 'smoothing ');
    smoothing.append(this.smoothingInput, this.smoothingValue);
    this.toolbar.append(this.logButton, smoothing);
    this.node.append(this.progress, this.latest, this.empty, this.toolbar, this.plot.node, this.note);
    this.updateButtons();
  }

  async render(data: HistoryData): Promise<void> {
    this.data = data;
    this.showProgress(data.progress);
    this.latest.textContent = latestFigures(data);
    const nonFinite = data.batches.find((b) => finiteOrNull(b.loss) === null);
    this.note.textContent = nonFinite === undefined ? '' : `the loss became ${formatFloat(nonFinite.loss)} at batch ${nonFinite.step}; non-finite values are left out of the plot`;
    this.note.hidden = nonFinite === undefined;
    this.showEmpty(data);
    this.updateButtons();
    await this.draw();
  }

  /** No points yet: the panel instead of the toolbar and an empty plot. */
  private showEmpty(data: HistoryData): void {
    const empty = data.batches.length === 0 && data.epochs.length === 0;
    const failed = data.progress?.failed ?? null;
    this.empty.hidden = !empty;
    this.toolbar.hidden = empty;
    this.plot.node.hidden = empty;
    this.empty.classList.toggle('jp-convlab-history-failed', failed !== null);
    if (!empty) return;
    if (failed !== null) {
      this.progressText.textContent = `training failed · ${lastGoodPoint(data.progress!)}`;
      this.empty.replaceChildren(element('div', 'jp-convlab-history-empty-title', 'Training failed before the first batch completed'), element('pre', 'jp-convlab-history-error', failed));
    } else if (data.progress?.done) {
      this.empty.replaceChildren(element('div', 'jp-convlab-history-empty-title', 'Training ended before the first batch completed'));
    } else {
      this.empty.replaceChildren(element('div', 'jp-convlab-history-empty-title', data.progress === null ? 'No training batches in this history' : 'Waiting for the first batch…'));
    }
  }

  async setLogScale(on: boolean): Promise<void> {
    this.logScale = on;
    this.updateButtons();
    await this.draw();
  }

  /** Sets the smoothing weight of the per-batch curves, in [0, 0.99]. */
  async setSmoothing(weight: number): Promise<void> {
    this.smoothing = Math.min(0.99, Math.max(0, weight));
    this.smoothingInput.value = String(this.smoothing);
    this.updateButtons();
    await this.draw();
  }

  private async draw(): Promise<void> {
    if (this.data === null || this.plot.node.hidden) return;
    const figure = historyFigure(this.data, { logScale: this.logScale, smoothing: this.smoothing }, plotTheme(this.node));
    await this.plot.draw(figure.traces, figure.layout);
  }

  private showProgress(p: TrainingProgress | null): void {
    this.progress.hidden = p === null;
    if (p === null) return;
    const total = p.epochs * p.batchesPerEpoch;
    const failed = p.failed ?? null;
    const done = p.done && failed === null ? total : Math.max(0, p.epoch - 1) * p.batchesPerEpoch + p.batch;
    this.progressBar.style.width = `${total > 0 ? Math.min(100, (100 * done) / total).toFixed(1) : 0}%`;
    this.progress.classList.toggle('jp-convlab-progress-done', p.done && failed === null);
    this.progress.classList.toggle('jp-convlab-progress-failed', failed !== null);
    this.progress.classList.toggle('jp-convlab-progress-stopped', p.stopped !== null);
    const speed = `${formatInteger(p.imagesPerSecond)} images/s`;
    if (failed !== null) this.progressText.textContent = `training failed: ${failed} · ${lastGoodPoint(p)}`;
    else if (p.stopped !== null) this.progressText.textContent = `stopped at epoch ${p.epoch}, batch ${p.batch}: ${p.stopped} · ${formatClock(p.elapsedSeconds)}`;
    else if (p.done) this.progressText.textContent = `done: ${p.epochs} epoch${p.epochs === 1 ? '' : 's'} in ${formatClock(p.elapsedSeconds)} · ${speed}`;
    else this.progressText.textContent = `epoch ${p.epoch}/${p.epochs} · batch ${p.batch}/${p.batchesPerEpoch} · ${speed} ` +
      `· ${formatClock(p.elapsedSeconds)} elapsed · ${formatClock(p.etaSeconds)} left`;
  }

  private updateButtons(): void {
    this.logButton.setAttribute('aria-pressed', String(this.logScale));
    this.smoothingValue.textContent = this.smoothing.toFixed(2);
  }

  resize(): void {
    this.plot.resize();
  }

  dispose(): void {
    this.stopWatchingTheme();
    this.plot.dispose();
  }
}

/** The latest figures in words: `loss 0.412 · accuracy 87.5% · validation loss 0.45 · validation accuracy 85%`. */
export function latestFigures(data: HistoryData): string {
  const parts: string[] = [];
  const batch = data.batches[data.batches.length - 1];
  const epoch = data.epochs[data.epochs.length - 1];
  const percent = (v: number): string => `${Number((v * 100).toPrecision(3))}%`;
  const accuracy = (v: FloatValue): string => {
    const x = finiteOrNull(v);
    return x === null ? formatFloat(v) : percent(x);
  };
  if (batch !== undefined) {
    parts.push(`loss ${formatFloat(batch.loss)}`);
    if (batch.accuracy !== null) parts.push(`accuracy ${accuracy(batch.accuracy)}`);
  }
  if (epoch !== undefined) {
    if (epoch.validationLoss !== null) parts.push(`validation loss ${formatFloat(epoch.validationLoss)}`);
    if (epoch.validationAccuracy !== null) parts.push(`validation accuracy ${accuracy(epoch.validationAccuracy)}`);
  }
  return parts.join(' · ');
}
