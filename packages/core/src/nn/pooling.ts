import { adaptiveAvgPool2d } from '../ops/adaptive-avg-pool2d.js';
import { avgPool2d } from '../ops/avg-pool2d.js';
import { globalAvgPool2d } from '../ops/global-avg-pool2d.js';
import { fail } from '../errors.js';
import { maxPool2d, maxPool2dWithIndices } from '../ops/max-pool2d.js';
import { maxUnpool2d } from '../ops/max-unpool2d.js';
import { checkOptions, opt } from '../options.js';
import type { Pool2dOptions } from '../shape/pool-geometry.js';
import { formatPair, toPair, type IntPair, type Pair } from '../shape/pair.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

const reprValue = (v: IntPair): string => (typeof v === 'number' ? `${v}` : Array.isArray(v) ? `(${v[0]}, ${v[1]})` : JSON.stringify(v) ?? String(v));

/** Max pooling constructor options. */
export interface MaxPool2dLayerOptions {
  /** Defaults to kernelSize. */
  readonly stride?: IntPair;
  readonly padding?: IntPair;
  readonly dilation?: IntPair;
  readonly ceilMode?: boolean;
  /** Also give where each maximum was: {@link MaxPool2d.forwardWithIndices}, for MaxUnpool2d. Default false. */
  readonly returnIndices?: boolean;
}

/**
 * Max pooling per channel. Input `[N, C, H, W]` → `[N, C, H_out, W_out]`,
 * `H_out = floor((H + 2p − d·(k−1) − 1)/s) + 1` (ceil with `ceilMode`). No parameters.
 * Backward sends each output gradient to the position that held the maximum.
 * @example new MaxPool2d(2) // halves H and W
 */
