import { conv2d, conv2dOptionTypes } from '../ops/conv2d.js';
import { fail } from '../errors.js';
import { checkOptions, opt } from '../options.js';
import { pad } from '../ops/pad.js';
import { resolveConvPadding, type Conv2dOptions, type ConvPadding } from '../shape/conv-geometry.js';
import { formatPair, toPair, type IntPair, type Pair } from '../shape/pair.js';
import type { Tensor } from '../tensor.js';
import { biasInit, kaimingUniformInit } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/**
 * How Conv2d pads the border, PyTorch's `padding_mode`: `'zeros'` (the convolution's own padding)
 * or, with {@link pad} before the convolution, `'reflect'`, `'replicate'` or `'circular'`.
 */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Conv2d constructor options (PyTorch's keyword arguments, camelCase). */
export interface Conv2dLayerOptions {
  /** Default 1. */
  readonly stride?: IntPair;
  /** Default 0. A number, `[h, w]`, `'same'` (stride 1 only) or `'valid'`. */
  readonly padding?: ConvPadding;
  /** Default 1. */
  readonly dilation?: IntPair;
  /** Default 1. Must divide both channel counts; `groups = inChannels` is depthwise. */
  readonly groups?: number;
  /** Default true. */
  readonly bias?: boolean;
  /** How the border is padded: 'zeros' (default), 'reflect', 'replicate' or 'circular'. */
  readonly paddingMode?: PaddingMode;
}

/** The option types of {@link Conv2dLayerOptions}: the op's and the layer's own. */
const conv2dLayerOptionTypes = {
  ...conv2dOptionTypes,
  bias: opt.boolean,
  paddingMode: opt.oneOf('zeros', 'reflect', 'replicate', 'circular'),
};

/**
 * 2-D convolution (cross-correlation) layer.
 *
 * Shape: input `[N, inChannels, H, W]` → output `[N, outChannels, H_out, W_out]` with
 * `H_out = floor((H + 2·padding − dilation·(kernel − 1) − 1) / stride) + 1` per axis.
 * Weight `[outChannels, inChannels/groups, kH, kW]`, bias `[outChannels]`, both initialized like
 * PyTorch (uniform, bound `1/√fanIn`, `fanIn = inChannels/groups · kH · kW`).
 *
 * @example new Conv2d(1, 6, 5) // LeNet's first layer: [N,1,32,32] → [N,6,28,28]
 */
export class Conv2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair | 'same' | 'valid';
  readonly dilation: Pair;
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: IntPair, options: Conv2dLayerOptions = {}) {
    super();
    const where = `Conv2d(${inChannels}→${outChannels})`;
    checkOptions(where, options, conv2dLayerOptionTypes);
    this.paddingMode = options.paddingMode ?? 'zeros';
    for (const [arg, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (!Number.isInteger(v) || v < 1) fail(where, `${arg} must be a positive integer, got ${v}`);
    }
    this.kernelSize = toPair(kernelSize, 'kernelSize', where, 1);
    this.stride = toPair(options.stride ?? 1, 'stride', where, 1);
    this.dilation = toPair(options.dilation ?? 1, 'dilation', where, 1);
    const padding = options.padding ?? 0;
    if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) fail(where, `padding 'same' needs stride 1, got stride ${formatPair(this.stride)}`);
    this.padding = padding === 'same' || padding === 'valid' ? padding : toPair(padding, 'padding', where, 0);
    this.groups = options.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1) fail(where, `groups must be a positive integer, got ${this.groups}`);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      fail(where, `groups ${this.groups} must divide both inChannels ${inChannels} and outChannels ${outChannels}`);
    }
    const fanIn = (inChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1];
    this.weight = Parameter.create([outChannels, inChannels / this.groups, ...this.kernelSize], (v) => kaimingUniformInit(v, fanIn));
    this.bias = options.bias === false ? null : Parameter.create([outChannels], (v) => biasInit(v, fanIn));
  }

  /** How errors name this layer: `Conv2d(3→16, kernelSize 3)`. */
  get label(): string {
    return `Conv2d(${this.inChannels}→${this.outChannels}, kernelSize ${formatPair(this.kernelSize)})`;
  }

  /** The options this layer passes to {@link conv2d} (padding 0 after {@link pad} for a paddingMode other than 'zeros'). */
  get convOptions(): Conv2dOptions {
    const padding = this.paddingMode === 'zeros' ? this.padding : 0;
    return { stride: this.stride, padding, dilation: this.dilation, groups: this.groups };
  }

  /** `x` with the border of a paddingMode other than 'zeros' added ({@link pad}); `x` itself for 'zeros' (conv2d pads). */
  padInput(x: Tensor): Tensor {
    if (this.paddingMode === 'zeros') return x;
    const p = resolveConvPadding(this.padding, this.kernelSize, this.dilation, this.stride, this.label);
    return pad(x, [p.left, p.right, p.top, p.bottom], this.paddingMode, 0, this.label);
  }

  forward(x: Tensor): Tensor {
    return conv2d(this.padInput(x), this.weight, this.bias, this.convOptions, this.label);
  }

  override extraRepr(): string {
    const t = (p: Pair): string => `(${p[0]}, ${p[1]})`;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${t(this.kernelSize)}, stride=${t(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${t(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${t(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}
