import { fail } from '../errors.js';
import { batchNorm, type BatchNorm2dOptions, type BatchNormTensors } from '../ops/batch-norm2d.js';
import { checkOptions, opt } from '../options.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { createBuffer, Parameter } from './parameter.js';
import { pythonFloat } from './python-repr.js';

/** BatchNorm constructor options (PyTorch's, camelCase). */
export interface BatchNorm2dLayerOptions {
  /** Default 1e-5. */
  readonly eps?: number;
  /**
   * Running-average factor: `running = (1 − momentum)·running + momentum·batch`. Default 0.1;
   * null: the cumulative average of all batches so far (momentum 1/numBatchesTracked).
   */
  readonly momentum?: number | null;
  /** Learnable per-channel scale and shift. Default true. */
  readonly affine?: boolean;
  /** Keep running statistics for eval mode; false: always normalize with the batch's own. Default true. */
  readonly trackRunningStats?: boolean;
}

/**
 * Batch normalization per channel, shared by {@link BatchNorm2d} (`[N, C, H, W]`) and
 * {@link BatchNorm1d} (`[N, C]` or `[N, C, L]`). Training: normalize with the batch mean and (biased)
 * variance, and update the running mean and (unbiased) variance; eval: use the running ones. Then
 * `y = weight·x̂ + bias`. Parameters `weight`, `bias` `[C]`; buffers `running_mean`, `running_var`,
 * `num_batches_tracked` (PyTorch's state-dict names; none with `trackRunningStats: false`).
 */
abstract class BatchNorm extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;

  constructor(readonly numFeatures: number, options: BatchNorm2dLayerOptions, private readonly ranks: readonly number[]) {
    super();
    const name = `${new.target.name}(${numFeatures})`;
    checkOptions(name, options, { eps: opt.number, momentum: opt.nullable(opt.number), affine: opt.boolean, trackRunningStats: opt.boolean });
    if (!Number.isInteger(numFeatures) || numFeatures < 1) fail(new.target.name, `numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) fail(name, `momentum must be in [0, 1] or null, got ${this.momentum}`);
    const affine = options.affine ?? true;
    this.weight = affine ? Parameter.create([numFeatures], (v) => v.fill(1)) : null;
    this.bias = affine ? Parameter.create([numFeatures], (v) => v.fill(0)) : null;
    const track = options.trackRunningStats ?? true;
    this.runningMean = track ? createBuffer([numFeatures], 0) : null;
    this.runningVar = track ? createBuffer([numFeatures], 1) : null;
    this.numBatchesTracked = track ? createBuffer([], 0) : null;
    if (track) {
      this.registerBuffer('running_mean', this.runningMean!);
      this.registerBuffer('running_var', this.runningVar!);
      this.registerBuffer('num_batches_tracked', this.numBatchesTracked!);
    }
  }

  forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.rank)) {
      fail(this.label, `expected a ${this.ranks.map((r) => `${r}-D`).join(' or ')} input ${this.ranks.length === 1 ? '[N, C, H, W]' : '[N, C] or [N, C, L]'}, got shape [${x.shape.join(',')}]`);
    }
    const { tensors, options } = this.nextNormalization();
    return batchNorm(x, tensors.runningMean, tensors.runningVar, tensors.weight, tensors.bias, options, this.label);
  }

  /** How errors name the layer: `BatchNorm2d(64)`. */
  get label(): string {
    return `${this.typeName}(${this.numFeatures})`;
  }

  /**
   * The tensors and options of this forward's batch norm (what a fused op runs). In training it
   * counts the batch in `num_batches_tracked`, so call it once per forward.
   */
  nextNormalization(): { readonly tensors: BatchNormTensors; readonly options: BatchNorm2dOptions } {
    let momentum = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked !== null) {
      const tracked = (this.numBatchesTracked.writeValues()[0]! += 1);
      if (this.momentum === null) momentum = 1 / tracked;
    }
    const training = this.training || this.runningMean === null;
    const { runningMean, runningVar, weight, bias } = this;
    return { tensors: { runningMean, runningVar, weight, bias }, options: { training, momentum, eps: this.eps } };
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? 'None' : pythonFloat(this.momentum);
    return `${this.numFeatures}, eps=${pythonFloat(this.eps)}, momentum=${momentum}, ` +
      `affine=${this.weight !== null ? 'True' : 'False'}, track_running_stats=${this.runningMean !== null ? 'True' : 'False'}`;
  }
}

/**
 * Batch normalization over `[N, C, H, W]` per channel, PyTorch's `BatchNorm2d` (see the options
 * for `momentum: null` and `trackRunningStats: false`).
 * @example new BatchNorm2d(64)
 */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNorm2dLayerOptions = {}) {
    super(numFeatures, options, [4]);
  }
}

/**
 * Batch normalization over `[N, C]` or `[N, C, L]` per feature, PyTorch's `BatchNorm1d`
 * (after a Linear layer, or on sequences).
 * @example new Sequential(new Linear(784, 100), new BatchNorm1d(100), new ReLU())
 */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNorm2dLayerOptions = {}) {
    super(numFeatures, options, [2, 3]);
  }
}
