import { formatDims, formatInteger, formatReceptiveField, formatSi, type FeatureMapLayer, type FeatureMapsData } from '@convlab/display';
import { button, element } from '../dom.js';
import { decodePlanes, rgbPixels, type DecodedPlanes } from '../planes.js';
import { PlotHost } from '../plot/plot-host.js';
import type { ClickEvent } from '../plot/plotly.js';
import { plotTheme, watchTheme, type PlotTheme } from '../plot/theme.js';
import { fieldOfCell, type FieldOfCell } from '../receptive-field.js';
import { clipText, RENDER_LIMITS } from '../render-limits.js';
import { UnitStepThrough } from './unit-step-through.js';
import { CHANNELS_PER_PAGE, inputFigure, layerFigure, pageChannels, type ColorScale, type Selection } from './feature-maps-figure.js';
import type { View } from './view.js';

/** Width assumed for a plot that is not laid out yet (before the output is attached). */
const DEFAULT_WIDTH = 640;

interface LayerState {
  readonly layer: FeatureMapLayer;
  readonly planes: DecodedPlanes;
  readonly plot: PlotHost;
  readonly section: HTMLElement;
  readonly pageLabel: HTMLElement;
  readonly previous: HTMLButtonElement;
  readonly next: HTMLButtonElement;
  page: number;
}

/**
 * Feature maps of one or more layers for one input: per layer a grid of heatmaps (one per channel,
 * paged when wide), on a shared or per-channel color scale; the input image beside them. Clicking
 * a cell outlines the input pixels it sees (its receptive field, from the layer's field geometry).
 */
export class FeatureMapsView implements View<FeatureMapsData> {
  readonly node = element('div', 'jp-convlab-featuremaps');
  private data: FeatureMapsData | null = null;
  private input: DecodedPlanes | null = null;
  private layers: LayerState[] = [];
  private scale: ColorScale = 'shared';
  private selection: Selection | null = null;
  private readonly inputPlot = new PlotHost();
  private readonly caption = element('div', 'jp-convlab-fm-caption');
  private readonly stepThrough = new UnitStepThrough();
  private readonly scaleButton = button('jp-convlab-scale-toggle', '', () => void this.setScale(this.scale === 'shared' ? 'channel' : 'shared'));
  private readonly stopWatchingTheme = watchTheme(() => void this.drawAll());

  async render(data: FeatureMapsData): Promise<void> {
    for (const state of this.layers) state.plot.dispose();
    this.data = data;
    this.selection = null;
    this.input = decodePlanes(data.input.image);
    this.layers = data.layers.slice(0, RENDER_LIMITS.featureMapLayers).map((layer, index) => this.layerState(layer, index));

    const header = element('div', 'jp-convlab-header');
    header.append(
      element('span', 'jp-convlab-title', 'Feature maps'),
      element('span', 'jp-convlab-subtitle', `input ${formatDims(data.input.shape)} · ${data.layers.length} layer${data.layers.length === 1 ? '' : 's'}`),
      this.scaleButton,
    );
    this.updateScaleButton();
    const inputColumn = element('div', 'jp-convlab-fm-input');
    inputColumn.append(element('div', 'jp-convlab-fm-input-title', 'input'), this.inputPlot.node, this.caption);
    const layersColumn = element('div', 'jp-convlab-fm-layers');
    layersColumn.append(...this.layers.map((s) => s.section));
    const body = element('div', 'jp-convlab-fm-body');
    body.append(inputColumn, layersColumn);
    this.stepThrough.clear();
    const hidden = data.layers.length - this.layers.length;
    const hiddenNote = hidden > 0 ? [element('div', 'jp-convlab-note', `${formatInteger(hidden)} more layers not shown (at most ${RENDER_LIMITS.featureMapLayers} per display)`)] : [];
    this.node.replaceChildren(header, body, ...hiddenNote, ...capsNote(data, this.input), this.stepThrough.node);
    this.setCaption(null);
    await this.drawAll();
  }

  /** Switches between one color scale for all channels of a layer and one per channel. */
  async setScale(scale: ColorScale): Promise<void> {
    this.scale = scale;
    this.updateScaleButton();
    await Promise.all(this.layers.map((_, i) => this.drawLayer(i)));
  }

