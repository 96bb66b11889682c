import type { Checker } from './checker.js';

/**
 * A float that may be non-finite. JSON has no NaN or ±Infinity, so those are spelled as the
 * strings `"NaN"`, `"Infinity"` and `"-Infinity"`; every other value is a finite JSON number.
 */
export type FloatValue = number | 'NaN' | 'Infinity' | '-Infinity';

/** The JSON spelling of a float (see {@link FloatValue}). */
export function toFloatValue(x: number): FloatValue {
  if (Number.isFinite(x)) return x;
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Infinity' : '-Infinity';
}

/** The number a {@link FloatValue} stands for. */
export function fromFloatValue(v: FloatValue): number {
  return typeof v === 'number' ? v : Number(v);
}

/** The number a {@link FloatValue} stands for when it is finite, else null (a gap in a plot). */
export function finiteOrNull(v: FloatValue | null): number | null {
  if (v === null) return null;
  const x = fromFloatValue(v);
  return Number.isFinite(x) ? x : null;
}

/**
 * Where one output unit of a layer looks in the network's input, per axis `[height, width]`.
 * Unit `(i, j)` of the layer's output sees input rows
 * `i·stride[0] − padding[0] … i·stride[0] − padding[0] + size[0] − 1` (and likewise columns);
 * parts outside the image fall on padding. `stride` is the "jump": input pixels between
 * neighboring units.
 */
export interface ReceptiveField {
  readonly size: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
}

/**
 * Image-like planes stored compactly: uint8 quantization of `[channels, height, width]` values,
 * base64-encoded in channel-major, row-major order (`channels·height·width` bytes).
 * A byte `q` of channel `c` stands for `min[r] + q / 255 · (max[r] − min[r])` where `r` is 0 when
 * `range` is `'layer'` (one range for all channels) and `c` when `range` is `'channel'`.
 * When `min[r] === max[r]` every byte is 0 and stands for that value.
 */
export interface QuantizedPlanes {
  /** Stored shape `[channels, height, width]` (after channel selection and downsampling). */
  readonly shape: readonly [number, number, number];
  /**
   * Spatial reduction factor: stored pixel `(y, x)` is the mean of source pixels
   * `y·downsample … y·downsample + downsample − 1` (likewise `x`), clipped at the edge. 1 = full size.
   */
  readonly downsample: number;
  readonly encoding: 'uint8-base64';
  readonly data: string;
  readonly range: 'layer' | 'channel';
  /** Length 1 (`range: 'layer'`) or `shape[0]` (`range: 'channel'`). Finite. */
  readonly min: readonly number[];
  readonly max: readonly number[];
}

export function checkPair(c: Checker, path: string, value: unknown, min: number): boolean {
  return c.integers(path, value, 2, min);
}

export function checkReceptiveField(c: Checker, path: string, value: unknown): value is ReceptiveField {
  if (!c.object(path, value)) return false;
  const ok = [checkPair(c, `${path}.size`, value['size'], 1), checkPair(c, `${path}.stride`, value['stride'], 1), checkPair(c, `${path}.padding`, value['padding'], 0)];
  return ok.every(Boolean);
}

/** Characters a base64 string may contain (standard alphabet, `=` padding). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function checkPlanes(c: Checker, path: string, value: unknown): value is QuantizedPlanes {
  if (!c.object(path, value)) return false;
  const shapeOk = c.integers(`${path}.shape`, value['shape'], 3, 1);
  const ok = [
    shapeOk,
    c.integer(`${path}.downsample`, value['downsample'], 1),
    c.oneOf(`${path}.encoding`, value['encoding'], ['uint8-base64'] as const),
    c.oneOf(`${path}.range`, value['range'], ['layer', 'channel'] as const),
  ];
  const data = value['data'];
  if (c.string(`${path}.data`, data)) {
    if (!BASE64.test(data) || data.length % 4 !== 0) ok.push(c.fail(`${path}.data`, 'base64 text', data));
    else if (shapeOk) {
      const [ch, h, w] = value['shape'] as [number, number, number];
      const bytes = ch * h * w;
      ok.push(c.require(`${path}.data`, decodedLength(data) === bytes, `expected ${bytes} bytes for shape [${ch},${h},${w}], got ${decodedLength(data)}`));
    }
  } else ok.push(false);
  const rangeLength = value['range'] === 'channel' && shapeOk ? (value['shape'] as number[])[0] as number : 1;
  for (const key of ['min', 'max'] as const) {
    const v = value[key];
    if (!c.array(`${path}.${key}`, v)) { ok.push(false); continue; }
    ok.push(c.require(`${path}.${key}`, v.length === rangeLength, `expected ${rangeLength} value${rangeLength === 1 ? '' : 's'} (range '${String(value['range'])}'), got ${v.length}`));
    v.forEach((x, i) => ok.push(c.number(`${path}.${key}[${i}]`, x)));
  }
  if (Array.isArray(value['min']) && Array.isArray(value['max'])) {
    const min = value['min'] as unknown[], max = value['max'] as unknown[];
    min.forEach((lo, i) => {
      const hi = max[i];
      if (typeof lo === 'number' && typeof hi === 'number') ok.push(c.require(`${path}.min[${i}]`, lo <= hi, `${lo} is above max ${hi}`));
    });
  }
  return ok.every(Boolean);
}

function decodedLength(base64: string): number {
  const pad = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - pad;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Decodes standard base64 (as in {@link QuantizedPlanes.data}) into bytes; works in browsers and Node. */
export function decodeBase64(text: string): Uint8Array {
  const out = new Uint8Array(decodedLength(text));
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n = (DECODE[text.charCodeAt(i)]! << 18) | (DECODE[text.charCodeAt(i + 1)]! << 12)
      | ((DECODE[text.charCodeAt(i + 2)]! & 63) << 6) | (DECODE[text.charCodeAt(i + 3)]! & 63);
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** The value of byte `q` in channel `channel` of `planes` (see {@link QuantizedPlanes}). */
export function dequantize(planes: QuantizedPlanes, channel: number, q: number): number {
  const r = planes.range === 'layer' ? 0 : channel;
  const lo = planes.min[r]!, hi = planes.max[r]!;
  return lo + (q / 255) * (hi - lo);
}
