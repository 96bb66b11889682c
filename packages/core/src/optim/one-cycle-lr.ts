import { fail } from '../errors.js';
import { checkOptions, opt } from '../options.js';
import { LRScheduler } from './lr-scheduler.js';
import type { BaseHyper, Optimizer, ParamGroup } from './optimizer.js';

/** OneCycleLR options, PyTorch's names (camelCase) and defaults. */
export interface OneCycleLROptions {
  /** Peak learning rate, one for all groups or one per group. Required. */
  readonly maxLr: number | readonly number[];
  /** Number of steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  readonly totalSteps?: number;
  readonly epochs?: number;
  readonly stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the learning rate. Default 0.3. */
  readonly pctStart?: number;
  /** 'cos' (default) or 'linear' annealing. */
  readonly annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (SGD/RMSprop `momentum`, Adam `betas[0]`) inversely to the learning rate. Default true. */
  readonly cycleMomentum?: boolean;
  /** Default 0.85. */
  readonly baseMomentum?: number;
  /** Default 0.95. */
  readonly maxMomentum?: number;
  /** Initial learning rate = maxLr / divFactor. Default 25. */
  readonly divFactor?: number;
  /** Final learning rate = initial / finalDivFactor. Default 1e4. */
  readonly finalDivFactor?: number;
  /** Three phases (up, down to the initial rate, annihilate) instead of two. Default false. */
  readonly threePhase?: boolean;
}

interface Phase {
  readonly endStep: number;
  readonly lr: readonly ['initial' | 'max' | 'min', 'initial' | 'max' | 'min'];
  readonly momentum: readonly ['max' | 'base', 'max' | 'base'];
}

type MomentumGroup = ParamGroup<BaseHyper> & { momentum?: number; betas?: readonly [number, number] };

