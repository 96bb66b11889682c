import { formatReceptiveFieldCell, formatShapeList, type ChannelSelection, type FeatureMapLayer, type FeatureMapsData } from '@convlab/display';
import { escapeHtml } from './html.js';
import { pngImg, planesGrid, planesImage, rasterPng } from './png.js';

/** Tiles per row in the HTML grid. */
const GRID_COLUMNS = 16;
/** Small maps are drawn at least this many CSS pixels a side. */
const MIN_TILE_PX = 28;

/** `channels 0–63 of 512 (page 1/8)` or `channels 0, 5, 9 of 64`. */
export function describeChannels(c: ChannelSelection): string {
  const inc = c.included;
  const list = c.page !== null && inc.length > 1 ? `${inc[0]}–${inc[inc.length - 1]}` : inc.join(', ');
  const page = c.page === null ? '' : ` (page ${c.page.index + 1}/${c.page.count})`;
  return `channel${inc.length === 1 ? '' : 's'} ${list} of ${c.total}${page}`;
}

function describeLayer(l: FeatureMapLayer): string {
  const down = l.maps.downsample > 1 ? `, downsampled ${l.maps.downsample}×` : '';
  return `${l.name} ${l.type} ${formatShapeList(l.shape)}: ${describeChannels(l.channels)}${down}, receptive field ${formatReceptiveFieldCell(l.receptiveField, false)}`;
}

/** The stated caps, e.g. `caps: 64 channels per layer, 56 px per side, 1048576 bytes`. */
function describeLimits(d: FeatureMapsData): string {
  return `caps: ${d.limits.maxChannels} channels per layer, ${d.limits.maxSide} px per side, ${d.limits.maxBytes} bytes in all`;
}

/** One line per layer: what is shown and how it was reduced. */
export function featureMapsText(d: FeatureMapsData): string {
  return [
    `Feature maps for input ${formatShapeList(d.input.shape)} (${describeLimits(d)})`,
    ...d.layers.map((l) => `  ${describeLayer(l)}`),
  ].join('\n');
}

/** The input image, then each layer's channels as a grid of gray tiles (inline PNGs). */
export function featureMapsHtml(d: FeatureMapsData): string {
  const e = escapeHtml;
  const input = planesImage(d.input.image);
  const inputScale = Math.max(1, Math.ceil(MIN_TILE_PX * 2 / Math.max(input.width, input.height)));
  const layers = d.layers.map((l) => {
    const grid = planesGrid(l.maps, GRID_COLUMNS);
    const scale = Math.max(1, Math.ceil(MIN_TILE_PX / Math.max(l.maps.shape[1], l.maps.shape[2])));
    return `<figure style="margin:6px 0"><figcaption ` +
      `style="font-family:monospace;font-size:12px">${e(describeLayer(l))}</figcaption>${pngImg(rasterPng(grid), grid.width, grid.height, scale, `feature maps of ${l.name}`)}</figure>`;
  }).join('');
  return `<div class="convlab-featuremaps"><figure style="margin:6px 0"><figcaption style="font-family:monospace;font-size:12px">input ` +
    `${e(formatShapeList(d.input.shape))}</figcaption>${pngImg(rasterPng(input), input.width, input.height, inputScale, 'input image')}</figure>${layers}<div ` +
    `style="font-family:monospace;font-size:11px;color:#666">${e(describeLimits(d))}</div></div>`;
}