  /** Shows page `page` of layer `index`'s channels. */
  async showPage(index: number, page: number): Promise<void> {
    const state = this.layers[index]!;
    state.page = Math.max(0, Math.min(page, pageCount(state.planes) - 1));
    await this.drawLayer(index);
  }

  /** Selects stored cell `(row, col)` of stored channel `k` of layer `index` and outlines its field. */
  async select(index: number, k: number, row: number, col: number): Promise<void> {
    const previous = this.selection;
    this.selection = { layer: index, k, row, col };
    const state = this.layers[index]!;
    const data = this.data!;
    const field = state.layer.receptiveField === null ? null
      : fieldOfCell(state.layer.receptiveField, [state.layer.shape[1], state.layer.shape[2]], state.planes.downsample, row, col, [data.input.shape[1], data.input.shape[2]]);
    this.setCaption(field);
    this.stepThrough.show(state.layer, k, row * state.planes.downsample, col * state.planes.downsample);
    const redraw = new Set([index, ...(previous === null ? [] : [previous.layer])]);
    await Promise.all([this.drawInput(field), ...[...redraw].map((i) => this.drawLayer(i))]);
  }

  private layerState(layer: FeatureMapLayer, index: number): LayerState {
    const planes = decodePlanes(layer.maps);
    const plot = new PlotHost();
    plot.onClick((event) => this.onLayerClick(index, event));
    const section = element('section', 'jp-convlab-fm-layer');
    const title = element('div', 'jp-convlab-fm-layer-header');
    const field = layer.receptiveField === null ? '' : ` · receptive field ${formatReceptiveField(layer.receptiveField)}`;
    title.append(element('span', 'jp-convlab-title', clipText(layer.name)), element('span', 'jp-convlab-subtitle', `${clipText(layer.type)} · ${formatDims(layer.shape)}${field}`));
    const pageLabel = element('span', 'jp-convlab-page-label');
    const previous = button('jp-convlab-page-previous', '◀', () => void this.showPage(index, this.layers[index]!.page - 1));
    const next = button('jp-convlab-page-next', '▶', () => void this.showPage(index, this.layers[index]!.page + 1));
    previous.setAttribute('aria-label', 'previous channels');
    next.setAttribute('aria-label', 'next channels');
    const pager = element('div', 'jp-convlab-pager');
    pager.append(previous, pageLabel, next);
    pager.hidden = planes.shape[0] <= CHANNELS_PER_PAGE;
    section.append(title, pager, plot.node, ...layerNotes(layer));
    return { layer, planes, plot, section, pageLabel, previous, next, page: 0 };
  }

  private onLayerClick(index: number, event: ClickEvent): void {
    const point = event.points[0];
    if (point === undefined) return;
    const state = this.layers[index]!;
    const k = pageChannels(state.planes, state.page)[point.curveNumber];
    if (k === undefined) return;
    void this.select(index, k, Math.round(point.y), Math.round(point.x));
  }

  private async drawAll(): Promise<void> {
    const field = this.selection === null ? null : this.fieldOfSelection();
    const theme = plotTheme(this.node);
    await Promise.all([this.drawInput(field, theme), ...this.layers.map((_, i) => this.drawLayer(i, theme))]);
  }

  private fieldOfSelection(): FieldOfCell | null {
    const s = this.selection!;
    const layer = this.layers[s.layer]!;
    if (layer.layer.receptiveField === null) return null;
    const input = this.data!.input.shape;
    return fieldOfCell(layer.layer.receptiveField, [layer.layer.shape[1], layer.layer.shape[2]], layer.planes.downsample, s.row, s.col, [input[1], input[2]]);
  }

  private async drawInput(field: FieldOfCell | null, theme: PlotTheme = plotTheme(this.node)): Promise<void> {
    const input = this.input;
    if (input === null || this.data === null) return;
    const shape = this.data.input.shape;
    const figure = inputFigure(input, [shape[1], shape[2]], input.shape[0] === 3 ? rgbPixels(input) : null, theme, field?.visible ?? null);
    await this.inputPlot.draw(figure.traces, figure.layout);
  }

