// @vitest-environment jsdom
import type { HistoryData } from '@convlab/display';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScatterTrace } from '../../src/plot/plotly.js';
import { epochTick, logTicks, smooth } from '../../src/views/history-figure.js';
import { HistoryView, latestFigures } from '../../src/views/history-view.js';
import { plotOf, purged, resetFakePlotly } from '../helpers/fake-plotly.js';
import { history } from '../helpers/payloads.js';

vi.mock('plotly.js-cartesian-dist-min', async () => ({ default: (await import('../helpers/fake-plotly.js')).fakePlotly }));

const plot = (view: HistoryView): Element | null => view.node.querySelector('.jp-convlab-plot');
const traces = (view: HistoryView): ScatterTrace[] => plotOf(plot(view)).data as ScatterTrace[];
const text = (view: HistoryView, selector: string): string | null => view.node.querySelector(selector)!.textContent;
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

beforeEach(() => resetFakePlotly());

describe('HistoryView', () => {
  it('plots per-batch curves smoothed over the faint raw ones, per-epoch values over their epoch\'s span, six colours, against epochs', async () => {
    const view = new HistoryView();
    await view.render(history(6));
    const steps = [1, 2, 3, 4, 5, 6];
    const loss = steps.map((s) => 2 / s);
    const accuracy = steps.map((s) => Math.min(1, 0.1 * s));
    const epochs = steps.map((s) => s / 4);
    expect(traces(view).map((t) => [t.name, t.mode, t.yaxis, t.x, t.y, t.showlegend ?? true])).toEqual([
      ['training loss (per batch)', 'lines', 'y', epochs, loss, false],
      ['training loss (per batch)', 'lines', 'y', epochs, smooth(loss, 0.6), true],
      ['training loss (epoch mean)', 'lines+markers', 'y', [0, 1, 1], [1, 1, null], true],
      ['validation loss', 'lines+markers', 'y', [0, 1, 1], [1.2, 1.2, null], true],
      ['training accuracy (per batch)', 'lines', 'y2', epochs, accuracy, false],
      ['training accuracy (per batch)', 'lines', 'y2', epochs, smooth(accuracy, 0.6), true],
      ['training accuracy (epoch mean)', 'lines+markers', 'y2', [0, 1, 1], [0.5, 0.5, null], true],
      ['validation accuracy', 'lines+markers', 'y2', [0, 1, 1], [0.45, 0.45, null], true],
    ]);
    expect(traces(view)[0]!.opacity).toBe(0.25);
    expect(new Set(traces(view).filter((t) => t.showlegend !== false).map((t) => t.line!.color)).size).toBe(6);
    expect(traces(view)[3]!.text).toEqual(['1', '1', '1']);
    expect(traces(view)[1]!.text).toEqual(['epoch 1, batch 1/4', 'epoch 1, batch 2/4', 'epoch 1, batch 3/4', 'epoch 1, batch 4/4', 'epoch 2, batch 1/4', 'epoch 2, batch 2/4']);
    const layout = plotOf(plot(view)).layout;
    expect(layout).toMatchObject({ uirevision: 'history', height: 420 });
    expect(layout['yaxis']).toMatchObject({ type: 'linear', domain: [0.42, 1], title: { text: 'loss' } });
    expect(layout['yaxis2']).toMatchObject({ range: [0, 1], tickformat: '.0%', title: { text: 'accuracy' } });
    expect(layout['xaxis']).toMatchObject({ anchor: 'y2', title: { text: 'epoch' }, range: [0, 3], tick0: 0, dtick: 1 });
    expect(view.node.querySelector('.jp-convlab-x-batch')).toBeNull();
  });

  it('shows progress and the latest figures', async () => {
    const view = new HistoryView();
    await view.render(history(6));
    expect(text(view, '.jp-convlab-progress-text')).toBe('epoch 2/3 · batch 2/4 · 1,234 images/s · 0:03 elapsed · 1:01 left');
    expect(view.node.querySelector<HTMLElement>('.jp-convlab-progress-bar')!.style.width).toBe('50%');
    expect(text(view, '.jp-convlab-latest')).toBe('loss 0.3333 · accuracy 60% · validation loss 1.2 · validation accuracy 45%');
    expect(view.node.querySelector<HTMLElement>('.jp-convlab-note')!.hidden).toBe(true);
  });

  it('updates in place: the same plot element gets the new data with the same uirevision (zoom kept)', async () => {
    const view = new HistoryView();
    await view.render(history(6));
    const element = plot(view);
    const nodes = [...view.node.children];
    await view.render(history(9));
    expect(plot(view)).toBe(element);
    expect([...view.node.children]).toEqual(nodes);
    expect(plotOf(element).reacts).toBe(2);
    expect(traces(view)[0]!.x).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25]);
    expect(plotOf(element).layout['xaxis']).toMatchObject({ range: [0, 3] });
    expect(plotOf(element).layout['uirevision']).toBe('history');
    expect(text(view, '.jp-convlab-progress-text')).toBe('epoch 3/3 · batch 1/4 · 1,234 images/s · 0:03 elapsed · 1:01 left');
  });

  it('switches the loss axis to a log scale, resetting only that axis', async () => {
    const view = new HistoryView();
    await view.render(history(6));
    view.node.querySelector<HTMLButtonElement>('.jp-convlab-log-toggle')!.click();
    await settle();
    expect(plotOf(plot(view)).layout['yaxis']).toMatchObject({ type: 'log', uirevision: 'log', tickvals: [0.5, 1, 2], ticktext: ['0.5', '1', '2'] });
    expect(view.node.querySelector('.jp-convlab-log-toggle')!.getAttribute('aria-pressed')).toBe('true');
  });

  it('ticks whole epochs, at most about ten of them', () => {
    expect([1, 3, 10, 11, 30, 90, 250].map(epochTick)).toEqual([1, 1, 1, 2, 5, 10, 50]);
  });

  it('plots against batches only when it cannot know how many batches an epoch has', async () => {
    const view = new HistoryView();
    await view.render({ ...history(2), epochs: [], progress: null });
    expect(traces(view)[0]!.x).toEqual([1, 2]);
    expect(traces(view)[0]!.text).toEqual(['batch 1', 'batch 2']);
    expect(plotOf(plot(view)).layout['xaxis']).toMatchObject({ title: { text: 'batch' } });
    expect(plotOf(plot(view)).layout['xaxis']).not.toHaveProperty('range');
    expect(view.node.querySelector<HTMLElement>('.jp-convlab-progress')!.hidden).toBe(true);
  });

  it('shows a panel instead of empty axes before the first batch', async () => {
    const view = new HistoryView();
    const data = history(0);
    await view.render(data);
    expect(view.node.querySelector<HTMLElement>('.jp-convlab-history-empty')!.hidden).toBe(false);
    expect(text(view, '.jp-convlab-history-empty')).toBe('Waiting for the first batch…');
    expect([plot(view), view.node.querySelector('.jp-convlab-toolbar')].map((e) => (e as HTMLElement).hidden)).toEqual([true, true]);
    expect(() => plotOf(plot(view))).toThrow('nothing was plotted');
    await view.render(history(1));
    expect(view.node.querySelector<HTMLElement>('.jp-convlab-history-empty')!.hidden).toBe(true);
    expect((plot(view) as HTMLElement).hidden).toBe(false);
    expect(traces(view)[0]!.x).toEqual([0.25]);
  });

  it('leaves non-finite losses out of the plot and says when the loss diverged', async () => {
    const data = history(4);
    const view = new HistoryView();
    await view.render({ ...data, batches: data.batches.map((b) => (b.step >= 3 ? { ...b, loss: b.step === 3 ? 'NaN' : 'Infinity' } : b)) });
    expect(traces(view)[0]!.y).toEqual([2, 1, null, null]);
    expect(traces(view)[1]!.y).toEqual([2, smooth([2, 1], 0.6)[1], null, null]);
    expect(text(view, '.jp-convlab-note')).toBe('the loss became NaN at batch 3; non-finite values are left out of the plot');
    expect(view.node.querySelector<HTMLElement>('.jp-convlab-note')!.hidden).toBe(false);
  });

  it('shows the end of training, finished or stopped', async () => {
    const data = history(12);
    const view = new HistoryView();
    await view.render({ ...data, progress: { ...data.progress!, done: true, etaSeconds: 0 } });
    expect(text(view, '.jp-convlab-progress-text')).toBe('done: 3 epochs in 0:03 · 1,234 images/s');
    expect(view.node.querySelector<HTMLElement>('.jp-convlab-progress-bar')!.style.width).toBe('100%');
    expect(view.node.querySelector('.jp-convlab-progress')!.classList.contains('jp-convlab-progress-done')).toBe(true);
    await view.render({ ...data, progress: { ...data.progress!, epoch: 2, batch: 3, done: true, stopped: 'non-finite loss' } });
    expect(text(view, '.jp-convlab-progress-text')).toBe('stopped at epoch 2, batch 3: non-finite loss · 0:03');
  });

  it('shows a failed run in the error colour with the message and the last good point', async () => {
    const data = history(12);
    const view = new HistoryView();
    await view.render({ ...data, progress: { ...data.progress!, epoch: 1, batch: 4, done: true, failed: 'LeNet-5: expects 1×32×32; got 1×28×28' } });
    expect(text(view, '.jp-convlab-progress-text')).toBe('training failed: LeNet-5: expects 1×32×32; got 1×28×28 · last good point: epoch 1/3, batch 4/4');
    const progress = view.node.querySelector('.jp-convlab-progress')!;
    expect([progress.classList.contains('jp-convlab-progress-failed'), progress.classList.contains('jp-convlab-progress-done')]).toEqual([true, false]);
    expect(view.node.querySelector<HTMLElement>('.jp-convlab-progress-bar')!.style.width).toBe('33.3%');
    expect(view.node.querySelector<HTMLElement>('.jp-convlab-history-empty')!.hidden).toBe(true);
    await view.render({ ...data, batches: [], epochs: [], progress: { ...data.progress!, epoch: 0, batch: 0, done: true, failed: 'Linear(400→120): expected input with 400 features, got 256' } });
    expect(text(view, '.jp-convlab-progress-text')).toBe('training failed · before the first batch completed');
    const panel = view.node.querySelector<HTMLElement>('.jp-convlab-history-empty')!;
    expect([panel.hidden, panel.classList.contains('jp-convlab-history-failed')]).toEqual([false, true]);
    expect(text(view, '.jp-convlab-history-empty-title')).toBe('Training failed before the first batch completed');
    expect(text(view, '.jp-convlab-history-error')).toBe('Linear(400→120): expected input with 400 features, got 256');
    expect([plot(view), view.node.querySelector('.jp-convlab-toolbar')].map((e) => (e as HTMLElement).hidden)).toEqual([true, true]);
  });

  it('has a single loss axis when no accuracy was measured, and names averaged points', async () => {
    const data = history(8);
    const lossOnly: HistoryData = {
      ...data, batchesPerPoint: 10,
      batches: data.batches.map((b) => ({ ...b, accuracy: null })),
      epochs: data.epochs.map((e) => ({ ...e, trainAccuracy: null, validationAccuracy: null, validationLoss: null })),
    };
    const view = new HistoryView();
    await view.render(lossOnly);
    expect(traces(view).map((t) => t.name)).toEqual(['training loss (per batch)', 'training loss (per batch)', 'training loss (epoch mean)']);
    expect(traces(view)[0]!.hovertemplate).toContain('training loss (per batch) (mean of 10 batches)');
    expect(plotOf(plot(view)).layout['yaxis2']).toBeUndefined();
    expect(plotOf(plot(view)).layout).toMatchObject({ height: 300, xaxis: { anchor: 'y' } });
  });

  it('frees the plot on dispose', async () => {
    const view = new HistoryView();
    await view.render(history(3));
    view.dispose();
    expect(purged).toEqual([plot(view)]);
  });
});

