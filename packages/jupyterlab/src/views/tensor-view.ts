import { finiteOrNull, formatDims, formatFloat, formatInteger, type FloatValue, type TensorData, type TensorImage, type TensorValues } from '@convlab/display';
import { element } from '../dom.js';
import { clipText, RENDER_LIMITS } from '../render-limits.js';
import { decodePlanes, rgbPixels } from '../planes.js';
import { PlotHost } from '../plot/plot-host.js';
import type { Trace } from '../plot/plotly.js';
import { blockLabels, positionTemplate } from '../plot/positions.js';
import { plotTheme, themedAxis, themedLayout, watchTheme } from '../plot/theme.js';
import { planeGrid } from './tensor-planes.js';
import type { View } from './view.js';

/** Values per row of a 1-D tensor's table. */
export const VALUES_PER_ROW = 10;

const GREY: readonly (readonly [number, string])[] = [[0, '#000000'], [1, '#ffffff']];

/** A tensor: small ones as a table of values, image-like ones as an image with hover values, larger rank-3/4 ones as heatmaps of their planes. */
export class TensorView implements View<TensorData> {
  readonly node = element('div', 'jp-convlab-tensor');
  private readonly header = element('div', 'jp-convlab-header');
  private readonly body = element('div', 'jp-convlab-tensor-body');
  private plot: PlotHost | null = null;
  private image: TensorImage | null = null;
  private readonly stopWatchingTheme = watchTheme(() => void this.drawImage());

  constructor() {
    this.node.append(this.header, this.body);
  }

  async render(data: TensorData): Promise<void> {
    const stats = `min ${formatFloat(data.stats.min)} · max ${formatFloat(data.stats.max)} · mean ${formatFloat(data.stats.mean)}`;
    this.header.replaceChildren(
      ...(data.name === null ? [] : [element('span', 'jp-convlab-title', clipText(data.name))]),
      element('span', 'jp-convlab-subtitle', `tensor ${clipText(formatDims(data.shape))} · ${stats}`),
    );
    if (data.form === 'planes') {
      this.image = null;
      this.plot?.dispose();
      this.plot = null;
      this.body.replaceChildren(planeGrid(data));
      return;
    }
    if (data.form === 'values') {
      this.image = null;
      this.plot?.dispose();
      this.plot = null;
      this.body.replaceChildren(data.shape.length >= 3 && data.shape.length <= RENDER_LIMITS.tensorRank ? valueGrids(data) : valuesTable(data), ...truncationNote(data));
      return;
    }
    this.image = data;
    this.plot ??= new PlotHost();
    const [, h, w] = data.image.shape;
    const d = data.image.downsample;
    this.body.replaceChildren(this.plot.node, ...(d > 1 ? [element('div', 'jp-convlab-note', `shown at 1/${d} resolution: each pixel is the mean of a ${d}×${d} block (${h}×${w} stored)`)] : []));
    await this.drawImage();
  }

  private async drawImage(): Promise<void> {
    const data = this.image;
    if (data === null || this.plot === null) return;
    const theme = plotTheme(this.node);
    const full = data.shape.slice(-2) as [number, number];
    await this.plot.draw([imageTrace(data, full)], {
      ...themedLayout(theme),
      uirevision: 'tensor',
      width: 400,
      height: 320,
      margin: { l: 40, r: 10, t: 10, b: 30 },
      xaxis: { ...themedAxis(theme), showgrid: false, zeroline: false, constrain: 'domain' },
      yaxis: { ...themedAxis(theme), showgrid: false, zeroline: false, autorange: 'reversed', scaleanchor: 'x', constrain: 'domain' },
    });
  }

  resize(): void {
    this.plot?.resize();
  }

  dispose(): void {
    this.stopWatchingTheme();
    this.plot?.dispose();
  }
}

/** The image trace of a tensor image: gray heatmap (1 channel) or RGB image (3 channels). */
export function imageTrace(data: TensorImage, fullSize: readonly [number, number]): Trace {
  const planes = decodePlanes(data.image);
  const [c, h, w] = planes.shape;
  const labels = blockLabels(h, w, planes.downsample, fullSize[0], fullSize[1]);
  const at = positionTemplate(labels);
  if (c === 1) {
    const [lo, hi] = planes.ranges[0]!;
    return {
      type: 'heatmap', z: planes.channels[0]!, colorscale: GREY, zmin: lo, zmax: hi, showscale: true,
      ...(labels === null ? {} : { text: labels }),
      hovertemplate: `${at}<br>value %{z:.4g}<extra></extra>`,
    };
  }
  return { type: 'image', z: rgbPixels(planes), ...(labels === null ? {} : { text: labels }), hovertemplate: `${at}<br>rgb %{z}<extra></extra>` };
}

