import { decodeBase64, viridis, type QuantizedPlanes } from '@convlab/display';

/**
 * A 1- or 3-channel quantized image as a `data:image/bmp` URL (24-bit, uncompressed), so that an
 * `<img>` shows it without a canvas. The stored bytes are the gray levels or RGB values.
 */
export function planesDataUrl(planes: QuantizedPlanes): string {
  const [c, h, w] = planes.shape;
  const bytes = decodeBase64(planes.data);
  const at = (k: number, x: number, y: number): number => bytes[((c === 3 ? k : 0) * h + y) * w + x]!;
  return bmpDataUrl(w, h, (x, y) => [at(0, x, y), at(1, x, y), at(2, x, y)]);
}

/**
 * A one-channel quantized map as a heat-map `data:image/bmp` URL: black → red → yellow → white
 * as the stored byte rises (0 → 255).
 */
export function heatDataUrl(planes: QuantizedPlanes): string {
  const [, h, w] = planes.shape;
  const bytes = decodeBase64(planes.data);
  const ramp = (t: number): number => Math.round(255 * Math.min(1, Math.max(0, t)));
  return bmpDataUrl(w, h, (x, y) => {
    const t = bytes[y * w + x]! / 255;
    return [ramp(3 * t), ramp(3 * t - 1), ramp(3 * t - 2)];
  });
}

/** Plane `k` of quantized planes (bytes already decoded) as a viridis `data:image/bmp` URL: the stored byte 0 → 255 along the colour map. */
export function viridisDataUrl(planes: QuantizedPlanes, bytes: Uint8Array, k: number): string {
  const [, h, w] = planes.shape;
  return bmpDataUrl(w, h, (x, y) => viridis(bytes[(k * h + y) * w + x]! / 255));
}

/** A `width×height` 24-bit BMP `data:` URL of `rgb(x, y)` (0–255 each). */
export function bmpDataUrl(width: number, height: number, rgb: (x: number, y: number) => readonly [number, number, number]): string {
  const stride = Math.ceil((3 * width) / 4) * 4;
  const size = 54 + stride * height;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  view.setUint32(2, size, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(34, stride * height, true);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      out[row + 3 * x] = b;
      out[row + 3 * x + 1] = g;
      out[row + 3 * x + 2] = r;
    }
  }
  let binary = '';
  for (let i = 0; i < out.length; i += 0x8000) binary += String.fromCharCode(...out.subarray(i, i + 0x8000));
  return `data:image/bmp;base64,${btoa(binary)}`;
}
