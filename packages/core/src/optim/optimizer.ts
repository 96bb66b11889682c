import { fail } from '../errors.js';
import type { Parameter } from '../nn/parameter.js';

/**
 * Base class of the optimizers: holds the parameters and the learning rate (which schedules
 * change between steps), and updates every parameter that has a gradient on {@link step}.
 * Per-parameter state (momentum buffers, moment estimates) lives in the subclasses, keyed by
 * parameter.
 */
export abstract class Optimizer {
  readonly params: readonly Parameter[];
  /** The learning rate of the next step; schedules overwrite it. */
  lr: number;

  constructor(params: Iterable<Parameter>, lr: number, readonly name: string) {
    this.params = [...new Set(params)];
    if (this.params.length === 0) fail(name, 'got an empty parameter list');
    const meta = this.params.find((p) => p.isMeta);
    if (meta !== undefined) fail(name, `cannot optimise a meta parameter of shape [${meta.shape.join(',')}] (model built without weights)`);
    checkNonNegative(name, 'lr', lr);
    this.lr = lr;
  }

  /** Clears every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** Updates every parameter that has a gradient; parameters without one are skipped, as in PyTorch. */
  step(): void {
    for (const p of this.params) {
      if (p.grad !== null) this.update(p, p.data, p.grad.data);
    }
  }

  /** Applies the rule to one parameter's values `w` given its gradient `g`. */
  protected abstract update(param: Parameter, w: Float32Array, g: Float32Array): void;
}

/** Throws unless `value` is a finite number ≥ 0. */
export function checkNonNegative(where: string, argument: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) fail(where, `${argument} must be a finite number ≥ 0, got ${value}`);
}

/** Throws unless 0 ≤ `value` < 1. */
export function checkFraction(where: string, argument: string, value: number): void {
  if (!(value >= 0 && value < 1)) fail(where, `${argument} must be in [0, 1), got ${value}`);
}
