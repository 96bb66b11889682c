import { decodeBase64, type QuantisedPlanes } from '@convlab/display';

/**
 * A 1- or 3-channel quantised image as a `data:image/bmp` URL (24-bit, uncompressed), so that an
 * `<img>` shows it without a canvas. The stored bytes are the grey levels or RGB values.
 */
export function planesDataUrl(planes: QuantisedPlanes): string {
  const [c, h, w] = planes.shape;
  const bytes = decodeBase64(planes.data);
  const stride = Math.ceil((3 * w) / 4) * 4;
  const size = 54 + stride * h;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  view.setUint32(2, size, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, w, true);
  view.setInt32(22, h, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(34, stride * h, true);
  for (let y = 0; y < h; y++) {
    const row = 54 + (h - 1 - y) * stride;
    for (let x = 0; x < w; x++) {
      const at = (k: number): number => bytes[((c === 3 ? k : 0) * h + y) * w + x]!;
      out[row + 3 * x] = at(2);
      out[row + 3 * x + 1] = at(1);
      out[row + 3 * x + 2] = at(0);
    }
  }
  let binary = '';
  for (let i = 0; i < out.length; i += 0x8000) binary += String.fromCharCode(...out.subarray(i, i + 0x8000));
  return `data:image/bmp;base64,${btoa(binary)}`;
}
