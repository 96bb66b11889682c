import {
  decodeBase64, describePlanes, finiteOrNull, formatFloatPlain, formatShapeList, planeLabel, viridis,
  type FloatValue, type TensorData, type TensorPlanes, type TensorValues,
} from '@convlab/display';
import { escapeHtml } from './html.js';
import { pngImg, planesImage, rasterPng, type Raster } from './png.js';

/** Shown at least this many CSS pixels on the longer side. */
const MIN_IMAGE_PX = 112;

/** `x: shape [2, 2] · min 1 · max 4 · mean 2.5` */
function caption(d: TensorData): string {
  const name = d.name === null ? 'tensor' : d.name;
  return `${name}: shape ${formatShapeList(d.shape)} · min ${formatFloatPlain(d.stats.min)} · max ${formatFloatPlain(d.stats.max)} · mean ${formatFloatPlain(d.stats.mean)}`;
}

/** Nested rows in row-major order: `[[1, 2],\n [3, 4]]`; a truncated tensor prints its first values flat. */
function nested(d: TensorValues): string {
  const cell = (v: FloatValue): string => formatFloatPlain(v, 6);
  if (d.truncated) return `[${d.values.map(cell).join(', ')}, … (${d.values.length} of ${d.shape.reduce((a, b) => a * b, 1)} values)]`;
  if (d.shape.length === 0) return cell(d.values[0]!);
  let k = 0;
  const build = (depth: number): string => {
    const n = d.shape[depth]!;
    if (depth === d.shape.length - 1) return `[${Array.from({ length: n }, () => cell(d.values[k++]!)).join(', ')}]`;
    const inner = Array.from({ length: n }, () => build(depth + 1));
    return `[${inner.join(`,${'\n'.repeat(d.shape.length - 1 - depth)}${' '.repeat(depth + 1)}`)}]`;
  };
  return build(0);
}

/** Planes drawn as characters in the text form; the HTML and the renderer show all stored ones. */
const TEXT_PLANES = 8;
/** Longest side of a plane drawn as characters (sampled beyond it). */
const TEXT_PLANE_SIDE = 32;
/** Characters from the scale's minimum to its maximum. */
const SHADES = ' .:-=+*#%@';

/** How the planes of a `planes` payload were reduced: `showing 64 of 192 planes (…) · 3×3 each · one scale -0.41 … 0.52`. */
function describeStored(d: TensorPlanes): string {
  const [k, h, w] = d.planes.shape;
  const down = d.planes.downsample > 1 ? `, block means of ${d.planes.downsample}×${d.planes.downsample}` : '';
  return `${describePlanes(d.shape, k)} · ${h}×${w} each${down} · one scale ${formatFloatPlain(d.planes.min[0]!)} … ${formatFloatPlain(d.planes.max[0]!)}`;
}

/** The first planes as character shades (` ` at the minimum … `@` at the maximum). */
function shadedPlanes(d: TensorPlanes): string {
  const [k, h, w] = d.planes.shape;
  const bytes = decodeBase64(d.planes.data);
  const step = Math.max(1, Math.ceil(Math.max(h, w) / TEXT_PLANE_SIDE));
  const blocks: string[] = [];
  for (let p = 0; p < Math.min(k, TEXT_PLANES); p++) {
    const rows: string[] = [planeLabel(d.shape, p)];
    for (let y = 0; y < h; y += step) {
      let row = '';
      for (let x = 0; x < w; x += step) row += SHADES[Math.round((bytes[(p * h + y) * w + x]! / 255) * (SHADES.length - 1))]!.repeat(2);
      rows.push(`|${row}|`);
    }
    blocks.push(rows.join('\n'));
  }
  const more = k > TEXT_PLANES ? [`(${k - TEXT_PLANES} more planes in the HTML and JupyterLab views)`] : [];
  return [`shades '${SHADES}' from min to max${step > 1 ? `, every ${step}th pixel` : ''}`, ...blocks, ...more].join('\n');
}

/** Caption line, then the values, the planes as character shades, or a note that the image is in the PNG. */
export function tensorText(d: TensorData): string {
  if (d.form === 'values') return `${caption(d)}\n${nested(d)}`;
  if (d.form === 'planes') return `${caption(d)}\n${describeStored(d)}\n${shadedPlanes(d)}`;
  return `${caption(d)} (shown as an image)`;
}

/** The tensor as a PNG of its image form, or null for the values form. */
export function tensorPng(d: TensorData): string | null {
  return d.form === 'image' ? rasterPng(planesImage(d.image)) : null;
}

/** Planes are drawn at least this many CSS pixels a side. */
const MIN_PLANE_PX = 56;
const FIGURE = 'margin:0;display:inline-block;vertical-align:top';
const LABEL = 'font-family:monospace;font-size:11px;color:#666';

/** Plane `p` as viridis pixels (RGB). */
function planeRaster(d: TensorPlanes, bytes: Uint8Array, p: number): Raster {
  const [, h, w] = d.planes.shape;
  const pixels = new Uint8Array(3 * h * w);
  for (let i = 0; i < h * w; i++) pixels.set(viridis(bytes[p * h * w + i]! / 255), 3 * i);
  return { width: w, height: h, channels: 3, pixels };
}