/**
 * PyTorch's `OneCycleLR` (Smith & Topin, super-convergence), stepped after every batch: the
 * learning rate rises from `maxLr/divFactor` to `maxLr` over the first `pctStart` of the cycle, then
 * anneals to `initial/finalDivFactor` (cosine or linear); momentum moves the opposite way between
 * `maxMomentum` and `baseMomentum`. Annealing from a to b at fraction p: cos `b + (a − b)·(1 + cos πp)/2`,
 * linear `a + (b − a)·p`.
 * @example new OneCycleLR(optimizer, { maxLr: 0.1, epochs: 10, stepsPerEpoch: loader.length })
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  private readonly phases: readonly Phase[];
  private readonly levels: readonly { readonly initial: number; readonly max: number; readonly min: number }[];
  private readonly options: Required<Pick<OneCycleLROptions, 'annealStrategy' | 'cycleMomentum' | 'baseMomentum' | 'maxMomentum'>>;

  constructor(optimizer: Optimizer<BaseHyper>, options: OneCycleLROptions) {
    super(optimizer, 'OneCycleLR');
    const where = 'OneCycleLR';
    const o = checkOptions(where, options, {
      maxLr: opt.either(opt.number, opt.numbers), totalSteps: opt.integer, epochs: opt.integer, stepsPerEpoch: opt.integer,
      pctStart: opt.number, annealStrategy: opt.oneOf('cos', 'linear'), cycleMomentum: opt.boolean, baseMomentum: opt.number,
      maxMomentum: opt.number, divFactor: opt.number, finalDivFactor: opt.number, threePhase: opt.boolean,
    });
    const groups = optimizer.paramGroups;
    if (o.maxLr === undefined) fail(where, 'maxLr is needed, e.g. { maxLr: 0.1, totalSteps: 1000 }');
    const maxLrs = typeof o.maxLr === 'number' ? groups.map(() => o.maxLr as number) : [...o.maxLr];
    if (maxLrs.length !== groups.length) fail(where, `maxLr has ${maxLrs.length} values, the optimizer ${groups.length} parameter groups`);
    maxLrs.forEach((lr) => {
      if (!(lr > 0) || !Number.isFinite(lr)) fail(where, `maxLr must be a finite number > 0, got ${lr}`);
    });
    if (o.totalSteps !== undefined) {
      if (o.totalSteps < 1) fail(where, `totalSteps must be a positive integer, got ${o.totalSteps}`);
      this.totalSteps = o.totalSteps;
    } else {
      if (o.epochs === undefined || o.stepsPerEpoch === undefined || o.epochs < 1 || o.stepsPerEpoch < 1) {
        fail(where, `needs totalSteps, or epochs and stepsPerEpoch (positive integers), got epochs ${o.epochs}, stepsPerEpoch ${o.stepsPerEpoch}`);
      }
      this.totalSteps = o.epochs * o.stepsPerEpoch;
    }
    const pct = o.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) fail(where, `pctStart must be in [0, 1], got ${pct}`);
    const div = o.divFactor ?? 25;
    const finalDiv = o.finalDivFactor ?? 1e4;
    for (const [arg, v] of [['divFactor', div], ['finalDivFactor', finalDiv]] as const) {
      if (!(v > 0) || !Number.isFinite(v)) fail(where, `${arg} must be a finite number > 0, got ${v}`);
    }
    this.levels = maxLrs.map((max) => ({ initial: max / div, max, min: max / div / finalDiv }));
    const t = this.totalSteps;
    this.phases = o.threePhase === true
      ? [
          { endStep: pct * t - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
          { endStep: 2 * pct * t - 2, lr: ['max', 'initial'], momentum: ['base', 'max'] },
          { endStep: t - 1, lr: ['initial', 'min'], momentum: ['max', 'max'] },
        ]
      : [
          { endStep: pct * t - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
          { endStep: t - 1, lr: ['max', 'min'], momentum: ['base', 'max'] },
        ];
    this.options = {
      annealStrategy: o.annealStrategy ?? 'cos',
      cycleMomentum: o.cycleMomentum ?? true,
      baseMomentum: o.baseMomentum ?? 0.85,
      maxMomentum: o.maxMomentum ?? 0.95,
    };
    if (this.options.cycleMomentum) {
      for (const g of groups as MomentumGroup[]) {
        if (g.momentum === undefined && g.betas === undefined) fail(where, `cycleMomentum needs an optimizer with momentum or betas, ${optimizer.name} has neither (pass cycleMomentum: false)`);
      }
    }
    this.apply();
  }

  private anneal(start: number, end: number, pct: number): number {
    return this.options.annealStrategy === 'cos' ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
  }

  /** Where step `step` is: the phase and the fraction of it done. */
  private locate(step: number): { readonly phase: Phase; readonly pct: number } {
    if (step > this.totalSteps) fail(this.name, `stepped ${step} times, beyond totalSteps ${this.totalSteps}`);
    let start = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i]!;
      // The step after the last batch (step = totalSteps) keeps the final rate instead of overshooting.
      if (step <= phase.endStep || i === this.phases.length - 1) return { phase, pct: Math.min(1, (step - start) / (phase.endStep - start)) };
      start = phase.endStep;
    }
    throw new Error('unreachable');
  }

  lrAt(step: number, group: number): number {
    const { phase, pct } = this.locate(step);
    const level = this.levels[group]!;
    return this.anneal(level[phase.lr[0]], level[phase.lr[1]], pct);
  }

  protected override apply(): void {
    super.apply();
    if (!this.options.cycleMomentum) return;
    const { phase, pct } = this.locate(this.epoch);
    const value = { max: this.options.maxMomentum, base: this.options.baseMomentum };
    const momentum = this.anneal(value[phase.momentum[0]], value[phase.momentum[1]], pct);
    for (const g of this.optimizer.paramGroups as MomentumGroup[]) {
      if (g.betas !== undefined) g.betas = [momentum, g.betas[1]];
      else g.momentum = momentum;
    }
  }
}
