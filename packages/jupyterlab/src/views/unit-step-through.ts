import { unitFromArithmetic, type FeatureMapLayer } from '@convlab/display';
import { element } from '../dom.js';
import { UnitView } from './unit-view.js';

/**
 * The step-through a feature-map view opens for a clicked unit: built in the browser from the
 * layer's arithmetic (sent with `featureMaps(…, { stepThrough: true })`); a note for layers it was
 * asked for but could not be sent; nothing when it was not asked for.
 */
export class UnitStepThrough {
  readonly node = element('div', 'jp-convlab-fm-step-through');
  private view: UnitView | null = null;

  /** Shows unit (stored channel `k`, row, col) of `layer`. */
  show(layer: FeatureMapLayer, k: number, row: number, col: number): void {
    const channel = layer.channels.included[k]!;
    this.clear();
    if (layer.arithmetic === undefined) return;
    if (layer.arithmetic === null) {
      this.node.append(element('div', 'jp-convlab-fm-step-through-note', `${layer.name}: no step-through of its units (not a conv or pooling layer, or too large to send).`));
      return;
    }
    this.view = new UnitView();
    this.node.append(this.view.node);
    void this.view.render(unitFromArithmetic(layer.name, layer.type, layer.shape, layer.arithmetic, { channel, row, col }));
  }

  clear(): void {
    this.view?.dispose();
    this.view = null;
    this.node.replaceChildren();
  }

  dispose(): void {
    this.clear();
  }
}
