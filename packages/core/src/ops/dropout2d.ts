import { recordOp } from '../autograd.js';
import { fail, formatShape } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor.js';

/**
 * Channel dropout, PyTorch's `dropout2d`: in training each whole channel `x[n, c]` of `[N, C, H, W]`
 * is kept with probability `1 − p` and scaled by `1/(1 − p)`, or zeroed (neighboring pixels are
 * correlated, so dropping single pixels regularises little). One uniform draw per (n, c) from
 * `generator`; channel kept when `u ≥ p`. Eval mode and `p = 0` return `x`. Backward: `dx = dy·mask/(1 − p)`.
 */
export function dropout2d(x: Tensor, p: number, training: boolean, generator: Generator = defaultGenerator()): Tensor {
  if (!(p >= 0 && p <= 1)) fail('dropout2d', `p must be a probability in [0, 1], got ${p}`);
  if (x.rank !== 4) fail('dropout2d', `expected a 4-D input [N, C, H, W], got shape ${formatShape(x.shape)}`);
  if (!training || p === 0) return x;
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const plane = h * w;
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const factor = new Float32Array(n * c);
  if (p < 1) for (let i = 0; i < factor.length; i++) factor[i] = generator.uniform() >= p ? scale : 0;
  const v = x.data;
  const y = new Float32Array(v.length);
  for (let i = 0; i < y.length; i++) y[i] = v[i]! * factor[Math.floor(i / plane)]!;
  return recordOp(new Tensor(y, x.shape), 'dropout2d', [x], (g) => [Float32Array.from(g, (d, i) => d * factor[Math.floor(i / plane)]!)]);
}
