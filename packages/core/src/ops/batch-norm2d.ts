import { fail, formatShape } from '../errors.js';
import { checkOptions, describeValue, opt } from '../options.js';
import { recordOp } from '../autograd.js';
import { batchNorm2dBackward, batchNorm2dForward, channelMoments } from '../kernels/dispatch.js';
import { Tensor } from '../tensor.js';

/** Batch norm arguments (PyTorch's). */
export interface BatchNorm2dOptions {
  /** Normalize with the batch's statistics and update the running ones (true), or use the running ones. */
  readonly training: boolean;
  /** Running-average factor: `running = (1 − momentum)·running + momentum·batch`. Default 0.1. */
  readonly momentum?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  readonly eps?: number;
}

/**
 * Batch normalization of `x` `[N, C, H, W]` per channel `c`, over its `m = N·H·W` values (see
 * {@link batchNorm} for any `[N, C, …]`):
 * `y = (x − μ_c) / √(σ²_c + eps) · weight_c + bias_c` (weight and bias optional, `[C]` each).
 *
 * Training: `μ`, `σ²` are the batch mean and biased variance; `runningMean`/`runningVar` (if given)
 * are updated in place with `momentum`, the variance entering unbiased (`σ² · m/(m−1)`), exactly as
 * PyTorch does. Eval: `μ`, `σ²` are the running statistics.
 *
 * Backward (training), with `x̂` the normalized input and `ĝ = dy · weight`:
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
  if (x.rank !== 4) fail(where, `expected a 4-D input [N, C, H, W], got shape ${formatShape(x.shape)}`);
  return batchNorm(x, runningMean, runningVar, weight, bias, options, where);
}

/**
 * {@link batchNorm2d} for an input `[N, C]` or `[N, C, L, …]` (BatchNorm1d's `[N, C]` / `[N, C, L]`),
 * statistics per channel over `m = N·L·…` values.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  bias: Tensor | null,
  options: BatchNorm2dOptions,
  where = 'batchNorm',
): Tensor {
  checkOptions(where, options, { training: opt.boolean, momentum: opt.number, eps: opt.number });
  if (typeof options.training !== 'boolean') fail(where, `option training is required (true: batch statistics, false: running ones), got ${describeValue(options.training)}`);
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  const training = options.training;
  if (!(momentum >= 0 && momentum <= 1)) fail(where, `momentum must be in [0, 1], got ${momentum}`);
  if (!(eps >= 0 && Number.isFinite(eps))) fail(where, `eps must be a finite number ≥ 0, got ${eps}`);
  if (x.rank < 2) fail(where, `expected an input [N, C, …], got shape ${formatShape(x.shape)}`);
  const [n, c] = x.shape as [number, number];
  const hw = x.shape.slice(2).reduce((p, d) => p * d, 1);
  const perChannel = { runningMean, runningVar, weight, bias };
  const features = Object.values(perChannel).find((t) => t !== null)?.shape[0] ?? c;
  for (const [arg, t] of Object.entries(perChannel)) {
    if (t !== null && (t.rank !== 1 || t.shape[0] !== features)) fail(where, `expected ${arg} of shape [${features}], got ${formatShape(t.shape)}`);
  }
  if (c !== features) fail(where, `expected input with ${features} channels, got ${c} (input shape ${formatShape(x.shape)})`);
  const m = n * hw;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  const v = x.data;
  if (training) {
    if (m < 2) fail(where, `training needs more than one value per channel to estimate a variance, got input shape ${formatShape(x.shape)}`);
    channelMoments(v, n, c, hw, mean, variance);
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
  const { xHat, y } = batchNorm2dForward(v, n, c, hw, mean, invStd, gamma, beta);
  const inputs = [x, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])];
  return recordOp(new Tensor(y, x.shape), 'batchNorm2d', inputs, (g) => {
    const { gx, sumG, sumGXHat } = batchNorm2dBackward(g, xHat, n, c, hw, invStd, gamma, training);
    const grads: Float32Array[] = [gx];
    if (weight !== null) grads.push(Float32Array.from(sumGXHat));
    if (bias !== null) grads.push(Float32Array.from(sumG));
    return grads;
  });
}