/** Every stored plane as a labelled viridis tile, then a colour bar with the scale's ends. */
function planesHtml(d: TensorPlanes): string {
  const e = escapeHtml;
  const [k, h, w] = d.planes.shape;
  const bytes = decodeBase64(d.planes.data);
  const scale = Math.max(1, Math.ceil(MIN_PLANE_PX / Math.max(h, w)));
  const tiles = Array.from({ length: k }, (_, p) => {
    const label = planeLabel(d.shape, p);
    return `<figure style="${FIGURE}"><figcaption style="${LABEL}">${e(label)}</figcaption>${pngImg(rasterPng(planeRaster(d, bytes, p)), w, h, scale, label)}</figure>`;
  }).join(' ');
  const bar = Array.from({ length: 64 }, (_, i) => viridis(i / 63));
  const barPng = rasterPng({ width: 64, height: 1, channels: 3, pixels: Uint8Array.from(bar.flat()) });
  const legend = `<div style="${LABEL};display:flex;align-items:center;gap:6px;margin-top:4px">value ${e(formatFloatPlain(d.planes.min[0]!))} <img ` +
    `src="data:image/png;base64,${barPng}" width="128" height="10" alt="colour scale" style="image-rendering:pixelated"> ${e(formatFloatPlain(d.planes.max[0]!))}</div>`;
  return `<div style="${LABEL}">${e(describeStored(d))}</div><div style="display:flex;flex-wrap:wrap;gap:6px">${tiles}</div>${legend}`;
}

/** Rank ≥ 3 values as one small table per 2-D slice, cells shaded from the tensor's minimum (clear) to its maximum. */
function valueGridsHtml(d: TensorValues): string {
  const e = escapeHtml;
  const h = d.shape[d.shape.length - 2]!, w = d.shape[d.shape.length - 1]!;
  const lo = finiteOrNull(d.stats.min), hi = finiteOrNull(d.stats.max);
  const shade = (v: FloatValue): string => {
    const x = finiteOrNull(v);
    return x === null || lo === null || hi === null || hi <= lo ? '' : `background:rgba(31,119,180,${(0.6 * (x - lo) / (hi - lo)).toFixed(2)});`;
  };
  const td = 'padding:1px 6px;text-align:right;border:1px solid #ddd;';
  const grids: string[] = [];
  for (let p = 0; (p + 1) * h * w <= d.values.length && h * w > 0; p++) {
    const rows = Array.from({ length: h }, (_, y) =>
      `<tr>${d.values.slice(p * h * w + y * w, p * h * w + (y + 1) * w).map((v) => `<td style="${td}${shade(v)}">${e(formatFloatPlain(v, 4))}</td>`).join('')}</tr>`).join('');
    grids.push(`<figure style="${FIGURE}"><figcaption style="${LABEL}">${e(planeLabel(d.shape, p))}</figcaption><table ` +
      `style="border-collapse:collapse;font-family:monospace;font-size:12px">${rows}</table></figure>`);
  }
  return `<div style="display:flex;flex-wrap:wrap;gap:10px">${grids.join('')}</div>`;
}

/** Image form: the picture; planes: labelled heatmaps; values: a grid for 1-D/2-D tensors, a grid per 2-D slice above, the nested text when truncated. */
export function tensorHtml(d: TensorData): string {
  const e = escapeHtml;
  const head = `<div style="font-family:monospace;font-size:12px">${e(caption(d))}</div>`;
  if (d.form === 'planes') return `<div class="convlab-tensor">${head}${planesHtml(d)}</div>`;
  if (d.form === 'image') {
    const img = planesImage(d.image);
    const scale = Math.max(1, Math.ceil(MIN_IMAGE_PX / Math.max(img.width, img.height)));
    return `<div class="convlab-tensor">${head}${pngImg(rasterPng(img), img.width, img.height, scale, d.name ?? 'tensor')}</div>`;
  }
  if (!d.truncated && (d.shape.length === 1 || d.shape.length === 2)) {
    const cols = d.shape[d.shape.length - 1]!;
    const rows = d.shape.length === 1 ? 1 : d.shape[0]!;
    const td = 'padding:1px 6px;text-align:right;border:1px solid #ddd';
    const body = Array.from({ length: rows }, (_, r) =>
      `<tr>${d.values.slice(r * cols, (r + 1) * cols).map((v) => `<td style="${td}">${e(formatFloatPlain(v, 6))}</td>`).join('')}</tr>`).join('');
    return `<div class="convlab-tensor">${head}<table style="border-collapse:collapse;font-family:monospace;font-size:12px">${body}</table></div>`;
  }
  if (!d.truncated && d.shape.length >= 3) return `<div class="convlab-tensor">${head}${valueGridsHtml(d)}</div>`;
  return `<div class="convlab-tensor">${head}<pre style="margin:0">${e(nested(d))}</pre></div>`;
}
