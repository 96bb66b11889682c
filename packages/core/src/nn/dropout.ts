import { fail } from '../errors.js';
import { dropout } from '../ops/dropout.js';
import { dropout2d } from '../ops/dropout2d.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { pythonFloat } from './python-repr.js';

/**
 * Inverted dropout: in training, zeroes each element with probability `p` and scales the rest by
 * `1/(1−p)`; in eval mode, the identity. Masks come from the seeded default generator.
 */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) fail('Dropout', `p must be in [0, 1], got ${p}`);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${pythonFloat(this.p)}, inplace=False`;
  }
}

/**
 * Channel dropout, PyTorch's `Dropout2d`: in training, zeroes each whole channel of `[N, C, H, W]`
 * with probability `p` and scales the rest by `1/(1−p)` (see {@link dropout2d}); in eval mode, the identity.
 */
export class Dropout2d extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) fail('Dropout2d', `p must be in [0, 1], got ${p}`);
  }

  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${pythonFloat(this.p)}, inplace=False`;
  }
}
