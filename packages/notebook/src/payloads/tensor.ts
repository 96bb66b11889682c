import { ConvlabError, formatShape, opt, type OptionTypes, type Tensor } from '@convlab/core';
import { toFloatValue, type TensorData } from '@convlab/display';
import { downsampleFactor, quantizePlanes } from './quantize.js';

/** Most values a `values`-form tensor payload carries; larger tensors show their first 1,000. */
export const MAX_TENSOR_VALUES = 1000;

/** Longest stored side of a tensor shown as an image. */
export const TENSOR_IMAGE_MAX_SIDE = 256;

/** Most 2-D planes a `planes`-form payload carries (the first ones in row-major order). */
export const MAX_TENSOR_PLANES = 64;

/** Longest stored side of one plane of a `planes`-form payload (block means beyond it). */
export const TENSOR_PLANE_MAX_SIDE = 64;

/** Planes up to this side are shown as values when the whole tensor fits {@link MAX_TENSOR_VALUES}. */
export const VALUE_PLANE_MAX_SIDE = 16;

export interface TensorDisplayOptions {
  /** Caption, e.g. the variable's name. */
  readonly name?: string;
  /**
   * `'image'` or `'values'`; by default image-like tensors of at least 8×8 pixels are images, other
   * rank-3 and rank-4 tensors with more than {@link MAX_TENSOR_VALUES} values or planes wider than
   * {@link VALUE_PLANE_MAX_SIDE} are heatmaps of their planes, and the rest are values.
   */
  readonly as?: 'image' | 'values';
}

/** The option types of {@link TensorDisplayOptions}, for `checkOptions`. */
export const tensorDisplayOptionTypes: OptionTypes = { name: opt.string, as: opt.oneOf('image', 'values') };

/** `[C, H, W]` if `shape` is `[H,W]`, `[C,H,W]` or `[1,C,H,W]` with C = 1 or 3, else null. */
export function imageLike(shape: readonly number[]): [number, number, number] | null {
  const s = shape.length === 4 && shape[0] === 1 ? shape.slice(1) : shape.length === 2 ? [1, ...shape] : shape;
  return s.length === 3 && (s[0] === 1 || s[0] === 3) ? [s[0]!, s[1]!, s[2]!] : null;
}

/** Builds the `tensor` payload: an image, heatmaps of planes or values (see {@link TensorDisplayOptions.as}). */
export function tensorPayload(t: Tensor, options: TensorDisplayOptions = {}): TensorData {
  if (t.isMeta) throw new ConvlabError(`display: a meta tensor (shape ${formatShape(t.shape)}) has no values to show`);
  const v = t.data;
  let min = Infinity, max = -Infinity, sum = 0;
  for (let i = 0; i < v.length; i++) { const x = v[i]!; if (x < min) min = x; if (x > max) max = x; sum += x; }
  const stats = v.length === 0
    ? { min: toFloatValue(NaN), max: toFloatValue(NaN), mean: toFloatValue(NaN) }
    : { min: toFloatValue(v.some(Number.isNaN) ? NaN : min), max: toFloatValue(v.some(Number.isNaN) ? NaN : max), mean: toFloatValue(sum / v.length) };
  const common = { name: options.name ?? null, shape: [...t.shape], stats };
  const image = imageLike(t.shape);
  const asImage = options.as === 'image' || (options.as === undefined && image !== null && image[1] >= 8 && image[2] >= 8);
  if (asImage) {
    if (image === null) throw new ConvlabError(`display: a tensor of shape ${formatShape(t.shape)} is not an image (expected [H,W], [C,H,W] or [1,C,H,W] with 1 or 3 channels)`);
    const f = downsampleFactor(image[1], image[2], TENSOR_IMAGE_MAX_SIDE);
    return { ...common, form: 'image', image: quantizePlanes(v, image, { downsample: f, range: 'layer' }) };
  }
  const rank = t.shape.length;
  if (options.as === undefined && (rank === 3 || rank === 4) && v.length > 0) {
    const h = t.shape[rank - 2]!, w = t.shape[rank - 1]!;
    if (v.length > MAX_TENSOR_VALUES || Math.max(h, w) > VALUE_PLANE_MAX_SIDE) {
      const planes = Math.min(MAX_TENSOR_PLANES, v.length / (h * w));
      const channels = Array.from({ length: planes }, (_, k) => k);
      return { ...common, form: 'planes', planes: quantizePlanes(v, [v.length / (h * w), h, w], { channels, downsample: downsampleFactor(h, w, TENSOR_PLANE_MAX_SIDE), range: 'layer' }) };
    }
  }
  const n = Math.min(v.length, MAX_TENSOR_VALUES);
  return { ...common, form: 'values', values: Array.from(v.subarray(0, n), toFloatValue), truncated: n < v.length };
}
