import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { Tensor } from '../tensor.js';

/** Batch norm arguments (PyTorch's). */
export interface BatchNorm2dOptions {
  /** Normalise with the batch's statistics and update the running ones (true), or use the running ones. */
  readonly training: boolean;
  /** Running-average factor: `running = (1 − momentum)·running + momentum·batch`. Default 0.1. */
  readonly momentum?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  readonly eps?: number;
}

/**
 * Batch normalisation of `x` `[N, C, H, W]` per channel `c`, over its `m = N·H·W` values:
 * `y = (x − μ_c) / √(σ²_c + eps) · weight_c + bias_c` (weight and bias optional, `[C]` each).
 *
 * Training: `μ`, `σ²` are the batch mean and biased variance; `runningMean`/`runningVar` (if given)
 * are updated in place with `momentum`, the variance entering unbiased (`σ² · m/(m−1)`), exactly as
 * PyTorch does. Eval: `μ`, `σ²` are the running statistics.
 *
 * Backward (training), with `x̂` the normalised input and `ĝ = dy · weight`:
 * `dx = (1/√(σ²+eps)) · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂))`, i.e. through the batch statistics too;
 * eval: `dx = ĝ / √(σ²+eps)`. Always `dweight = Σ dy · x̂`, `dbias = Σ dy` per channel.
 */
export function batchNorm2d(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  bias: Tensor | null,
  options: BatchNorm2dOptions,
  where = 'batchNorm2d',
): Tensor {
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  const training = options.training;
  if (!(momentum >= 0 && momentum <= 1)) fail(where, `momentum must be in [0, 1], got ${momentum}`);
  if (!(eps >= 0 && Number.isFinite(eps))) fail(where, `eps must be a finite number ≥ 0, got ${eps}`);
  if (x.rank !== 4) fail(where, `expected a 4-D input [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const perChannel = { runningMean, runningVar, weight, bias };
  const features = Object.values(perChannel).find((t) => t !== null)?.shape[0] ?? c;
  for (const [arg, t] of Object.entries(perChannel)) {
    if (t !== null && (t.rank !== 1 || t.shape[0] !== features)) fail(where, `expected ${arg} of shape [${features}], got ${formatShape(t.shape)}`);
  }
  if (c !== features) fail(where, `expected input with ${features} channels, got ${c} (input shape ${formatShape(x.shape)})`);
  const m = n * h * w;
  const hw = h * w;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  const v = x.data;
  if (training) {
    if (m < 2) fail(where, `training needs more than one value per channel to estimate a variance, got input shape ${formatShape(x.shape)}`);
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let b = 0; b < n; b++) for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) s += v[k]!;
      const mu = s / m;
      let ss = 0;
      for (let b = 0; b < n; b++) for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) ss += (v[k]! - mu) ** 2;
      mean[ch] = mu;
      variance[ch] = ss / m;
    }
    if (runningMean !== null) {
      const rm = runningMean.data;
      for (let ch = 0; ch < c; ch++) rm[ch] = (1 - momentum) * rm[ch]! + momentum * mean[ch]!;
    }
    if (runningVar !== null) {
      const rv = runningVar.data;
      for (let ch = 0; ch < c; ch++) rv[ch] = (1 - momentum) * rv[ch]! + momentum * variance[ch]! * (m / (m - 1));
    }
  } else {
    if (runningMean === null || runningVar === null) fail(where, 'eval mode needs the running mean and variance, got none');
    mean.set(runningMean.data);
    variance.set(runningVar.data);
  }
  const invStd = variance.map((s) => 1 / Math.sqrt(s + eps));
  const gamma = weight?.data ?? null;
  const beta = bias?.data ?? null;
  const xHat = new Float32Array(v.length);
  const y = new Float32Array(v.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const scale = gamma === null ? 1 : gamma[ch]!;
      const shift = beta === null ? 0 : beta[ch]!;
      for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) {
        const xh = (v[k]! - mean[ch]!) * invStd[ch]!;
        xHat[k] = xh;
        y[k] = xh * scale + shift;
      }
    }
  }
  const inputs = [x, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])];
  return recordOp(new Tensor(y, x.shape), 'batchNorm2d', inputs, (g) => {
    const sumG = new Float64Array(c);
    const sumGXHat = new Float64Array(c);
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) {
          sumG[ch] += g[k]!;
          sumGXHat[ch] += g[k]! * xHat[k]!;
        }
      }
    }
    const gx = new Float32Array(v.length);
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        const k0 = gamma === null ? invStd[ch]! : gamma[ch]! * invStd[ch]!;
        const meanG = training ? sumG[ch]! / m : 0;
        const meanGXHat = training ? sumGXHat[ch]! / m : 0;
        for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) gx[k] = k0 * (g[k]! - meanG - xHat[k]! * meanGXHat);
      }
    }
    const grads: Float32Array[] = [gx];
    if (weight !== null) grads.push(Float32Array.from(sumGXHat));
    if (bias !== null) grads.push(Float32Array.from(sumG));
    return grads;
  });
}