describe('latestFigures', () => {
  it('names what is known', () => {
    expect(latestFigures({ ...history(3), epochs: [] })).toBe('loss 0.6667 · accuracy 30%');
    expect(latestFigures({ batches: [], batchesPerPoint: 1, epochs: [], progress: null })).toBe('');
  });

  it('smooths like TensorBoard (debiased EMA) and turns smoothing off at 0', async () => {
    expect(smooth([1, 0, null, 1], 0.5)).toEqual([1, 1 / 3, null, (0.5 * 0.25 + 0.5) / (1 - 0.125)]);
    expect(smooth([3, 4], 0)).toEqual([3, 4]);
    const view = new HistoryView();
    await view.render(history(6));
    expect(view.node.querySelector('.jp-convlab-smoothing-value')!.textContent).toBe('0.60');
    const input = view.node.querySelector<HTMLInputElement>('.jp-convlab-smoothing')!;
    input.value = '0';
    input.dispatchEvent(new Event('input'));
    await settle();
    expect(
      traces(view).map((t) => t.name)
    ).toEqual(['training loss (per batch)', 'training loss (epoch mean)', 'validation loss', 'training accuracy (per batch)', 'training accuracy (epoch mean)', 'validation accuracy']);
    expect(traces(view)[0]!.opacity).toBe(0.9);
    expect(view.node.querySelector('.jp-convlab-smoothing-value')!.textContent).toBe('0.00');
  });

  it('labels log-axis ticks in full: 1, 2 and 5 times powers of ten', () => {
    expect(logTicks(0.08, 2.4)).toEqual({ tickvals: [0.1, 0.2, 0.5, 1, 2], ticktext: ['0.1', '0.2', '0.5', '1', '2'] });
    expect(logTicks(0.3, 0.45)).toEqual({ tickvals: [0.3, 0.45], ticktext: ['0.3', '0.45'] });
  });
});
