import { fail } from '../errors.js';
import type { Optimizer } from './optimizer.js';

/**
 * Changes an optimizer's learning rate once per epoch: call {@link step} after each epoch (as
 * `fit` does). `epoch` counts the steps taken; the learning rate for epoch `e` (0-based) is
 * `lrAt(e)`, computed in closed form from the initial rate.
 */
export abstract class LRScheduler {
  /** The optimizer's learning rate when the schedule was created. */
  readonly baseLr: number;
  /** Number of {@link step} calls so far. */
  epoch = 0;

  constructor(readonly optimizer: Optimizer) {
    this.baseLr = optimizer.lr;
  }

  /** The learning rate of epoch `epoch` (0-based). */
  abstract lrAt(epoch: number): number;

  /** Moves to the next epoch and sets the optimizer's learning rate for it. */
  step(): void {
    this.epoch++;
    this.optimizer.lr = this.lrAt(this.epoch);
  }
}

function checkPositiveInteger(where: string, argument: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) fail(where, `${argument} must be a positive integer, got ${value}`);
}

/**
 * PyTorch's `StepLR`: multiplies the learning rate by `gamma` every `stepSize` epochs,
 * `η_e = η₀·γ^⌊e / stepSize⌋`.
 * @example new StepLR(optimizer, { stepSize: 3, gamma: 0.5 }) // 0.1, 0.1, 0.1, 0.05, …
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { readonly stepSize: number; readonly gamma?: number }) {
    super(optimizer);
    checkPositiveInteger('StepLR', 'stepSize', options.stepSize);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    if (!(this.gamma > 0)) fail('StepLR', `gamma must be positive, got ${this.gamma}`);
  }

  lrAt(epoch: number): number {
    return this.baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/**
 * PyTorch's `CosineAnnealingLR` (SGDR without restarts): follows half a cosine from the initial
 * rate down to `etaMin` over `tMax` epochs, `η_e = η_min + (η₀ − η_min)·(1 + cos(π·e / tMax)) / 2`,
 * and back up along the same cosine after `tMax`, as PyTorch's does.
 * @example new CosineAnnealingLR(optimizer, { tMax: 10 })
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: { readonly tMax: number; readonly etaMin?: number }) {
    super(optimizer);
    checkPositiveInteger('CosineAnnealingLR', 'tMax', options.tMax);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
  }

  lrAt(epoch: number): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}
