import { fail } from '../errors.js';
import { checkOptions, opt } from '../options.js';
import { checkNonNegative, type BaseHyper, type Optimizer } from './optimizer.js';

/** A schedule's state as plain data, like `LRScheduler.state_dict()`. */
export interface SchedulerStateDict {
  readonly epoch: number;
  readonly baseLrs: readonly number[];
}

/**
 * Changes an optimizer's learning rates as training goes on: call {@link step} after each epoch
 * (as `fit` does; OneCycleLR after each batch). `epoch` counts the steps taken; the learning rate of
 * group g at epoch e is `lrAt(e, g)`, computed in closed form from the group's initial rate
 * (`baseLrs[g]`). Every rate a schedule sets is checked (finite, ≥ 0).
 */
export abstract class LRScheduler {
  /** Each group's learning rate when the schedule was created. */
  readonly baseLrs: number[];
  /** Number of {@link step} calls so far (PyTorch's `last_epoch`). */
  epoch = 0;

  constructor(readonly optimizer: Optimizer<BaseHyper>, readonly name: string) {
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.baseLrs.forEach((lr, g) => checkNonNegative(name, optimizer.paramGroups.length === 1 ? 'the optimizer\'s lr' : `the lr of param group ${g}`, lr));
  }

  /** The first group's initial learning rate. */
  get baseLr(): number {
    return this.baseLrs[0]!;
  }

  /** The learning rates the last step set, one per group (PyTorch's `get_last_lr()`). */
  get lastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rate of group `group` at epoch `epoch` (0-based). */
  abstract lrAt(epoch: number, group: number): number;

  /** Moves to the next epoch and sets the optimizer's learning rates for it. */
  step(): void {
    this.epoch++;
    this.apply();
  }

  /** Sets every group's learning rate for the current epoch; subclasses call it once constructed. */
  protected apply(): void {
    this.optimizer.paramGroups.forEach((group, g) => {
      const lr = this.lrAt(this.epoch, g);
      if (!Number.isFinite(lr) || lr < 0) fail(this.name, `the learning rate of epoch ${this.epoch} would be ${lr}; a learning rate must be a finite number ≥ 0`);
      group.lr = lr;
    });
  }

  /** The schedule's position, to resume a run with {@link loadStateDict} (with the optimizer's own state dict). */
  stateDict(): SchedulerStateDict {
    return { epoch: this.epoch, baseLrs: [...this.baseLrs] };
  }

  /** Restores a position saved by {@link stateDict}; the optimizer's learning rates come from its own state dict. */
  loadStateDict(dict: SchedulerStateDict): void {
    if (dict.baseLrs.length !== this.baseLrs.length) fail(`${this.name}.loadStateDict`, `the state has ${dict.baseLrs.length} base learning rates, ` +
      `the optimizer ${this.baseLrs.length} parameter groups`);
    this.epoch = dict.epoch;
    this.baseLrs.splice(0, this.baseLrs.length, ...dict.baseLrs);
  }
}

function checkPositiveInteger(where: string, argument: string, value: number | undefined): number {
  if (value === undefined || !Number.isInteger(value) || value < 1) fail(where, `${argument} must be a positive integer, got ${value}`);
  return value;
}

function checkPositive(where: string, argument: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) fail(where, `${argument} must be a finite number > 0, got ${value}`);
  return value;
}

