import { fail } from '../errors.js';
import { dropout } from '../ops/dropout.js';
import { dropout2d } from '../ops/dropout2d.js';
import { checkOptions, opt } from '../options.js';
import { defaultGenerator, Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { pythonFloat } from './python-repr.js';

/** Options of {@link Dropout} and {@link Dropout2d}. */
export interface DropoutOptions {
  /**
   * Where the masks come from, like the `generator=` argument of PyTorch's random functions.
   * Default: the default generator ({@link manualSeed}), read at each call. `fit` with a `seed`
   * replaces it for its run.
   */
  readonly generator?: Generator;
}

/** A layer that draws random numbers from its own {@link Generator} (null: the default generator). */
export abstract class RandomLayer extends Module {
  /** The masks' generator; null draws from the default generator at each call. */
  generator: Generator | null;

  constructor(name: string, readonly p: number, options: DropoutOptions) {
    super();
    if (!(p >= 0 && p <= 1)) fail(name, `p must be in [0, 1], got ${p}`);
    checkOptions(name, options, { generator: opt.instance(Generator, 'a Generator') });
    this.generator = options.generator ?? null;
  }

  protected masks(): Generator {
    return this.generator ?? defaultGenerator();
  }

  override extraRepr(): string {
    return `p=${pythonFloat(this.p)}, inplace=False`;
  }
}

/**
 * Inverted dropout: in training, zeroes each element with probability `p` and scales the rest by
 * `1/(1−p)`; in eval mode, the identity. Masks come from `generator` (default: the seeded default generator).
 * @example new Dropout(0.5, { generator: new Generator(42) })
 */
export class Dropout extends RandomLayer {
  constructor(p = 0.5, options: DropoutOptions = {}) {
    super('Dropout', p, options);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.masks());
  }
}

/**
 * Channel dropout, PyTorch's `Dropout2d`: in training, zeroes each whole channel of `[N, C, H, W]`
 * with probability `p` and scales the rest by `1/(1−p)` (see {@link dropout2d}); in eval mode, the identity.
 */
export class Dropout2d extends RandomLayer {
  constructor(p = 0.5, options: DropoutOptions = {}) {
    super('Dropout2d', p, options);
  }

  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training, this.masks());
  }
}

/** The layers of `model` that draw random numbers, with `model` itself when it is one. */
export function randomLayers(model: Module): RandomLayer[] {
  return model.namedModules().map(([, m]) => m).filter((m): m is RandomLayer => m instanceof RandomLayer);
}