  private async drawLayer(index: number, theme: PlotTheme = plotTheme(this.node)): Promise<void> {
    const state = this.layers[index]!;
    const channels = pageChannels(state.planes, state.page);
    const included = state.layer.channels.included;
    state.pageLabel.textContent = `channels ${included[channels[0]!]!}–${included[channels[channels.length - 1]!]!} (${state.page + 1} of ${pageCount(state.planes)})`;
    state.previous.disabled = state.page === 0;
    state.next.disabled = state.page === pageCount(state.planes) - 1;
    const selected = this.selection !== null && this.selection.layer === index ? this.selection : null;
    const width = state.section.clientWidth || DEFAULT_WIDTH;
    const figure = layerFigure(state.layer, state.planes, state.page, this.scale, theme, width, selected, `layer ${index} page ${state.page}`);
    await state.plot.draw(figure.traces, figure.layout);
  }

  private setCaption(field: FieldOfCell | null): void {
    const s = this.selection;
    if (s === null) {
      this.caption.textContent = 'Click a cell of a feature map to outline the input pixels it sees.';
      return;
    }
    const layer = this.layers[s.layer]!.layer;
    const channel = layer.channels.included[s.k]!;
    if (field === null) {
      this.caption.textContent = `${clipText(layer.name)}, channel ${channel}: the receptive field of this layer is not known.`;
      return;
    }
    const u = field.units, v = field.visible;
    const unit = u.top === u.bottom && u.left === u.right ? `unit (row ${u.top}, col ${u.left})` : `units rows ${u.top}–${u.bottom}, cols ${u.left}–${u.right}`;
    const size = `${field.field.bottom - field.field.top + 1}×${field.field.right - field.field.left + 1}`;
    const seen = v === null ? 'sees only padding' : `sees input rows ${v.top}–${v.bottom}, cols ${v.left}–${v.right}`;
    const clipped = v !== null && (v.top !== field.field.top || v.bottom !== field.field.bottom || v.left !== field.field.left || v.right !== field.field.right);
    this.caption.textContent = `${clipText(layer.name)}, channel ${channel}, ${unit} ${seen} (a ${size} field${clipped ? ' reaching into the padding' : ''}).`;
  }

  private updateScaleButton(): void {
    this.scaleButton.textContent = this.scale === 'shared' ? 'color scale: shared by the channels' : 'color scale: per channel';
    this.scaleButton.setAttribute('aria-pressed', String(this.scale === 'channel'));
  }

  resize(): void {
    this.inputPlot.resize();
    for (let i = 0; i < this.layers.length; i++) void this.drawLayer(i).then(() => this.layers[i]?.plot.resize());
  }

  dispose(): void {
    this.stopWatchingTheme();
    this.inputPlot.dispose();
    for (const state of this.layers) state.plot.dispose();
    this.stepThrough.dispose();
  }
}

function pageCount(planes: DecodedPlanes): number {
  return Math.ceil(planes.shape[0] / CHANNELS_PER_PAGE);
}

/** What the payload left out of a layer: channels beyond the selection, resolution. */
function layerNotes(layer: FeatureMapLayer): HTMLElement[] {
  const notes: string[] = [];
  const c = layer.channels;
  if (c.included.length < c.total) {
    const page = c.page === null ? '' : ` (page ${c.page.index + 1} of ${c.page.count} of ${c.page.size})`;
    notes.push(`${c.included.length} of ${c.total} channels included${page}`);
  }
  const d = layer.maps.downsample;
  if (d > 1) notes.push(`stored at 1/${d} resolution: each cell is the mean of a ${d}×${d} block`);
  return notes.length === 0 ? [] : [element('div', 'jp-convlab-note', notes.join(' · '))];
}

/** States the payload's caps when any of them shaped what is shown. */
function capsNote(data: FeatureMapsData, input: DecodedPlanes): HTMLElement[] {
  const capped = input.downsample > 1 || data.layers.some((l) => l.maps.downsample > 1 || l.channels.included.length < l.channels.total);
  if (!capped) return [];
  const l = data.limits;
  return [element('div', 'jp-convlab-note', `payload caps: at most ${l.maxChannels} channels per layer, ${l.maxSide} pixels per side, ${formatSi(l.maxBytes)} bytes in all`)];
}