export class MaxPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly ceilMode: boolean;
  readonly returnIndices: boolean;

  constructor(private readonly kernelArg: IntPair, private readonly options: MaxPool2dLayerOptions = {}) {
    super();
    const where = `MaxPool2d(${reprValue(kernelArg)})`;
    checkOptions(where, options, { stride: opt.pair, padding: opt.pair, dilation: opt.pair, ceilMode: opt.boolean, returnIndices: opt.boolean });
    this.returnIndices = options.returnIndices ?? false;
    this.kernelSize = toPair(kernelArg, 'kernelSize', where, 1);
    this.stride = toPair(options.stride ?? kernelArg, 'stride', where, 1);
    this.padding = toPair(options.padding ?? 0, 'padding', where, 0);
    this.dilation = toPair(options.dilation ?? 1, 'dilation', where, 1);
    this.ceilMode = options.ceilMode ?? false;
  }

  get label(): string {
    return `MaxPool2d(kernelSize ${formatPair(this.kernelSize)})`;
  }

  /** The options this layer passes to {@link maxPool2d}. */
  get poolOptions(): Pool2dOptions {
    return { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.poolOptions, this.label);
  }

  /**
   * The pooled output and, like PyTorch's `return_indices=True`, each maximum's flat index in its
   * input plane (see {@link maxPool2dWithIndices}); needs `returnIndices: true`. Runs the forward hooks.
   * @example const [y, indices] = pool.forwardWithIndices(x); unpool.forwardWithIndices(y, indices)
   */
  forwardWithIndices(x: Tensor): [output: Tensor, indices: Tensor] {
    if (!this.returnIndices) fail(this.label, 'forwardWithIndices needs returnIndices: true (PyTorch\'s return_indices=True)');
    const result = maxPool2dWithIndices(x, this.poolOptions, this.label);
    this.runForwardHooks(x, result[0]);
    return result;
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${reprValue(this.kernelArg)}, stride=${reprValue(o.stride ?? this.kernelArg)}, ` +
      `padding=${reprValue(o.padding ?? 0)}, dilation=${reprValue(o.dilation ?? 1)}, ceil_mode=${this.ceilMode ? 'True' : 'False'}`;
  }
}

/** MaxUnpool2d constructor options. */
export interface MaxUnpool2dLayerOptions {
  /** Defaults to kernelSize. */
  readonly stride?: IntPair;
  readonly padding?: IntPair;
}

/**
 * The partial inverse of {@link MaxPool2d}, PyTorch's `MaxUnpool2d`: puts each pooled value back at
 * its recorded position in a zero map, `H_out = (H − 1)·stride − 2·padding + kernel` (or the
 * `outputSize` given to {@link MaxUnpool2d.unpool}). Call {@link MaxUnpool2d.unpool} with the indices;
 * `call(x)` alone cannot know them.
 */
export class MaxUnpool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;

  constructor(kernelSize: IntPair, options: MaxUnpool2dLayerOptions = {}) {
    super();
    const where = `MaxUnpool2d(${reprValue(kernelSize)})`;
    checkOptions(where, options, { stride: opt.pair, padding: opt.pair });
    this.kernelSize = toPair(kernelSize, 'kernelSize', where, 1);
    this.stride = toPair(options.stride ?? kernelSize, 'stride', where, 1);
    this.padding = toPair(options.padding ?? 0, 'padding', where, 0);
  }

  get label(): string {
    return `MaxUnpool2d(kernelSize ${formatPair(this.kernelSize)})`;
  }

  forward(): Tensor {
    return fail(this.label, 'needs the indices of the pooling: call unpool(x, indices) (PyTorch: unpool(x, indices))');
  }

  /** Unpools `x` with the `indices` from {@link MaxPool2d.forwardWithIndices}; runs the forward hooks. */
  unpool(x: Tensor, indices: Tensor, outputSize?: readonly [number, number]): Tensor {
    const y = maxUnpool2d(x, indices, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, ...(outputSize === undefined ? {} : { outputSize }) }, this.label);
    this.runForwardHooks(x, y);
    return y;
  }

  override extraRepr(): string {
    const t = (p: Pair): string => `(${p[0]}, ${p[1]})`;
    return `kernel_size=${t(this.kernelSize)}, stride=${t(this.stride)}, padding=${t(this.padding)}`;
  }
}

/** Average pooling constructor options. */
export interface AvgPool2dLayerOptions {
  readonly stride?: IntPair;
  readonly padding?: IntPair;
  readonly ceilMode?: boolean;
  /** Count the zero padding in each window's divisor. Default true (PyTorch). */
  readonly countIncludePad?: boolean;
}

/**
 * Average pooling per channel; same output size rule as {@link MaxPool2d} (no dilation).
 * Backward spreads each output gradient evenly over its window. No parameters.
 */
export class AvgPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(private readonly kernelArg: IntPair, private readonly options: AvgPool2dLayerOptions = {}) {
    super();
    const where = `AvgPool2d(${reprValue(kernelArg)})`;
    checkOptions(where, options, { stride: opt.pair, padding: opt.pair, ceilMode: opt.boolean, countIncludePad: opt.boolean });
    this.kernelSize = toPair(kernelArg, 'kernelSize', where, 1);
    this.stride = toPair(options.stride ?? kernelArg, 'stride', where, 1);
    this.padding = toPair(options.padding ?? 0, 'padding', where, 0);
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
  }

  get label(): string {
    return `AvgPool2d(kernelSize ${formatPair(this.kernelSize)})`;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(
      x,
      { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad },
      this.label,
    );
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${reprValue(this.kernelArg)}, stride=${reprValue(o.stride ?? this.kernelArg)}, padding=${reprValue(o.padding ?? 0)}`;
  }
}

/**
 * Average pooling to a fixed output size (torchvision's VGG and ResNet heads): output cell
 * `i` averages input rows `floor(i·H/outH) … ceil((i+1)·H/outH) − 1`, likewise for columns.
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: Pair;

  constructor(private readonly outputArg: IntPair) {
    super();
    this.outputSize = toPair(outputArg, 'outputSize', `AdaptiveAvgPool2d(${reprValue(outputArg)})`, 1);
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize, `AdaptiveAvgPool2d(outputSize ${formatPair(this.outputSize)})`);
  }

  override extraRepr(): string {
    return `output_size=${reprValue(this.outputArg)}`;
  }
}

/** Global average pooling: `[N, C, H, W] → [N, C]`, each channel's mean (NIN, GoogLeNet, ResNet heads). */
export class GlobalAvgPool2d extends Module {
  forward(x: Tensor): Tensor {
    return globalAvgPool2d(x, 'GlobalAvgPool2d');
  }
}

