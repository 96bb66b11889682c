import { fail, formatShape } from '../errors.js';
import { checkOptions, describeValue, opt } from '../options.js';
import { recordOp, recordsGradient } from '../autograd.js';
import type { BatchNormForwardArgs } from '../kernels/batch-norm2d.js';
import { batchNorm2dBackward, batchNormForward } from '../kernels/dispatch.js';
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
  const norm = { runningMean, runningVar, weight, bias };
  const inputs = [x, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])];
  const call = prepareBatchNorm(x.shape, norm, options, { relu: false, y: true, xHat: recordsGradient(inputs) }, where);
  batchNormForward(x.data, call);
  updateRunningStatistics(norm, call);
  return recordOp(new Tensor(call.y!, x.shape), 'batchNorm2d', inputs, (g) => {
    const { gx, affine } = batchNormGradients(g, norm, call, null);
    return [gx, ...affine];
  });
}

/** The per-channel tensors of a batch norm `[C]` each, any of them null. */
export interface BatchNormTensors {
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
}

/** A checked batch-norm call: the kernel's arguments (output arrays allocated) and the running-average factor. */
export interface BatchNormCall extends BatchNormForwardArgs {
  readonly momentum: number;
}

/** What a batch-norm call computes besides the statistics: the ReLU after it, and which outputs it keeps. */
export interface BatchNormOutputs {
  readonly relu: boolean;
  /** Allocate `y` (false: the caller keeps only what follows, e.g. a pooled result). */
  readonly y: boolean;
  /** Allocate `x̂` (false: no backward will need it). */
  readonly xHat: boolean;
}

/**
 * Checks a batch norm of an input of `shape` `[N, C, …]` and prepares its kernel call: `y` and `x̂`
 * allocated as `outputs` asks, in eval the running statistics copied into mean and variance.
 */
export function prepareBatchNorm(
  shape: readonly number[], norm: BatchNormTensors, options: BatchNorm2dOptions, outputs: BatchNormOutputs, where: string,
): BatchNormCall {
  checkOptions(where, options, { training: opt.boolean, momentum: opt.number, eps: opt.number });
  if (typeof options.training !== 'boolean') fail(where, `option training is required (true: batch statistics, false: running ones), got ${describeValue(options.training)}`);
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  const training = options.training;
  if (!(momentum >= 0 && momentum <= 1)) fail(where, `momentum must be in [0, 1], got ${momentum}`);
  if (!(eps >= 0 && Number.isFinite(eps))) fail(where, `eps must be a finite number ≥ 0, got ${eps}`);
  if (shape.length < 2) fail(where, `expected an input [N, C, …], got shape ${formatShape(shape)}`);
  const [n, c] = shape as [number, number];
  const hw = shape.slice(2).reduce((p, d) => p * d, 1);
  const perChannel = (['runningMean', 'runningVar', 'weight', 'bias'] as const).map((arg) => [arg, norm[arg]] as const);
  const features = perChannel.find(([, t]) => t !== null)?.[1]?.shape[0] ?? c;
  for (const [arg, t] of perChannel) {
    if (t !== null && (t.rank !== 1 || t.shape[0] !== features)) fail(where, `expected ${arg} of shape [${features}], got ${formatShape(t.shape)}`);
  }
  if (c !== features) fail(where, `expected input with ${features} channels, got ${c} (input shape ${formatShape(shape)})`);
  const m = n * hw;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  if (training) {
    if (m < 2) fail(where, `training needs more than one value per channel to estimate a variance, got input shape ${formatShape(shape)}`);
  } else {
    if (norm.runningMean === null || norm.runningVar === null) fail(where, 'eval mode needs the running mean and variance, got none');
    mean.set(norm.runningMean.readValues());
    variance.set(norm.runningVar.readValues());
  }
  return {
    n, c, hw, training, eps, momentum, mean, variance, invStd: new Float64Array(c), relu: outputs.relu,
    gamma: norm.weight?.readValues() ?? null, beta: norm.bias?.readValues() ?? null,
    xHat: outputs.xHat ? new Float32Array(m * c) : null, y: outputs.y ? new Float32Array(m * c) : null,
  };
}

/**
 * After a training forward: `running = (1 − momentum)·running + momentum·batch` for the mean and
 * the variance, the variance entering unbiased (`σ² · m/(m−1)`), as PyTorch.
 */
export function updateRunningStatistics({ runningMean, runningVar }: BatchNormTensors, call: BatchNormCall): void {
  if (!call.training) return;
  const { c, momentum, mean, variance } = call;
  const m = call.n * call.hw;
  if (runningMean !== null) {
    const rm = runningMean.writeValues();
    for (let ch = 0; ch < c; ch++) rm[ch] = (1 - momentum) * rm[ch]! + momentum * mean[ch]!;
  }
  if (runningVar !== null) {
    const rv = runningVar.writeValues();
    for (let ch = 0; ch < c; ch++) rv[ch] = (1 - momentum) * rv[ch]! + momentum * variance[ch]! * (m / (m - 1));
  }
}

/**
 * The backward of a batch norm call for the gradient `g` of its output (of the ReLU after it when
 * `reluOut`, that ReLU's output, is given): the input gradient and `[dweight, dbias]` for those of
 * weight and bias that are not null.
 */
export function batchNormGradients(
  g: Float32Array, norm: BatchNormTensors, call: BatchNormCall, reluOut: Float32Array | null,
): { gx: Float32Array; affine: Float32Array[] } {
  const { gx, sumG, sumGXHat } = batchNorm2dBackward(g, call.xHat!, reluOut, call.n, call.c, call.hw, call.invStd, call.gamma, call.training);
  return { gx, affine: affineGradients(norm, sumG, sumGXHat) };
}

/** `[dweight, dbias]` (`Σ ĝ·x̂` and `Σ ĝ` per channel) for those of weight and bias that are not null. */
export function affineGradients({ weight, bias }: BatchNormTensors, sumG: Float64Array, sumGXHat: Float64Array): Float32Array[] {
  const affine: Float32Array[] = [];
  if (weight !== null) affine.push(Float32Array.from(sumGXHat));
  if (bias !== null) affine.push(Float32Array.from(sumG));
  return affine;
}
