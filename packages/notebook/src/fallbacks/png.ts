import { PNG } from 'pngjs';
import { decodeBase64, type QuantizedPlanes } from '@convlab/display';
import { escapeHtml } from './html.js';

/**
 * Encodes 8-bit pixels as a PNG: `channels` 1 (gray, `width·height` bytes) or 3 (RGB,
 * interleaved). Returns the base64 text Jupyter expects under `image/png`.
 */
export function encodePng(width: number, height: number, channels: 1 | 3, pixels: Uint8Array): string {
  const colorType = channels === 1 ? 0 : 2;
  const png = new PNG({ width, height, colorType, inputColorType: colorType, inputHasAlpha: false });
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length);
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false }).toString('base64');
}

/** An `<img>` showing a base64 PNG, scaled by CSS without smoothing (small maps stay crisp). */
export function pngImg(base64: string, width: number, height: number, scale: number, alt: string): string {
  return `<img src="data:image/png;base64,${base64}" width="${width * scale}" height="${height * scale}" alt="${escapeHtml(alt)}" style="image-rendering:pixelated;image-rendering:crisp-edges">`;
}

/** Pixels of one image: `channels` 1 (gray) or 3 (RGB interleaved). */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly pixels: Uint8Array;
}

/** Planes with 1 or 3 channels as one gray or RGB image (the stored bytes, interleaved). */
export function planesImage(planes: QuantizedPlanes): Raster {
  const [c, h, w] = planes.shape;
  if (c !== 1 && c !== 3) throw new Error(`planesImage: expected 1 or 3 channels, got ${c}`);
  const bytes = decodeBase64(planes.data);
  if (c === 1) return { width: w, height: h, channels: 1, pixels: bytes };
  const pixels = new Uint8Array(3 * h * w);
  for (let i = 0; i < h * w; i++) for (let k = 0; k < 3; k++) pixels[3 * i + k] = bytes[k * h * w + i]!;
  return { width: w, height: h, channels: 3, pixels };
}

/** Gap between tiles of a {@link planesGrid}, in pixels, and its gray level. */
const GAP = 1;
const GAP_GREY = 255;

/**
 * Every channel of `planes` as a gray tile, laid out `columns` to a row with a 1-pixel white gap.
 * Tile `k` sits at row `floor(k / columns)`, column `k mod columns`.
 */
export function planesGrid(planes: QuantizedPlanes, columns: number): Raster {
  const [c, h, w] = planes.shape;
  const cols = Math.min(columns, c);
  const rows = Math.ceil(c / cols);
  const width = cols * w + (cols - 1) * GAP, height = rows * h + (rows - 1) * GAP;
  const pixels = new Uint8Array(width * height).fill(GAP_GREY);
  const bytes = decodeBase64(planes.data);
  for (let k = 0; k < c; k++) {
    const x0 = (k % cols) * (w + GAP), y0 = Math.floor(k / cols) * (h + GAP);
    for (let y = 0; y < h; y++) pixels.set(bytes.subarray(k * h * w + y * w, k * h * w + y * w + w), (y0 + y) * width + x0);
  }
  return { width, height, channels: 1, pixels };
}

/** A raster as base64 PNG. */
export function rasterPng(r: Raster): string {
  return encodePng(r.width, r.height, r.channels, r.pixels);
}