/**
 * The values as a table: one row per last-axis slice (`[i, j, :]`), 1-D tensors (and tensors of
 * rank above {@link RENDER_LIMITS.tensorRank}) in rows of ten; at most
 * {@link RENDER_LIMITS.tensorValues} values.
 */
export function valuesTable(data: TensorValues): HTMLTableElement {
  const shape = data.shape;
  const oneDimensional = shape.length <= 1 || shape.length > RENDER_LIMITS.tensorRank;
  const values = data.values.slice(0, RENDER_LIMITS.tensorValues);
  const columns = Math.max(1, Math.min(RENDER_LIMITS.tensorValues, oneDimensional ? Math.min(VALUES_PER_ROW, values.length) : shape[shape.length - 1]!));
  const table = element('table', 'jp-convlab-table jp-convlab-values');
  const head = element('tr');
  head.append(element('th'), ...Array.from({ length: columns }, (_, j) => element('th', undefined, String(j))));
  table.createTHead().append(head);
  const body = table.createTBody();
  for (let start = 0; start < values.length; start += columns) {
    const row = element('tr');
    row.append(element('th', undefined, oneDimensional ? `[${start}]` : rowLabel(shape, start / columns)));
    for (const v of values.slice(start, start + columns)) row.append(valueCell(v));
    body.append(row);
  }
  return table;
}

/**
 * A tensor of rank 3 to {@link RENDER_LIMITS.tensorRank} as one small grid per 2-D slice (`[c, :, :]`,
 * `[n, c, :, :]`), like feature maps: values in cells shaded from the tensor's minimum (clear) to its
 * maximum (strong). (A higher rank would make every slice's label as long as the shape: those
 * tensors go to {@link valuesTable} in rows of ten.)
 */
export function valueGrids(data: TensorValues): HTMLElement {
  const shape = data.shape;
  const h = shape[shape.length - 2]!;
  const w = shape[shape.length - 1]!;
  const lo = finiteOrNull(data.stats.min);
  const hi = finiteOrNull(data.stats.max);
  const container = element('div', 'jp-convlab-tensor-grids');
  for (let start = 0; start + h * w <= data.values.length && h * w > 0; start += h * w) {
    const figure = element('figure', 'jp-convlab-tensor-grid');
    const leading: number[] = [];
    for (let axis = shape.length - 3, rest = start / (h * w); axis >= 0; axis--) {
      leading.unshift(rest % shape[axis]!);
      rest = Math.floor(rest / shape[axis]!);
    }
    const label = `[${[...leading, ':', ':'].join(', ')}]`;
    const table = element('table', 'jp-convlab-table jp-convlab-values');
    for (let y = 0; y < h; y++) {
      const row = element('tr');
      for (let x = 0; x < w; x++) {
        const v = data.values[start + y * w + x]!;
        const cell = valueCell(v);
        const f = finiteOrNull(v);
        if (f !== null && lo !== null && hi !== null && hi > lo) cell.style.setProperty('--jp-convlab-shade', ((f - lo) / (hi - lo)).toFixed(3));
        row.append(cell);
      }
      table.append(row);
    }
    figure.append(element('figcaption', undefined, label), table);
    container.append(figure);
  }
  return container;
}

function rowLabel(shape: readonly number[], row: number): string {
  const index: number[] = [];
  let rest = row;
  for (let axis = shape.length - 2; axis >= 0; axis--) {
    index.unshift(rest % shape[axis]!);
    rest = Math.floor(rest / shape[axis]!);
  }
  return `[${[...index, ':'].join(', ')}]`;
}

function valueCell(v: FloatValue): HTMLTableCellElement {
  return element('td', finiteOrNull(v) !== null ? undefined : 'jp-convlab-nonfinite', formatFloat(v));
}

function truncationNote(data: TensorValues): HTMLElement[] {
  const shown = Math.min(data.values.length, RENDER_LIMITS.tensorValues);
  if (!data.truncated && shown === data.values.length) return [];
  const total = data.shape.reduce((a, b) => a * b, 1);
  return [element('div', 'jp-convlab-note', `showing the first ${formatInteger(shown)} of ${formatInteger(total)} values`)];
}
