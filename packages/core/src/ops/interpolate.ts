import { recordOp } from '../autograd.js';
import { fail, formatShape } from '../errors.js';
import { resampleBackward, resampleForward, type AxisWeights } from '../kernels/dispatch.js';
import { checkOptions, opt } from '../options.js';
import { Tensor } from '../tensor.js';

/** Options of {@link interpolate} (PyTorch's `F.interpolate` keyword arguments, camelCase). */
export interface InterpolateOptions {
  /** Output size `[H_out, W_out]` (or one number for both); give this or `scaleFactor`. */
  readonly size?: number | readonly [number, number];
  /** Multiplier of H and W (one or per axis): `H_out = floor(H·scale)`. */
  readonly scaleFactor?: number | readonly [number, number];
  /** 'nearest' (default) or 'bilinear'. */
  readonly mode?: 'nearest' | 'bilinear';
  /** Bilinear only: the corner pixels of input and output are aligned (their centres coincide). Default false. */
  readonly alignCorners?: boolean;
}

/**
 * One axis's sampling, as PyTorch's upsample kernels: with `scale = 1/scaleFactor` when a scale
 * factor was given, else `n/out`: nearest reads `min(floor(i·scale), n − 1)`; bilinear reads at
 * `i·(n − 1)/(out − 1)` (alignCorners) or `max((i + 0.5)·scale − 0.5, 0)`.
 */
function axisWeights(n: number, out: number, scaleFactor: number | undefined, mode: 'nearest' | 'bilinear', alignCorners: boolean): AxisWeights {
  const scale = scaleFactor !== undefined ? 1 / scaleFactor : n / out;
  const i0 = new Int32Array(out);
  const i1 = new Int32Array(out);
  const lambda = new Float64Array(out);
  for (let i = 0; i < out; i++) {
    if (mode === 'nearest') {
      i0[i] = i1[i] = Math.min(Math.floor(i * scale), n - 1);
      continue;
    }
    const src = alignCorners ? (out > 1 ? (i * (n - 1)) / (out - 1) : 0) : Math.max((i + 0.5) * scale - 0.5, 0);
    const lo = Math.min(Math.floor(src), n - 1);
    i0[i] = lo;
    i1[i] = Math.min(lo + 1, n - 1);
    lambda[i] = src - lo;
  }
  return { i0, i1, lambda };
}

const pairOf = (v: number | readonly [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** The output size `[H_out, W_out]` and the scale factors to sample with (undefined when a size was given). */
export function interpolateSize(h: number, w: number, options: InterpolateOptions, where: string): { readonly size: [number, number]; readonly scales: [number | undefined, number | undefined] } {
  if ((options.size === undefined) === (options.scaleFactor === undefined)) fail(where, 'give exactly one of size and scaleFactor');
  if (options.size !== undefined) {
    const size = pairOf(options.size);
    if (size.some((d) => !Number.isInteger(d) || d < 1)) fail(where, `size must hold positive integers, got ${JSON.stringify(options.size)}`);
    return { size, scales: [undefined, undefined] };
  }
  const scales = pairOf(options.scaleFactor!);
  if (scales.some((s) => !(s > 0) || !Number.isFinite(s))) fail(where, `scaleFactor must be a finite number > 0 (or a pair of them), got ${JSON.stringify(options.scaleFactor)}`);
  const size: [number, number] = [Math.floor(h * scales[0]), Math.floor(w * scales[1])];
  if (size.some((d) => d < 1)) fail(where, `scaleFactor ${JSON.stringify(options.scaleFactor)} gives an empty output ${size.join('×')} for input ${h}×${w}`);
  return { size, scales };
}

/** Checks the options of {@link interpolate} and `Upsample`. */
export function checkInterpolateOptions(where: string, options: InterpolateOptions | undefined): InterpolateOptions {
  const o = checkOptions(where, options, {
    size: opt.either(opt.integer, opt.pair),
    scaleFactor: opt.pair,
    mode: opt.oneOf('nearest', 'bilinear'),
    alignCorners: opt.boolean,
  });
  if (o.alignCorners !== undefined && (o.mode ?? 'nearest') === 'nearest') fail(where, "alignCorners only applies to mode 'bilinear'");
  return o;
}

/**
 * Resizes the spatial dimensions of `x` `[N, C, H, W]` to `[N, C, H_out, W_out]`, like
 * `F.interpolate`: `'nearest'` copies the pixel at `floor(i·scale)`; `'bilinear'` mixes the four
 * pixels around the sampled point, `y = Σ (1 − λ)/λ weights per axis · x`. Backward sends each output
 * gradient to the pixels it was mixed from, with the same weights.
 * @example interpolate(scores, { size: [224, 224], mode: 'bilinear' }) // FCN: a score map back to the image's H×W
 */
export function interpolate(x: Tensor, options: InterpolateOptions, where = 'interpolate'): Tensor {
  const o = checkInterpolateOptions(where, options);
  if (x.rank !== 4) fail(where, `expected a 4-D input [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  if (h < 1 || w < 1) fail(where, `expected an input with non-empty H and W, got ${formatShape(x.shape)}`);
  const { size, scales } = interpolateSize(h, w, o, where);
  const [oh, ow] = size;
  if (x.isMeta) return new Tensor(null, [n, c, oh, ow]);
  const mode = o.mode ?? 'nearest';
  const rows = axisWeights(h, oh, scales[0], mode, o.alignCorners ?? false);
  const cols = axisWeights(w, ow, scales[1], mode, o.alignCorners ?? false);
  const resampling = { planes: n * c, h, w, rows, cols };
  const out = resampleForward(x.data, resampling);
  return recordOp(new Tensor(out, [n, c, oh, ow]), 'interpolate', [x], (g) => {
    const gx = resampleBackward(g, resampling);
    return [gx];
  });
}
