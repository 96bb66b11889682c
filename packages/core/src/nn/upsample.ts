import { fail } from '../errors.js';
import { checkInterpolateOptions, interpolate, type InterpolateOptions } from '../ops/interpolate.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { pythonFloat } from './python-repr.js';

/**
 * Resizes `[N, C, H, W]` maps, PyTorch's `Upsample`: to a fixed `size` or by `scaleFactor`, with
 * 'nearest' (default) or 'bilinear' sampling (see {@link interpolate}). No parameters. Its repr is
 * PyTorch's, which leaves out alignCorners.
 * @example new Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: false })
 */
export class Upsample extends Module {
  readonly options: InterpolateOptions;

  constructor(options: InterpolateOptions) {
    super();
    this.options = checkInterpolateOptions('Upsample', options);
    if ((options.size === undefined) === (options.scaleFactor === undefined)) fail('Upsample', 'give exactly one of size and scaleFactor');
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, this.options, 'Upsample');
  }

  override extraRepr(): string {
    const { size, scaleFactor, mode } = this.options;
    const show = (v: number | readonly [number, number] | undefined, float: boolean): string =>
      v === undefined ? 'None' : typeof v === 'number' ? (float ? pythonFloat(v) : `${v}`) : `(${v.map((x) => (float ? pythonFloat(x) : `${x}`)).join(', ')})`;
    return `${size !== undefined ? `size=${show(size, false)}` : `scale_factor=${show(scaleFactor, true)}`}, mode=${mode ?? 'nearest'}`;
  }
}
