import type { Kind, PayloadOf } from '@convlab/display';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { errorBox } from './error-box.js';
import { readModelData } from './read-payload.js';
import { AttributionView } from './views/attribution-view.js';
import { CheckView } from './views/check-view.js';
import { ConfusionView } from './views/confusion-view.js';
import { FeatureMapsView } from './views/feature-maps-view.js';
import { FiltersView } from './views/filters-view.js';
import { LayerHealthView } from './views/layer-health-view.js';
import { HistoryView } from './views/history-view.js';
import { SummaryView } from './views/summary-view.js';
import { TensorView } from './views/tensor-view.js';
import { UnitView } from './views/unit-view.js';
import type { View } from './views/view.js';

const VIEWS: { readonly [K in Kind]: () => View<PayloadOf[K]> } = {
  summary: () => new SummaryView(),
  featuremaps: () => new FeatureMapsView(),
  history: () => new HistoryView(),
  tensor: () => new TensorView(),
  check: () => new CheckView(),
  confusion: () => new ConfusionView(),
  unit: () => new UnitView(),
  attribution: () => new AttributionView(),
  filters: () => new FiltersView(),
  layerhealth: () => new LayerHealthView(),
};

/**
 * The output widget of one convlab display. JupyterLab calls `renderModel` once, and again for
 * every `update_display_data` of the same display: the view is kept and updated in place. A payload
 * that is too large or malformed shows an error box instead (the view, if any, stays hidden so a
 * later valid update can show it again).
 */
export class ConvlabRenderer<K extends Kind> extends Widget implements IRenderMime.IRenderer {
  private view: View<PayloadOf[K]> | null = null;
  private error: HTMLElement | null = null;

  constructor(private readonly kind: K, private readonly mimeType: string) {
    super();
    this.addClass('jp-convlab');
    this.addClass(`jp-convlab-${kind}-output`);
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const reading = readModelData(this.kind, model.data[this.mimeType]);
    if (!reading.ok) {
      this.showError(reading.title, reading.errors);
      return;
    }
    this.clearError();
    try {
      if (this.view === null) {
        this.view = VIEWS[this.kind]();
        this.node.append(this.view.node);
      }
      this.view.node.hidden = false;
      await this.view.render(reading.data);
    } catch (error) {
      this.showError(`convlab could not draw this ${this.kind} display`, [error instanceof Error ? error.message : String(error)]);
    }
  }

  private showError(title: string, errors: readonly string[]): void {
    this.clearError();
    if (this.view !== null) this.view.node.hidden = true;
    this.error = errorBox(title, errors);
    this.node.append(this.error);
  }

  private clearError(): void {
    this.error?.remove();
    this.error = null;
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.view?.resize();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.view?.resize();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.view?.dispose();
    this.view = null;
    super.dispose();
  }
}
