import { fail } from '../errors.js';
import { convTranspose2d, convTranspose2dOptionTypes } from '../ops/conv-transpose2d.js';
import { checkOptions, opt } from '../options.js';
import type { ConvTranspose2dOptions } from '../shape/conv-transpose-geometry.js';
import { formatPair, toPair, type IntPair, type Pair } from '../shape/pair.js';
import type { Tensor } from '../tensor.js';
import { biasInit, kaimingUniformInit } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** ConvTranspose2d constructor options (PyTorch's keyword arguments, camelCase). */
export interface ConvTranspose2dLayerOptions extends ConvTranspose2dOptions {
  /** Default true. */
  readonly bias?: boolean;
}

/**
 * 2-D transposed convolution layer ("deconvolution"), PyTorch's `ConvTranspose2d`: upsamples, e.g.
 * FCN's learned ×2 upsampling `new ConvTranspose2d(21, 21, 4, { stride: 2, padding: 1, bias: false })`.
 *
 * Shape: input `[N, inChannels, H, W]` → output `[N, outChannels, H_out, W_out]` with
 * `H_out = (H − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1` per axis.
 * Weight `[inChannels, outChannels/groups, kH, kW]`, bias `[outChannels]`, initialized like PyTorch
 * (uniform, bound `1/√fanIn` with `fanIn = outChannels/groups · kH · kW`, PyTorch's reading of this weight).
 */
export class ConvTranspose2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly outputPadding: Pair;
  readonly dilation: Pair;
  readonly groups: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: IntPair, options: ConvTranspose2dLayerOptions = {}) {
    super();
    const where = `ConvTranspose2d(${inChannels}→${outChannels})`;
    checkOptions(where, options, { ...convTranspose2dOptionTypes, bias: opt.boolean });
    for (const [arg, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (!Number.isInteger(v) || v < 1) fail(where, `${arg} must be a positive integer, got ${v}`);
    }
    this.kernelSize = toPair(kernelSize, 'kernelSize', where, 1);
    this.stride = toPair(options.stride ?? 1, 'stride', where, 1);
    this.padding = toPair(options.padding ?? 0, 'padding', where, 0);
    this.outputPadding = toPair(options.outputPadding ?? 0, 'outputPadding', where, 0);
    this.dilation = toPair(options.dilation ?? 1, 'dilation', where, 1);
    this.groups = options.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1) fail(where, `groups must be a positive integer, got ${this.groups}`);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      fail(where, `groups ${this.groups} must divide both inChannels ${inChannels} and outChannels ${outChannels}`);
    }
    for (const a of [0, 1] as const) {
      if (this.outputPadding[a] >= this.stride[a] && this.outputPadding[a] >= this.dilation[a]) {
        fail(where, `outputPadding ${formatPair(this.outputPadding)} must be smaller than stride ${formatPair(this.stride)} or dilation ${formatPair(this.dilation)}`);
      }
    }
    const fanIn = (outChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1];
    this.weight = Parameter.create([inChannels, outChannels / this.groups, ...this.kernelSize], (v) => kaimingUniformInit(v, fanIn));
    this.bias = options.bias === false ? null : Parameter.create([outChannels], (v) => biasInit(v, fanIn));
  }

  /** How errors name this layer: `ConvTranspose2d(21→21, kernelSize 4)`. */
  get label(): string {
    return `ConvTranspose2d(${this.inChannels}→${this.outChannels}, kernelSize ${formatPair(this.kernelSize)})`;
  }

  /** The options this layer passes to {@link convTranspose2d}. */
  get convOptions(): ConvTranspose2dOptions {
    return { stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, groups: this.groups, dilation: this.dilation };
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, this.convOptions, this.label);
  }

  override extraRepr(): string {
    const t = (p: Pair): string => `(${p[0]}, ${p[1]})`;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${t(this.kernelSize)}, stride=${t(this.stride)}`;
    if (this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${t(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${t(this.dilation)}`;
    if (this.outputPadding[0] !== 0 || this.outputPadding[1] !== 0) s += `, output_padding=${t(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}
