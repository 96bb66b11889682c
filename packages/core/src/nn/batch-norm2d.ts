import { fail } from '../errors.js';
import { batchNorm2d } from '../ops/batch-norm2d.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { createBuffer, Parameter } from './parameter.js';
import { pythonFloat } from './python-repr.js';

/** BatchNorm2d constructor options (PyTorch's). */
export interface BatchNorm2dLayerOptions {
  /** Default 1e-5. */
  readonly eps?: number;
  /** Running-average factor: `running = (1 − momentum)·running + momentum·batch`. Default 0.1. */
  readonly momentum?: number;
  /** Learnable per-channel scale and shift. Default true. */
  readonly affine?: boolean;
}

/**
 * Batch normalisation over `[N, C, H, W]` per channel. Training: normalise with the batch mean and
 * (biased) variance, and update the running mean and (unbiased) variance; eval: use the running ones.
 * Then `y = weight·x̂ + bias`. Parameters `weight`, `bias` `[C]`; buffers `running_mean`,
 * `running_var`, `num_batches_tracked` (PyTorch's state-dict names).
 */
export class BatchNorm2d extends Module {
  readonly eps: number;
  readonly momentum: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly numBatchesTracked: Tensor;

  constructor(readonly numFeatures: number, options: BatchNorm2dLayerOptions = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) fail('BatchNorm2d', `numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    const affine = options.affine ?? true;
    this.weight = affine ? Parameter.create([numFeatures], (v) => v.fill(1)) : null;
    this.bias = affine ? Parameter.create([numFeatures], (v) => v.fill(0)) : null;
    this.runningMean = createBuffer([numFeatures], 0);
    this.runningVar = createBuffer([numFeatures], 1);
    this.numBatchesTracked = createBuffer([], 0);
    this.registerBuffer('running_mean', this.runningMean);
    this.registerBuffer('running_var', this.runningVar);
    this.registerBuffer('num_batches_tracked', this.numBatchesTracked);
  }

  forward(x: Tensor): Tensor {
    if (this.training) this.numBatchesTracked.data[0]! += 1;
    return batchNorm2d(x, this.runningMean, this.runningVar, this.weight, this.bias, { training: this.training, momentum: this.momentum, eps: this.eps }, `BatchNorm2d(${this.numFeatures})`);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pythonFloat(this.eps)}, momentum=${pythonFloat(this.momentum)}, affine=${this.weight !== null ? 'True' : 'False'}, track_running_stats=True`;
  }
}
