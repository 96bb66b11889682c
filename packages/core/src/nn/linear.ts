import { fail } from '../errors.js';
import { linear } from '../ops/linear.js';
import { checkOptions, opt } from '../options.js';
import type { Tensor } from '../tensor.js';
import { biasInit, kaimingUniformInit } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/**
 * Fully connected layer `y = x·Wᵀ + b`.
 * Shape: input `[N, inFeatures]` → output `[N, outFeatures]`; weight `[outFeatures, inFeatures]`,
 * bias `[outFeatures]`; `inFeatures·outFeatures + outFeatures` parameters.
 * @example new Linear(800, 500) // Caffe LeNet's ip1: 400,500 parameters
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: { readonly bias?: boolean } = {}) {
    super();
    const where = `Linear(${inFeatures}→${outFeatures})`;
    checkOptions(where, options, { bias: opt.boolean });
    for (const [arg, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) fail(where, `${arg} must be a positive integer, got ${v}`);
    }
    this.weight = Parameter.create([outFeatures, inFeatures], (v) => kaimingUniformInit(v, inFeatures));
    this.bias = options.bias === false ? null : Parameter.create([outFeatures], (v) => biasInit(v, inFeatures));
  }

  get label(): string {
    return `Linear(${this.inFeatures}→${this.outFeatures})`;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias, this.label);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias === null ? 'False' : 'True'}`;
  }
}
