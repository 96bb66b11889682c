import type { FeatureMapLayer } from '@convlab/display';
import { overallRange, type DecodedPlanes } from '../planes.js';
import type { HeatmapTrace, Layout, Trace } from '../plot/plotly.js';
import { blockLabels, positionTemplate } from '../plot/positions.js';
import type { PlotTheme } from '../plot/theme.js';
import { themedAxis, themedLayout } from '../plot/theme.js';
import type { PixelBox } from '../receptive-field.js';

/** Channels drawn at once per layer; wider layers page through them. */
export const CHANNELS_PER_PAGE = 16;
/** Most heatmaps per row of the grid. */
export const MAX_COLUMNS = 8;
/** Smallest side of one heatmap, in CSS pixels. */
export const MIN_CELL = 56;

export type ColorScale = 'shared' | 'channel';

/** A clicked cell: stored channel `k` of a layer, stored position `(row, col)`. */
export interface Selection {
  readonly layer: number;
  readonly k: number;
  readonly row: number;
  readonly col: number;
}

const COLORS = 'Viridis';

/** `x`, `x2`, `x3`, … (plotly's names of the i-th subplot's axes). */
export function axisName(axis: 'x' | 'y', i: number): string {
  return i === 0 ? axis : `${axis}${i + 1}`;
}

/** `xaxis`, `xaxis2`, … (the layout attribute of the i-th subplot's axis). */
function axisKey(axis: 'x' | 'y', i: number): string {
  return i === 0 ? `${axis}axis` : `${axis}axis${i + 1}`;
}

/** The stored channels (indices into the maps) on page `page`. */
export function pageChannels(planes: DecodedPlanes, page: number): number[] {
  const start = page * CHANNELS_PER_PAGE;
  return Array.from({ length: Math.max(0, Math.min(CHANNELS_PER_PAGE, planes.shape[0] - start)) }, (_, i) => start + i);
}

/** `4.2`, `-0.0031`: a colour-range end for channel titles. */
const rangeText = (v: number): string => String(Number(v.toPrecision(3)));

/**
 * One layer's page of channels as a grid of heatmaps (one subplot each, image orientation, square
 * pixels) with a color bar titled `value`. Shared scale: every channel on the layer's range.
 * Per channel: each channel stretched over its own range (stated in its title, `ch 2 · 0 to 5`;
 * the color bar runs from each channel's min to its max, the hover shows the real values).
 * `width` is the space available in CSS pixels; the height follows from it.
 */
export function layerFigure(
  layer: FeatureMapLayer, planes: DecodedPlanes, page: number, scale: ColorScale, theme: PlotTheme,
  width: number, selected: Selection | null, uirevision: string,
): { traces: HeatmapTrace[]; layout: Layout } {
  const channels = pageChannels(planes, page);
  const columns = Math.min(channels.length, MAX_COLUMNS);
  const rows = Math.ceil(channels.length / columns);
  const [, h, w] = planes.shape;
  const colorBar = 70;
  const cell = Math.max(MIN_CELL, Math.floor((width - colorBar) / columns));
  const labels = blockLabels(h, w, planes.downsample, layer.shape[1], layer.shape[2]);
  const traces = channels.map((k, i): HeatmapTrace => {
    const [lo, hi] = planes.ranges[k]!;
    const values = planes.channels[k]!;
    const span = hi > lo ? hi - lo : 1;
    return {
      type: 'heatmap', xaxis: axisName('x', i), yaxis: axisName('y', i), coloraxis: 'coloraxis',
      ...(scale === 'shared' ? { z: values } : { z: values.map((row) => row.map((v) => (v - lo) / span)), customdata: values }),
      ...(labels === null ? {} : { text: labels }),
      hovertemplate: `channel ${layer.channels.included[k]!}<br>${positionTemplate(labels)}<br>value %{${scale === 'shared' ? 'z' : 'customdata'}:.4g}<extra></extra>`,
    };
  });
  const layout: { [key: string]: unknown } = {
    ...themedLayout(theme),
    uirevision,
    height: Math.round(rows * (cell * (h / w) + 18) + 8),
    margin: { l: 4, r: 4 + colorBar, t: 18, b: 4 },
    grid: { rows, columns, pattern: 'independent', xgap: 0.08, ygap: 18 / (cell * (h / w) + 18) },
    annotations: channels.map((k, i) => ({
      text: scale === 'shared' ? `ch ${layer.channels.included[k]!}` : `ch ${layer.channels.included[k]!} · ${rangeText(planes.ranges[k]![0])} ` +
        `to ${rangeText(planes.ranges[k]![1])}`, xref: `${axisName('x', i)} domain`, yref: `${axisName('y', i)} domain`,
      x: 0.5, y: 1, xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 11, color: theme.font },
    })),
    shapes: selected === null || !channels.includes(selected.k) ? [] : [unitShape(channels.indexOf(selected.k), selected, theme)],
  };
  const colorbar = { thickness: 10, outlinewidth: 0, tickfont: { color: theme.font }, title: { text: 'value', side: 'right', font: { color: theme.font } } };
  if (scale === 'shared') {
    const [lo, hi] = overallRange(planes, channels);
    layout['coloraxis'] = { colorscale: COLORS, cmin: lo, cmax: hi, colorbar };
  } else {
    layout['coloraxis'] = {
      colorscale: COLORS, cmin: 0, cmax: 1,
      colorbar: { ...colorbar, tickvals: [0, 1], ticktext: ['min', 'max'], title: { ...colorbar.title, text: 'value (each channel: min to max)' } },
    };
  }
  channels.forEach((_, i) => {
    layout[axisKey('x', i)] = { visible: false, constrain: 'domain' };
    layout[axisKey('y', i)] = { visible: false, autorange: 'reversed', scaleanchor: axisName('x', i), constrain: 'domain' };
  });
  return { traces, layout };
}

