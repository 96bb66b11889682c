import type { Checker } from './checker.js';
import { checkPlanes, type QuantizedPlanes } from './common.js';

/** Most kernel tiles (output × input channels shown; RGB: filters) a filter grid carries. */
export const MAX_FILTER_TILES = 1024;

/** Most cells (output × input channels) of a kernel-norm map. */
export const MAX_NORM_CELLS = 65_536;

/**
 * `application/vnd.convlab.filters.v1+json`: a trained conv layer's kernels (see `filters`).
 * - `rgb` (kernels of 3 input channels): one color image per output channel; `planes` is
 *   `[outputs·3, kH, kW]`, filter `outputs[k]`'s red, green and blue planes at `3k, 3k+1, 3k+2`;
 * - `channels`: one tile per output × input channel; `planes` is `[outputs·inputs, kH, kW]`,
 *   tile `(k, m)` (filter `outputs[k]`, input `inputs[m]`) at `k·inputs + m`;
 * - `norms` (deep layers): `planes` is `[1, outputs, inputs]`, cell `(k, m)` = ‖kernel[outputs[k]][inputs[m]]‖₂.
 * `rgb` and `channels` quantize on one range symmetric about 0 (`min = −max`), so byte 128 is ~0.
 */
export interface FiltersData {
  readonly layer: string;
  /** The layer's weight shape `[out, in / groups, kH, kW]`. */
  readonly weightShape: readonly [number, number, number, number];
  readonly mode: 'rgb' | 'channels' | 'norms';
  /** Output channels shown, in order. */
  readonly outputs: readonly number[];
  /** Input channels shown (`[0, 1, 2]` for `rgb`). */
  readonly inputs: readonly number[];
  /** Smallest and largest weight of the whole layer. */
  readonly min: number;
  readonly max: number;
  readonly planes: QuantizedPlanes;
}

/** Distinct integers in [0, limit), at least one. */
function checkIndices(c: Checker, path: string, value: unknown, limit: number): value is number[] {
  if (!c.integers(path, value, null)) return false;
  if (!c.require(path, value.length >= 1, 'expected at least one channel')) return false;
  const bad = value.findIndex((v, i) => v >= limit || value.indexOf(v) !== i);
  return bad < 0 || c.fail(`${path}[${bad}]`, `a new channel below ${limit}`, value[bad]);
}

export function checkFilters(c: Checker, path: string, value: unknown): value is FiltersData {
  if (!c.object(path, value)) return false;
  const mode = value['mode'];
  const ok = [
    c.string(`${path}.layer`, value['layer']), c.oneOf(`${path}.mode`, mode, ['rgb', 'channels', 'norms'] as const),
    c.number(`${path}.min`, value['min']), c.number(`${path}.max`, value['max']),
  ];
  const shapeOk = c.integers(`${path}.weightShape`, value['weightShape'], 4, 1);
  if (!shapeOk || !ok.every(Boolean)) return false;
  const [out, inC, kh, kw] = value['weightShape'] as [number, number, number, number];
  const outputs = value['outputs'];
  const inputs = value['inputs'];
  if (!checkIndices(c, `${path}.outputs`, outputs, out) || !checkIndices(c, `${path}.inputs`, inputs, inC)) return false;
  if (mode === 'rgb' && !c.require(`${path}.inputs`, inC === 3 && inputs.join() === '0,1,2', `expected [0,1,2] of a layer with 3 input channels, got [${inputs.join(',')}] of ${inC}`)) return false;
  const tiles = mode === 'rgb' ? outputs.length : outputs.length * inputs.length;
  const limit = mode === 'norms' ? MAX_NORM_CELLS : MAX_FILTER_TILES;
  const shows = `${limit} a filter ${mode === 'norms' ? 'norm map' : 'grid'} shows`;
  if (!c.require(path, tiles <= limit, `${tiles} ${mode === 'norms' ? 'cells are more than the' : 'tiles are more than the'} ${shows}`)) return false;
  const planes = value['planes'];
  if (!checkPlanes(c, `${path}.planes`, planes)) return false;
  const expected = mode === 'rgb' ? [3 * outputs.length, kh, kw] : mode === 'channels' ? [tiles, kh, kw] : [1, outputs.length, inputs.length];
  const got = (planes as QuantizedPlanes).shape;
  ok.push(c.require(`${path}.planes.shape`, expected.join() === got.join(), `expected [${expected.join(',')}] for mode '${mode}', got [${got.join(',')}]`));
  ok.push(c.require(`${path}.planes.downsample`, (planes as QuantizedPlanes).downsample === 1, 'expected 1 (kernels are shown at full size)'));
  ok.push(c.require(`${path}.min`, (value['min'] as number) <= (value['max'] as number), `${String(value['min'])} is above max ${String(value['max'])}`));
  return ok.every(Boolean);
}
