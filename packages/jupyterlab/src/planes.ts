import { decodeBase64, dequantize, type QuantizedPlanes } from '@convlab/display';

/** Quantized planes decoded once: values per channel as rows, and each channel's value range. */
export interface DecodedPlanes {
  readonly shape: readonly [number, number, number];
  readonly downsample: number;
  /** `channels[k][y][x]`: the dequantized value of stored pixel `(y, x)` of channel `k`. */
  readonly channels: readonly (readonly (readonly number[])[])[];
  /** Per channel, the smallest and largest stored value. */
  readonly ranges: readonly (readonly [number, number])[];
}

/** Decodes `planes` (see QuantizedPlanes in @convlab/display). */
export function decodePlanes(planes: QuantizedPlanes): DecodedPlanes {
  const bytes = decodeBase64(planes.data);
  const [c, h, w] = planes.shape;
  const channels: number[][][] = [];
  const ranges: [number, number][] = [];
  for (let k = 0; k < c; k++) {
    const rows: number[][] = [];
    let lo = Infinity, hi = -Infinity;
    for (let y = 0; y < h; y++) {
      const row: number[] = new Array<number>(w);
      for (let x = 0; x < w; x++) {
        const v = dequantize(planes, k, bytes[(k * h + y) * w + x]!);
        row[x] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      rows.push(row);
    }
    channels.push(rows);
    ranges.push([lo, hi]);
  }
  return { shape: planes.shape, downsample: planes.downsample, channels, ranges };
}

/** The smallest and largest value over the given channels. */
export function overallRange(planes: DecodedPlanes, channels: readonly number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const k of channels) {
    const [a, b] = planes.ranges[k]!;
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  return [lo, hi];
}

/**
 * A 3-channel image as `[y][x][r, g, b]` bytes for display: all channels share one linear map from
 * the overall value range to 0–255, so colors keep their balance.
 */
export function rgbPixels(planes: DecodedPlanes): number[][][] {
  const [lo, hi] = overallRange(planes, [0, 1, 2]);
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const [, h, w] = planes.shape;
  const out: number[][][] = [];
  for (let y = 0; y < h; y++) {
    const row: number[][] = [];
    for (let x = 0; x < w; x++) row.push([0, 1, 2].map((k) => Math.round((planes.channels[k]![y]![x]! - lo) * scale)));
    out.push(row);
  }
  return out;
}