function unitShape(subplot: number, selected: Selection, theme: PlotTheme): Layout {
  return {
    type: 'rect', xref: axisName('x', subplot), yref: axisName('y', subplot),
    x0: selected.col - 0.5, x1: selected.col + 0.5, y0: selected.row - 0.5, y1: selected.row + 0.5,
    line: { color: theme.highlight, width: 2 },
  };
}

const GREY: readonly (readonly [number, string])[] = [[0, '#000000'], [1, '#ffffff']];

/**
 * The network input, in full-resolution pixel coordinates (a downsampled image is stretched over
 * the pixels it averages), with the receptive field `field` outlined.
 */
export function inputFigure(
  planes: DecodedPlanes, fullSize: readonly [number, number], rgb: readonly (readonly (readonly number[])[])[] | null,
  theme: PlotTheme, field: PixelBox | null,
): { traces: Trace[]; layout: Layout } {
  const [, h, w] = planes.shape;
  const d = planes.downsample;
  const labels = blockLabels(h, w, d, fullSize[0], fullSize[1]);
  const place = { x0: (d - 1) / 2, dx: d, y0: (d - 1) / 2, dy: d };
  const hover = `${positionTemplate(labels)}<br>`;
  const text = labels === null ? {} : { text: labels };
  const trace: Trace = rgb === null
    ? {
      type: 'heatmap', z: planes.channels[0]!, ...place, ...text, colorscale: GREY, zmin: planes.ranges[0]![0], zmax: planes.ranges[0]![1], showscale: false,
      hovertemplate: `${hover}value %{z:.4g}<extra></extra>`,
    }
    : { type: 'image', z: rgb, ...place, ...text, hovertemplate: `${hover}rgb %{z}<extra></extra>` };
  const axis = { ...themedAxis(theme), showgrid: false, zeroline: false, ticks: 'outside', ticklen: 3, constrain: 'domain' };
  return {
    traces: [trace],
    layout: {
      ...themedLayout(theme),
      uirevision: 'input',
      height: 260,
      margin: { l: 32, r: 8, t: 8, b: 24 },
      xaxis: { ...axis, range: [-0.5, fullSize[1] - 0.5] },
      yaxis: { ...axis, range: [fullSize[0] - 0.5, -0.5], scaleanchor: 'x' },
      shapes: field === null ? [] : [{
        type: 'rect', xref: 'x', yref: 'y',
        x0: field.left - 0.5, x1: field.right + 0.5, y0: field.top - 0.5, y1: field.bottom + 0.5,
        line: { color: theme.highlight, width: 2 },
      }],
    },
  };
}
