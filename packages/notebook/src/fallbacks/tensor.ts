import { formatFloatPlain, formatShapeList, type FloatValue, type TensorData, type TensorValues } from '@convlab/display';
import { escapeHtml } from './html.js';
import { pngImg, planesImage, rasterPng } from './png.js';

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

/** Caption line, then the values (or a note that the image is in the PNG). */
export function tensorText(d: TensorData): string {
  return d.form === 'values' ? `${caption(d)}\n${nested(d)}` : `${caption(d)} (shown as an image)`;
}

/** The tensor as a PNG of its image form, or null for the values form. */
export function tensorPng(d: TensorData): string | null {
  return d.form === 'image' ? rasterPng(planesImage(d.image)) : null;
}

/** Image form: the picture; values: a grid for 1-D/2-D tensors, else the nested text. */
export function tensorHtml(d: TensorData): string {
  const e = escapeHtml;
  const head = `<div style="font-family:monospace;font-size:12px">${e(caption(d))}</div>`;
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
  return `<div class="convlab-tensor">${head}<pre style="margin:0">${e(nested(d))}</pre></div>`;
}
