import { decodeBase64, dequantize, formatFloat, type FiltersData } from '@convlab/display';
import { bmpDataUrl } from '../bitmap.js';
import { element } from '../dom.js';
import type { View } from './view.js';

/** Displayed side of one kernel tile, in CSS pixels (kernels are a few pixels: enlarged, crisp); half past 16 rows. */
export const TILE_SIDE = 40;

/** Filters per row when each is one image (RGB or a single input channel). */
const PER_ROW = 16;

/** Pixels between tiles, and their color: mid gray, visible on both ends of the diverging scale and on both themes. */
const GAP = 2;
const GAP_RGB: [number, number, number] = [150, 150, 150];

/** Diverging blue → white → red for a byte 0–255 (128 ≈ weight 0): ColorBrewer's RdBu ends. */
export function diverging(q: number): [number, number, number] {
  const lo = [33, 102, 172], mid = [247, 247, 247], hi = [178, 24, 43];
  const t = q / 255;
  const [a, b, u] = t < 0.5 ? [lo, mid, t / 0.5] : [mid, hi, (t - 0.5) / 0.5];
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * u)) as [number, number, number];
}

/** Black → red → yellow → white (the attribution maps' ramp) for a norm's byte. */
function heat(q: number): [number, number, number] {
  const t = q / 255;
  const ramp = (x: number): number => Math.round(255 * Math.min(1, Math.max(0, x)));
  return [ramp(3 * t), ramp(3 * t - 1), ramp(3 * t - 2)];
}

/**
 * A conv layer's filters: `channels` as a grid of kernel tiles (rows: filters, columns: input
 * channels) on one diverging scale symmetric about 0; `rgb` as one color image per filter; `norms`
 * as a heat map of ‖kernel‖₂ per filter × input channel. Hovering a weight or cell names it and its value.
 */
export class FiltersView implements View<FiltersData> {
  readonly node = element('div', 'jp-convlab-filters');

  render(d: FiltersData): Promise<void> {
    const [out, inC, kh, kw] = d.weightShape;
    const bytes = decodeBase64(d.planes.data);
    const status = element('div', 'jp-convlab-filters-status', d.mode === 'norms' ? 'Hover a cell for its kernel norm.' : 'Hover a kernel for its weights.');
    const caption = element('div', 'jp-convlab-filters-caption',
      `${d.layer} · ${out} filters of ${inC}×${kh}×${kw} · weights ${formatFloat(d.min)} … ${formatFloat(d.max)} · showing ${describe(d)}`);
    const grid = d.mode === 'norms' ? this.norms(d, bytes, status) : this.tiles(d, bytes, status);
    this.node.replaceChildren(caption, legend(d), grid, status);
    return Promise.resolve();
  }

  /**
   * Every kernel in ONE image (tiles a source pixel apart on gray; thousands of tiles stay one
   * element), labelled by filter (rows) and input channel (columns); hovering names the weight.
   */
  private tiles(d: FiltersData, bytes: Uint8Array, status: HTMLElement): HTMLElement {
    const [, , kh, kw] = d.weightShape;
    const rgb = d.mode === 'rgb';
    const count = d.outputs.length;
    // One image per filter (RGB, or a single input channel): filters in rows of 16; else filter × input channel.
    const flat = rgb || d.inputs.length === 1;
    const planesPerTile = rgb ? 3 : 1;
    const cols = flat ? Math.min(count, PER_ROW) : d.inputs.length;
    const rows = flat ? Math.ceil(count / cols) : count;
    const scale = Math.max(1, Math.floor((rows > 16 ? TILE_SIDE / 2 : TILE_SIDE) / Math.max(kh, kw)));
    const plane = kh * kw;
    // Drawn at display size (each weight a scale×scale block, tiles GAP pixels apart), shown 1:1.
    const pitch = kw * scale + GAP, rowPitch = kh * scale + GAP;
    const width = cols * pitch - GAP, height = rows * rowPitch - GAP;
    /** The tile at (row, col) as the index of its first plane, or null past the last RGB filter. */
    const planeOf = (r: number, c: number): number | null => (flat ? (r * cols + c < count ? planesPerTile * (r * cols + c) : null) : r * cols + c);
    /** The weight under display pixel (x, y): its tile's first plane and its kernel row/col, or null on a gap. */
    const weightAt = (x: number, y: number): { p: number; r: number; c: number; ty: number; tx: number } | null => {
      const r = Math.floor(y / rowPitch), c = Math.floor(x / pitch);
      const tx = Math.floor((x % pitch) / scale), ty = Math.floor((y % rowPitch) / scale);
      const p = r < rows && c < cols && tx < kw && ty < kh ? planeOf(r, c) : null;
      return p === null ? null : { p, r, c, ty, tx };
    };
    const img = element('img', 'jp-convlab-filters-grid-image');
    img.src = bmpDataUrl(width, height, (x, y) => {
      const w = weightAt(x, y);
      if (w === null) return GAP_RGB;
      const at = w.ty * kw + w.tx;
      return rgb ? [bytes[w.p * plane + at]!, bytes[(w.p + 1) * plane + at]!, bytes[(w.p + 2) * plane + at]!] : diverging(bytes[w.p * plane + at]!);
    });
    img.width = width;
    img.height = height;
    img.alt = rgb ? `${count} filters of ${d.layer} as color images` : `${count} filters × ${cols} input channels of ${d.layer}`;
    img.addEventListener('mousemove', (event) => {
      const w = weightAt(Math.floor(event.offsetX), Math.floor(event.offsetY));
      if (w === null) return;
      const value = (q: number): string => formatFloat(dequantize(d.planes, q, bytes[q * plane + w.ty * kw + w.tx]!));
      const o = d.outputs[flat ? w.p / planesPerTile : w.r]!;
      status.textContent = rgb
        ? `filter ${o}, row ${w.ty}, col ${w.tx}: weights ≈ R ${value(w.p)}, G ${value(w.p + 1)}, B ${value(w.p + 2)}`
        : `filter ${o}, input channel ${d.inputs[flat ? 0 : w.c]}, row ${w.ty}, col ${w.tx}: weight ≈ ${value(w.p)}`;
    });
    const grid = element('div', 'jp-convlab-filters-grid');
    grid.style.gridTemplateColumns = `auto repeat(${cols}, ${pitch}px)`;
    grid.style.gridTemplateRows = `auto repeat(${rows}, ${rowPitch}px)`;
    const label = (text: string, row: number, col: number, className: string): HTMLElement => {
      const node = element('span', className, text);
      node.style.gridRow = String(row);
      node.style.gridColumn = String(col);
      return node;
    };
    grid.append(label(flat ? 'filters' : 'filter ↓ input →', 1, 1, 'jp-convlab-filters-corner'));
    if (flat) for (let c = 0; c < cols; c++) grid.append(label(rows === 1 ? String(d.outputs[c]) : `+${c}`, 1, c + 2, 'jp-convlab-filters-col'));
    else d.inputs.forEach((i, c) => grid.append(label(String(i), 1, c + 2, 'jp-convlab-filters-col')));
    for (let r = 0; r < rows; r++) {
      const first = d.outputs[r * cols], last = d.outputs[Math.min(count, (r + 1) * cols) - 1];
      grid.append(label(!flat ? String(d.outputs[r]) : rows === 1 ? '' : `${first}–${last}`, r + 2, 1, 'jp-convlab-filters-row-label'));
    }
    img.style.gridRow = `2 / span ${rows}`;
    img.style.gridColumn = `2 / span ${cols}`;
    grid.append(img);
    return grid;
  }

