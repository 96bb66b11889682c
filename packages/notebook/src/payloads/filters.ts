import { checkOptions, ConvlabError, opt, type ConvFilters } from '@convlab/core';
import { MAX_FILTER_TILES, MAX_NORM_CELLS, type FiltersData } from '@convlab/display';
import { quantizePlanes } from './quantize.js';

/** Options of {@link filtersPayload}. */
export interface FiltersPayloadOptions {
  /**
   * `'rgb'` (kernels of 3 input channels as color images), `'channels'` (a tile per output × input
   * channel) or `'norms'` (‖kernel[o][i]‖₂ as one heat map). Default: `'rgb'` for 3 input channels,
   * `'channels'` up to 16 input channels, else `'norms'`.
   */
  readonly mode?: 'rgb' | 'channels' | 'norms';
  /** Output channels to show. Default the first 64 (`'norms'`: the first 256). */
  readonly outputs?: readonly number[];
  /** Input channels to show (`'channels'`, `'norms'`). Default the first 16 (`'norms'`: the first 256). */
  readonly inputs?: readonly number[];
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function indices(where: string, name: string, given: readonly number[] | undefined, fallback: number[], limit: number): number[] {
  if (given === undefined) return fallback;
  const bad = given.find((v, i) => !Number.isInteger(v) || v < 0 || v >= limit || given.indexOf(v) !== i);
  if (given.length === 0 || bad !== undefined) throw new ConvlabError(`${where}: ${name} must be distinct channels in [0, ${limit - 1}], got [${given.join(', ')}]`);
  return [...given];
}

/**
 * The filter-grid payload of a conv layer's kernels (from `filters(model, layer)`): first layers
 * as RGB or gray kernel images, deeper ones per input channel or as kernel norms. Kernel tiles
 * share one color scale symmetric about 0, so every filter is comparable.
 * @example display(filtersPayload(filters(lenet, 'conv1')))
 * @example display(filtersPayload(filters(lenet, 'conv2'), { mode: 'norms' }))
 */
export function filtersPayload(f: ConvFilters, options: FiltersPayloadOptions = {}): { kind: 'filters'; data: FiltersData } {
  const where = `filtersPayload(layer '${f.layer}')`;
  checkOptions(where, options, { mode: opt.oneOf('rgb', 'channels', 'norms'), outputs: opt.numbers, inputs: opt.numbers });
  const [kh, kw] = f.kernelSize;
  const mode = options.mode ?? (f.rgb ? 'rgb' : f.inChannels <= 16 ? 'channels' : 'norms');
  if (mode === 'rgb' && !f.rgb) throw new ConvlabError(`${where}: mode 'rgb' needs kernels of 3 input channels, got ${f.inChannels}`);
  const norms = mode === 'norms';
  const outputs = indices(where, 'outputs', options.outputs, range(Math.min(f.outChannels, norms ? 256 : 64)), f.outChannels);
  const inputs = mode === 'rgb' ? [0, 1, 2] : indices(where, 'inputs', options.inputs, range(Math.min(f.inChannels, norms ? 256 : 16)), f.inChannels);
  const tiles = mode === 'rgb' ? outputs.length : outputs.length * inputs.length;
  const limit = norms ? MAX_NORM_CELLS : MAX_FILTER_TILES;
  if (tiles > limit) {
    throw new ConvlabError(`${where}: ${outputs.length} outputs × ${inputs.length} inputs are ${tiles} ${norms ? 'cells' : 'tiles'}, ` +
      `more than the ${limit} a filter ${norms ? 'norm map' : 'grid'} shows; pass fewer outputs or inputs`);
  }
  const plane = kh * kw;
  const kernel = (o: number, i: number): Float32Array => f.filters[o]!.data.subarray(i * plane, (i + 1) * plane);
  let planes;
  if (norms) {
    const values = Float32Array.from(outputs.flatMap((o) => inputs.map((i) => Math.hypot(...kernel(o, i)))));
    planes = quantizePlanes(values, [1, outputs.length, inputs.length], { bounds: [0, Math.max(...values, 0)] });
  } else {
    const values = new Float32Array(outputs.length * inputs.length * plane);
    let at = 0;
    for (const o of outputs) for (const i of inputs) { values.set(kernel(o, i), at); at += plane; }
    const m = Math.max(Math.abs(f.min), Math.abs(f.max));
    planes = quantizePlanes(values, [outputs.length * inputs.length, kh, kw], { bounds: [-m, m] });
  }
  return { kind: 'filters', data: { layer: f.layer, weightShape: [f.outChannels, f.inChannels, kh, kw], mode, outputs, inputs, min: f.min, max: f.max, planes } };
}
