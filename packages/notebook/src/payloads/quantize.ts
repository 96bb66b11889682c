import { checkOptions, opt } from '@convlab/core';
import type { QuantizedPlanes } from '@convlab/display';

/** Options of {@link quantizePlanes}. */
export interface QuantizeOptions {
  /** Channel indices to keep, in order (default all). */
  readonly channels?: readonly number[];
  /** Spatial block-mean factor (default 1 = full size). */
  readonly downsample?: number;
  /** One value range for all channels (`'layer'`, default) or one per channel. */
  readonly range?: 'layer' | 'channel';
  /** A fixed `[min, max]` for every channel instead of the data's range (values outside clip). */
  readonly bounds?: readonly [number, number];
}

/**
 * The smallest integer factor that brings the longer side of an `h×w` map to at most `maxSide`:
 * `ceil(max(h, w) / maxSide)`, e.g. 224×224 with maxSide 56 → 4.
 */
export function downsampleFactor(h: number, w: number, maxSide: number): number {
  return Math.max(1, Math.ceil(Math.max(h, w) / maxSide));
}

/**
 * Quantizes `[C, H, W]` float planes (row-major `values`) to uint8 {@link QuantizedPlanes}: the
 * selected channels are block-averaged by `downsample` (stored size `ceil(H/f)×ceil(W/f)`, edge
 * blocks averaged over the pixels they have), then each value maps to
 * `round(255·(v − min)/(max − min))` with min/max over the stored finite values of the layer or of
 * each channel (or the fixed `bounds`, clipping). NaN and −Infinity store 0, +Infinity stores 255;
 * a constant range stores 0.
 */
export function quantizePlanes(values: Float32Array, shape: readonly [number, number, number], options: QuantizeOptions = {}): QuantizedPlanes {
  checkOptions('quantizePlanes', options, { channels: opt.numbers, downsample: opt.integer, range: opt.oneOf('layer', 'channel'), bounds: opt.numbers });
  const [c, h, w] = shape;
  const channels = options.channels ?? Array.from({ length: c }, (_, i) => i);
  const f = options.downsample ?? 1;
  const range = options.range ?? 'layer';
  const sh = Math.ceil(h / f), sw = Math.ceil(w / f);
  const plane = sh * sw;
  const means = new Float64Array(channels.length * plane);
  channels.forEach((ch, k) => blockMean(values, ch * h * w, h, w, f, means, k * plane));

  const fixed = options.bounds === undefined ? null : ([options.bounds[0], options.bounds[1]] as [number, number]);
  const ranges = fixed !== null
    ? (range === 'layer' ? [fixed] : channels.map(() => fixed))
    : range === 'layer' ? [finiteRange(means, 0, means.length)] : channels.map((_, k) => finiteRange(means, k * plane, plane));
  const bytes = new Uint8Array(means.length);
  for (let k = 0; k < channels.length; k++) {
    const [lo, hi] = ranges[range === 'layer' ? 0 : k]!;
    const scale = hi > lo ? 255 / (hi - lo) : 0;
    for (let i = k * plane; i < (k + 1) * plane; i++) {
      const v = means[i]!;
      bytes[i] = v === Infinity ? 255 : Number.isFinite(v) ? Math.min(255, Math.max(0, Math.round((v - lo) * scale))) : 0;
    }
  }
  return {
    shape: [channels.length, sh, sw],
    downsample: f,
    encoding: 'uint8-base64',
    data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64'),
    range,
    min: ranges.map(([lo]) => lo),
    max: ranges.map(([, hi]) => hi),
  };
}

/** Block means of one `h×w` plane starting at `src[offset]`, written to `out[at…]`. */
function blockMean(src: Float32Array, offset: number, h: number, w: number, f: number, out: Float64Array, at: number): void {
  if (f === 1) {
    for (let i = 0; i < h * w; i++) out[at + i] = src[offset + i]!;
    return;
  }
  const sh = Math.ceil(h / f), sw = Math.ceil(w / f);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      let sum = 0, n = 0;
      for (let yy = y * f; yy < Math.min(h, y * f + f); yy++) {
        for (let xx = x * f; xx < Math.min(w, x * f + f); xx++) { sum += src[offset + yy * w + xx]!; n++; }
      }
      out[at + y * sw + x] = sum / n;
    }
  }
}

/** [min, max] of the finite values in `a[start … start+length)`, or [0, 0] if there are none. */
function finiteRange(a: Float64Array, start: number, length: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = start; i < start + length; i++) {
    const v = a[i]!;
    if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}
