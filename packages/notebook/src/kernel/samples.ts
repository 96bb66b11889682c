import { checkOptions, ConvlabError, opt, type ImageDataset } from '@convlab/core';
import type { MimeBundle } from '../bundle.js';
import { encodePng } from '../fallbacks/png.js';
import { escapeHtml } from '../fallbacks/html.js';

/** Options of {@link samples}. */
export interface SamplesOptions {
  /** Images shown. Default 10. */
  readonly count?: number;
  /** Classes to show, by name or label; default every class. Images are taken in dataset order, one class after another. */
  readonly classes?: readonly (string | number)[];
  /** Images per row. Default: as many as fit in about 700 px (5 for 28×28 images shown at 112 px). */
  readonly columns?: number;
}

/** On-screen pixels per image pixel: images are enlarged to about 112 px (28×28 → 4×, 32×32 → 4×, 64×64 → 2×). */
export function sampleScale(height: number, width: number): number {
  return Math.max(1, Math.round(112 / Math.max(height, width)));
}

/** One shown image: its index in the dataset, label, class name and PNG (already enlarged). */
export interface SampleCell {
  readonly index: number;
  readonly label: number;
  readonly className: string;
  readonly png: string;
  readonly width: number;
  readonly height: number;
}

/**
 * A grid of labelled images for {@link display}: HTML (PNG images enlarged pixel by pixel, so they
 * stay crisp in JupyterLab, on GitHub and in nbconvert) and a plain-text list.
 */
export class SampleGrid {
  constructor(readonly title: string, readonly cells: readonly SampleCell[], readonly columns: number) {}

  /** The MIME bundle `display` sends. */
  bundle(): MimeBundle {
    const rows: string[] = [];
    for (let r = 0; r < this.cells.length; r += this.columns) {
      const cells = this.cells.slice(r, r + this.columns).map((c) =>
        `<td style="padding:4px;text-align:center;vertical-align:top;border:none">` +
        `<img src="data:image/png;base64,${c.png}" width="${c.width}" height="${c.height}" style="max-width:none" alt="${escapeHtml(`${c.className} (image ${c.index})`)}">` +
        `<div style="font-size:13px;line-height:1.3">${escapeHtml(c.className)}</div>` +
        `<div style="font-size:11px;opacity:0.7">#${c.index} · label ${c.label}</div></td>`);
      rows.push(`<tr>${cells.join('')}</tr>`);
    }
    const html = `<div class="jp-convlab-samples"><div style="font-weight:600;margin:2px 4px">${escapeHtml(this.title)}</div>` +
      `<table style="border-collapse:collapse">${rows.join('')}</table></div>`;
    const text = `${this.title}\n${this.cells.map((c) => `#${c.index} ${c.className} (label ${c.label})`).join('\n')}`;
    return { 'text/html': html, 'text/plain': text };
  }
}

/** 8-bit grey or RGB pixels of image `index`, enlarged `scale` times by repeating pixels. */
function raster(dataset: ImageDataset, index: number, scale: number): { pixels: Uint8Array; channels: 1 | 3 } {
  const [c, h, w] = dataset.imageShape;
  const { image } = dataset.get(index);
  const x = image.data;
  let lo = 0;
  let hi = 1;
  if (!(dataset.pixels instanceof Uint8Array)) {
    lo = Infinity;
    hi = -Infinity;
    for (const v of x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!(hi > lo)) hi = lo + 1;
  }
  const channels = c === 3 ? 3 : 1;
  const sh = h * scale;
  const sw = w * scale;
  const out = new Uint8Array(sh * sw * channels);
  for (let y = 0; y < sh; y++) {
    for (let xx = 0; xx < sw; xx++) {
      for (let k = 0; k < channels; k++) {
        const v = x[(k * h + Math.floor(y / scale)) * w + Math.floor(xx / scale)]!;
        out[(y * sw + xx) * channels + k] = Math.round((255 * (v - lo)) / (hi - lo));
      }
    }
  }
  return { pixels: out, channels };
}

/**
 * Labelled images of a dataset for {@link display}: by default the first image of each class (ten
 * for Fashion-MNIST), each enlarged to about 112 px (4× for 28×28) with its class name, index and label.
 * Grey images show their first channel; three-channel images in colour.
 * @example display(samples(test, { count: 10 }))
 * @example display(samples(train, { count: 6, classes: ['Sneaker', 'Sandal'] }))
 */
export function samples(dataset: ImageDataset, options: SamplesOptions = {}): SampleGrid {
  checkOptions('samples', options, { count: opt.number, classes: opt.array, columns: opt.number });
  const count = options.count ?? 10;
  if (!Number.isInteger(count) || count < 1) throw new ConvlabError(`samples: count must be a positive integer, got ${count}`);
  const [, h, w] = dataset.imageShape;
  const scale = sampleScale(h, w);
  const columns = options.columns ?? Math.max(1, Math.floor(700 / (w * scale + 8)));
  if (!Number.isInteger(columns) || columns < 1) throw new ConvlabError(`samples: columns must be a positive integer, got ${columns}`);
  const names = dataset.classes;
  const labelOf = (cls: string | number): number => {
    const label = typeof cls === 'number' ? cls : names.indexOf(cls);
    const known = typeof cls === 'number' ? Number.isInteger(cls) && cls >= 0 && (names.length === 0 || cls < names.length) : label >= 0;
    if (!known) throw new ConvlabError(`samples: unknown class ${JSON.stringify(cls)}; the dataset's classes are ` +
      `${names.length > 0 ? names.map((n) => JSON.stringify(n)).join(', ') : 'unnamed (use labels)'}`);
    return label;
  };
  const wanted = options.classes === undefined ? null : options.classes.map(labelOf);
  const queues = new Map<number, number[]>((wanted ?? []).map((label) => [label, []]));
  // Round robin over the classes (in the order given, or of first appearance), in dataset order within each.
  const order: number[] = wanted === null ? [] : [...wanted];
  for (let i = 0; i < dataset.length; i++) {
    const label = dataset.labels[i]!;
    if (wanted !== null && !queues.has(label)) continue;
    if (!queues.has(label)) { queues.set(label, []); order.push(label); }
    const queue = queues.get(label)!;
    if (queue.length < count) queue.push(i);
  }
  const picked: number[] = [];
  for (let round = 0; picked.length < count; round++) {
    const before = picked.length;
    for (const label of order) {
      const index = queues.get(label)![round];
      if (index !== undefined && picked.length < count) picked.push(index);
    }
    if (picked.length === before) break;
  }
  if (picked.length === 0) throw new ConvlabError('samples: the dataset has no images of the chosen classes');
  const cells = picked.map((index): SampleCell => {
    const { label, className } = dataset.get(index);
    const { pixels, channels } = raster(dataset, index, scale);
    return { index, label, className, png: encodePng(w * scale, h * scale, channels, pixels), width: w * scale, height: h * scale };
  });
  const title = `${cells.length} image${cells.length === 1 ? '' : 's'} of ${dataset.length.toLocaleString('en-US')} (${dataset.imageShape.join('×')}, shown ${scale}× enlarged)`;
  return new SampleGrid(title, cells, columns);
}
