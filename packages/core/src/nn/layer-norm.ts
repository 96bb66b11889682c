import { fail } from '../errors.js';
import { layerNorm } from '../ops/layer-norm.js';
import { checkOptions, opt } from '../options.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { pythonFloat } from './python-repr.js';

/** LayerNorm constructor options (PyTorch's, camelCase). */
export interface LayerNormOptions {
  /** Default 1e-5. */
  readonly eps?: number;
  /** Learnable `weight` (ones) and `bias` (zeros) of shape normalizedShape. Default true. */
  readonly elementwiseAffine?: boolean;
}

/**
 * Layer normalization over the last dimensions, PyTorch's `LayerNorm`: each sample's
 * `normalizedShape` block is normalized by its own mean and variance (see {@link layerNorm}), in
 * training and eval alike.
 * @example new LayerNorm([16, 8, 8]) // per sample over C, H, W of [N, 16, 8, 8]
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    checkOptions('LayerNorm', options, { eps: opt.number, elementwiseAffine: opt.boolean });
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (this.normalizedShape.length === 0 || this.normalizedShape.some((d) => !Number.isInteger(d) || d < 1)) {
      fail('LayerNorm', `normalizedShape must be a positive integer or a list of them, got ${JSON.stringify(normalizedShape)}`);
    }
    this.eps = options.eps ?? 1e-5;
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? Parameter.create(this.normalizedShape, (v) => v.fill(1)) : null;
    this.bias = affine ? Parameter.create(this.normalizedShape, (v) => v.fill(0)) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps, `LayerNorm(${this.normalizedShape.join(', ')})`);
  }

  override extraRepr(): string {
    const shape = `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''})`;
    return `${shape}, eps=${pythonFloat(this.eps)}, elementwise_affine=${this.weight !== null ? 'True' : 'False'}`;
  }
}
