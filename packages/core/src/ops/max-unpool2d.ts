import { recordOp } from '../autograd.js';
import { fail, formatShape } from '../errors.js';
import { checkOptions, opt } from '../options.js';
import { toPair, type IntPair } from '../shape/pair.js';
import { Tensor } from '../tensor.js';

/** Options of {@link maxUnpool2d}: the pooling's own, and optionally the size to restore. */
export interface MaxUnpool2dOptions {
  readonly kernelSize: IntPair;
  /** Default kernelSize. */
  readonly stride?: IntPair;
  /** Default 0. */
  readonly padding?: IntPair;
  /** `[H, W]` of the pooled input, when the default `(H_in − 1)·s − 2p + k` is not it (odd sizes). */
  readonly outputSize?: readonly [number, number];
}

/**
 * The partial inverse of max pooling, PyTorch's `max_unpool2d`: a zero map `[N, C, H_out, W_out]`
 * with each pooled value put back where {@link maxPool2dWithIndices} found it,
 * `y[n, c, indices[n, c, i, j]] = x[n, c, i, j]`, with `H_out = (H − 1)·s − 2p + k` unless `outputSize`
 * is given. Backward: `dx[n, c, i, j] = dy[n, c, indices[n, c, i, j]]`.
 * @example const [pooled, idx] = maxPool2dWithIndices(x, { kernelSize: 2 }); maxUnpool2d(pooled, idx, { kernelSize: 2 })
 */
export function maxUnpool2d(x: Tensor, indices: Tensor, options: MaxUnpool2dOptions, where = 'maxUnpool2d'): Tensor {
  checkOptions(where, options, { kernelSize: opt.pair, stride: opt.pair, padding: opt.pair, outputSize: opt.numbers });
  if (x.rank !== 4) fail(where, `expected a 4-D input [N, C, H, W], got shape ${formatShape(x.shape)}`);
  if (indices.shape.join() !== x.shape.join()) fail(where, `expected indices of the input's shape ${formatShape(x.shape)}, got ${formatShape(indices.shape)}`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const k = toPair(options.kernelSize, 'kernelSize', where, 1);
  const s = toPair(options.stride ?? options.kernelSize, 'stride', where, 1);
  const p = toPair(options.padding ?? 0, 'padding', where, 0);
  const defaultSize: [number, number] = [(h - 1) * s[0] - 2 * p[0] + k[0], (w - 1) * s[1] - 2 * p[1] + k[1]];
  const [oh, ow] = options.outputSize ?? defaultSize;
  for (const a of [0, 1] as const) {
    const size = a === 0 ? oh : ow;
    if (!Number.isInteger(size) || size < 1 || Math.abs(size - defaultSize[a]) >= s[a]) {
      fail(where, `outputSize ${JSON.stringify(options.outputSize)} must be within stride of the default ${defaultSize.join('×')} for input shape ${formatShape(x.shape)}`);
    }
  }
  const plane = oh * ow;
  const outShape = [n, c, oh, ow];
  if (x.isMeta) return new Tensor(null, outShape);
  const v = x.data;
  const idx = indices.data;
  const out = new Float32Array(n * c * plane);
  const target = new Int32Array(v.length);
  for (let q = 0; q < v.length; q++) {
    const at = idx[q]!;
    if (!Number.isInteger(at) || at < 0 || at >= plane) fail(where, `index ${at} at position ${q} lies outside the ${oh}×${ow} output plane`);
    target[q] = Math.floor(q / (h * w)) * plane + at;
    out[target[q]!] = v[q]!;
  }
  return recordOp(new Tensor(out, outShape), 'maxUnpool2d', [x], (g) => [Float32Array.from(target, (t) => g[t]!)]);
}
