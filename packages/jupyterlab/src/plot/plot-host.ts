import { element } from '../dom.js';
import { loadPlotly, type ClickEvent, type Config, type Layout, type Plotly, type Trace } from './plotly.js';

const CONFIG: Config = { displaylogo: false, responsive: false, displayModeBar: 'hover', modeBarButtonsToRemove: ['select2d', 'lasso2d'] };

/**
 * One plotly plot in a `<div class="jp-convlab-plot">`. Every draw is a `Plotly.react` on the same
 * element, so updates replace the data in place (no flicker) and, with a constant `uirevision` in
 * the layout, keep the user's zoom and pan. `dispose` purges the plot.
 */
export class PlotHost {
  readonly node = element('div', 'jp-convlab-plot');
  private plotly: Plotly | null = null;
  private disposed = false;
  private clicks: ((event: ClickEvent) => void) | null = null;
  private listening = false;
  /** Draws run one after another: a live update never races the previous one. */
  private queue: Promise<void> = Promise.resolve();

  /** Called with each click on a data point (registered with plotly on the first draw). */
  onClick(handler: (event: ClickEvent) => void): void {
    this.clicks = handler;
  }

  /** Draws the figure (after any draw still running); rejects if plotly fails. */
  draw(traces: readonly Trace[], layout: Layout): Promise<void> {
    const drawn = this.queue.then(() => this.drawNow(traces, layout));
    this.queue = drawn.catch(() => undefined);
    return drawn;
  }

  private async drawNow(traces: readonly Trace[], layout: Layout): Promise<void> {
    const plotly = await loadPlotly();
    if (this.disposed) return;
    this.plotly = plotly;
    const plot = await plotly.react(this.node, traces, layout, CONFIG);
    if (this.clicks !== null && !this.listening) {
      const handler = this.clicks;
      plot.on('plotly_click', (event) => handler(event));
      this.listening = true;
    }
  }

  /** Fits the plot to its container; a no-op before the first draw or while detached. */
  resize(): void {
    if (this.plotly === null || this.disposed || !this.node.isConnected) return;
    // Plotly rejects resizing a plot that is not displayed (e.g. a collapsed output): nothing to fit then.
    void Promise.resolve(this.plotly.Plots.resize(this.node)).catch(() => undefined);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.plotly?.purge(this.node);
  }
}