/**
 * PyTorch's `StepLR`: multiplies the learning rate by `gamma` every `stepSize` epochs,
 * `η_e = η₀·γ^⌊e / stepSize⌋`.
 * @example new StepLR(optimizer, { stepSize: 3, gamma: 0.5 }) // 0.1, 0.1, 0.1, 0.05, …
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer<BaseHyper>, options: { readonly stepSize: number; readonly gamma?: number }) {
    super(optimizer, 'StepLR');
    const o = checkOptions('StepLR', options, { stepSize: opt.number, gamma: opt.number });
    this.stepSize = checkPositiveInteger('StepLR', 'stepSize', o.stepSize);
    this.gamma = checkPositive('StepLR', 'gamma', o.gamma ?? 0.1);
    this.apply();
  }

  lrAt(epoch: number, group: number): number {
    return this.baseLrs[group]! * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/**
 * PyTorch's `MultiStepLR`: multiplies the learning rate by `gamma` at each milestone epoch,
 * `η_e = η₀·γ^(number of milestones ≤ e)`.
 * @example new MultiStepLR(optimizer, { milestones: [30, 80], gamma: 0.1 })
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: readonly number[];
  readonly gamma: number;

  constructor(optimizer: Optimizer<BaseHyper>, options: { readonly milestones: readonly number[]; readonly gamma?: number }) {
    super(optimizer, 'MultiStepLR');
    const o = checkOptions('MultiStepLR', options, { milestones: opt.numbers, gamma: opt.number });
    if (o.milestones === undefined) fail('MultiStepLR', 'milestones are needed, e.g. { milestones: [30, 80] }');
    o.milestones.forEach((m, i) => checkPositiveInteger('MultiStepLR', `milestones[${i}]`, m));
    this.milestones = [...o.milestones].sort((a, b) => a - b);
    this.gamma = checkPositive('MultiStepLR', 'gamma', o.gamma ?? 0.1);
    this.apply();
  }

  lrAt(epoch: number, group: number): number {
    return this.baseLrs[group]! * this.gamma ** this.milestones.filter((m) => m <= epoch).length;
  }
}

/** PyTorch's `ExponentialLR`: `η_e = η₀·γ^e`. @example new ExponentialLR(optimizer, { gamma: 0.9 }) */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer<BaseHyper>, options: { readonly gamma: number }) {
    super(optimizer, 'ExponentialLR');
    const o = checkOptions('ExponentialLR', options, { gamma: opt.number });
    if (o.gamma === undefined) fail('ExponentialLR', 'gamma is needed, e.g. { gamma: 0.9 }');
    this.gamma = checkPositive('ExponentialLR', 'gamma', o.gamma);
    this.apply();
  }

  lrAt(epoch: number, group: number): number {
    return this.baseLrs[group]! * this.gamma ** epoch;
  }
}

/**
 * PyTorch's `LinearLR` (warm-up): scales the learning rate by a factor going linearly from
 * `startFactor` to `endFactor` over `totalIters` epochs, then stays:
 * `η_e = η₀·(start + (end − start)·min(e, totalIters)/totalIters)`.
 * @example new LinearLR(optimizer, { startFactor: 0.1, totalIters: 5 })
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer<BaseHyper>, options: { readonly startFactor?: number; readonly endFactor?: number; readonly totalIters?: number } = {}) {
    super(optimizer, 'LinearLR');
    const o = checkOptions('LinearLR', options, { startFactor: opt.number, endFactor: opt.number, totalIters: opt.number });
    this.startFactor = o.startFactor ?? 1 / 3;
    this.endFactor = o.endFactor ?? 1;
    if (!(this.startFactor > 0 && this.startFactor <= 1)) fail('LinearLR', `startFactor must be in (0, 1], got ${this.startFactor}`);
    if (!(this.endFactor >= 0 && this.endFactor <= 1)) fail('LinearLR', `endFactor must be in [0, 1], got ${this.endFactor}`);
    this.totalIters = checkPositiveInteger('LinearLR', 'totalIters', o.totalIters ?? 5);
    this.apply();
  }

  lrAt(epoch: number, group: number): number {
    return this.baseLrs[group]! * (this.startFactor + ((this.endFactor - this.startFactor) * Math.min(epoch, this.totalIters)) / this.totalIters);
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

  constructor(optimizer: Optimizer<BaseHyper>, options: { readonly tMax: number; readonly etaMin?: number }) {
    super(optimizer, 'CosineAnnealingLR');
    const o = checkOptions('CosineAnnealingLR', options, { tMax: opt.number, etaMin: opt.number });
    this.tMax = checkPositiveInteger('CosineAnnealingLR', 'tMax', o.tMax);
    this.etaMin = o.etaMin ?? 0;
    checkNonNegative('CosineAnnealingLR', 'etaMin', this.etaMin);
    this.apply();
  }

  lrAt(epoch: number, group: number): number {
    return this.etaMin + ((this.baseLrs[group]! - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}
