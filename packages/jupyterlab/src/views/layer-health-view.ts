import { describeLayerHealth, type LayerHealthData } from '@convlab/display';
import { button, element } from '../dom.js';
import { PlotHost } from '../plot/plot-host.js';
import { plotTheme, watchTheme } from '../plot/theme.js';
import { histogramFigure, linesFigure, QUANTITY_NAMES, type Quantity } from './layer-health-figure.js';
import type { View } from './view.js';

/**
 * Per-layer training health: the weight-norm, update/weight, gradient-norm and dead-ReLU lines,
 * and the histograms of weights, gradients or activations over time (one heat-map strip per
 * layer). A live view (`liveLayerHealth`) re-renders this same view at every record: the plots
 * update in place (`Plotly.react`) and keep their zoom.
 */
export class LayerHealthView implements View<LayerHealthData> {
  readonly node = element('div', 'jp-convlab-layerhealth');
  private readonly heading = element('div', 'jp-convlab-layerhealth-heading');
  private readonly lines = new PlotHost();
  private readonly histograms = new PlotHost();
  private readonly empty = element('div', 'jp-convlab-layerhealth-empty');
  private readonly buttons: { readonly [Q in Quantity]: HTMLButtonElement };
  private readonly stopWatchingTheme = watchTheme(() => void this.draw());
  private data: LayerHealthData | null = null;
  private quantity: Quantity = 'weights';

  constructor() {
    const toolbar = element('div', 'jp-convlab-toolbar');
    const make = (q: Quantity): HTMLButtonElement => button(`jp-convlab-layerhealth-${q}`, QUANTITY_NAMES[q], () => void this.setQuantity(q));
    this.buttons = { weights: make('weights'), grads: make('grads'), activations: make('activations') };
    toolbar.append(element('span', 'jp-convlab-layerhealth-label', 'histograms of '), this.buttons.weights, this.buttons.grads, this.buttons.activations);
    this.lines.node.classList.add('jp-convlab-layerhealth-lines');
    this.histograms.node.classList.add('jp-convlab-layerhealth-histograms');
    this.node.append(this.heading, this.empty, this.lines.node, toolbar, this.histograms.node);
    this.updateButtons();
  }

  async render(data: LayerHealthData): Promise<void> {
    this.data = data;
    this.heading.textContent = describeLayerHealth(data);
    this.updateButtons();
    await this.draw();
  }

  /** Shows the histograms of `weights`, `grads` or `activations`. */
  async setQuantity(q: Quantity): Promise<void> {
    this.quantity = q;
    this.updateButtons();
    await this.draw();
  }

  private async draw(): Promise<void> {
    const d = this.data;
    if (d === null) return;
    const theme = plotTheme(this.node);
    const lines = linesFigure(d, theme);
    const hist = histogramFigure(d, this.quantity, theme);
    this.empty.hidden = d.records.length > 0;
    this.empty.textContent = d.records.length > 0 ? '' : 'No record yet: the first comes after the first recorded batch.';
    this.lines.node.hidden = lines === null;
    this.histograms.node.hidden = hist === null;
    if (lines !== null) await this.lines.draw(lines.traces, lines.layout);
    if (hist !== null) await this.histograms.draw(hist.traces, hist.layout);
  }

  private updateButtons(): void {
    for (const q of Object.keys(this.buttons) as Quantity[]) {
      this.buttons[q].setAttribute('aria-pressed', String(q === this.quantity));
      this.buttons[q].disabled = this.data?.layers.every((l) => l[q] === null) === true;
    }
  }

  resize(): void {
    this.lines.resize();
    this.histograms.resize();
  }

  dispose(): void {
    this.stopWatchingTheme();
    this.lines.dispose();
    this.histograms.dispose();
  }
}