  private norms(d: FiltersData, bytes: Uint8Array, status: HTMLElement): HTMLElement {
    const rows = d.outputs.length, cols = d.inputs.length;
    const cell = Math.max(2, Math.min(16, Math.floor(480 / Math.max(rows, cols))));
    const img = element('img', 'jp-convlab-filters-norms');
    img.src = bmpDataUrl(cols, rows, (x, y) => heat(bytes[y * cols + x]!));
    img.width = cols * cell;
    img.height = rows * cell;
    img.alt = `kernel norms of ${rows} filters × ${cols} input channels`;
    img.addEventListener('mousemove', (event) => {
      const k = Math.min(rows - 1, Math.max(0, Math.floor(event.offsetY / cell)));
      const m = Math.min(cols - 1, Math.max(0, Math.floor(event.offsetX / cell)));
      status.textContent = `filter ${d.outputs[k]}, input channel ${d.inputs[m]}: ‖kernel‖₂ ≈ ${formatFloat(dequantize(d.planes, 0, bytes[k * cols + m]!))}`;
    });
    const box = element('div', 'jp-convlab-filters-norms-box');
    box.append(element('div', 'jp-convlab-filters-axis', `input channels ${d.inputs[0]}…${d.inputs[cols - 1]} →`), img,
      element('div', 'jp-convlab-filters-axis', `↑ rows: filters ${d.outputs[0]}…${d.outputs[rows - 1]}`));
    return box;
  }

  resize(): void {}

  dispose(): void {}
}

function describe(d: FiltersData): string {
  if (d.mode === 'rgb') return `${d.outputs.length} filters as RGB images`;
  if (d.mode === 'channels') return `${d.outputs.length} filters × ${d.inputs.length} input channel${d.inputs.length === 1 ? '' : 's'}`;
  return `‖kernel‖₂ of ${d.outputs.length} filters × ${d.inputs.length} input channels`;
}

/** The color scale: a gradient with its end values. */
function legend(d: FiltersData): HTMLElement {
  const node = element('div', 'jp-convlab-filters-legend');
  if (d.mode === 'rgb') {
    node.textContent = `each color channel: weight ${formatFloat(d.planes.min[0]!)} → 0, 0 → 128 (gray), ${formatFloat(d.planes.max[0]!)} → 255`;
    return node;
  }
  const bar = element('span', `jp-convlab-filters-bar jp-convlab-filters-bar-${d.mode === 'norms' ? 'heat' : 'diverging'}`);
  const lo = d.planes.min[0]!, hi = d.planes.max[0]!;
  node.append(element('span', undefined, formatFloat(lo)), bar, element('span', undefined, formatFloat(hi)),
    element('span', 'jp-convlab-filters-legend-note', d.mode === 'norms' ? '‖kernel‖₂' : 'weight (white = 0)'));
  return node;
}
