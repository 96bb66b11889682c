import { fail } from '../errors.js';
import { checkOptions, opt } from '../options.js';
import { checkNonNegative, type BaseHyper, type Optimizer } from './optimizer.js';

/** ReduceLROnPlateau options, PyTorch's names (camelCase) and defaults. */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): lower is better (a loss); 'max': higher is better (an accuracy). */
  readonly mode?: 'min' | 'max';
  /** Multiplies the learning rate on a plateau. Default 0.1. */
  readonly factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 10. */
  readonly patience?: number;
  /** Smallest improvement that counts. Default 1e-4. */
  readonly threshold?: number;
  /** 'rel' (default): relative to the best value; 'abs': absolute. */
  readonly thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again. Default 0. */
  readonly cooldown?: number;
  /** Lower bound of the learning rate, one for all groups or one per group. Default 0. */
  readonly minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped. Default 1e-8. */
  readonly eps?: number;
}

/** ReduceLROnPlateau's position as plain data. */
export interface PlateauStateDict {
  readonly epoch: number;
  readonly best: number;
  readonly numBadEpochs: number;
  readonly cooldownCounter: number;
}

/**
 * PyTorch's `ReduceLROnPlateau`: call {@link step} with a monitored value after each epoch (`fit`
 * passes the validation loss, or the training loss without validation); when it has not improved
 * for more than `patience` epochs, every group's learning rate becomes `max(lr·factor, minLr)`.
 * Improvement ('min', 'rel'): `value < best·(1 − threshold)`; ('min', 'abs'): `value < best − threshold`
 * (mirrored for 'max').
 * @example const plateau = new ReduceLROnPlateau(optimizer, { patience: 2 }); plateau.step(valLoss);
 */
export class ReduceLROnPlateau {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: readonly number[];
  readonly eps: number;
  /** Number of {@link step} calls so far. */
  epoch = 0;
  /** The best value seen. */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;

  constructor(readonly optimizer: Optimizer<BaseHyper>, options: ReduceLROnPlateauOptions = {}) {
    const where = 'ReduceLROnPlateau';
    const o = checkOptions(where, options, {
      mode: opt.oneOf('min', 'max'), factor: opt.number, patience: opt.integer, threshold: opt.number,
      thresholdMode: opt.oneOf('rel', 'abs'), cooldown: opt.integer, minLr: opt.either(opt.number, opt.numbers), eps: opt.number,
    });
    this.mode = o.mode ?? 'min';
    this.factor = o.factor ?? 0.1;
    if (!(this.factor >= 0 && this.factor < 1)) fail(where, `factor must be in [0, 1), got ${this.factor}`);
    this.patience = o.patience ?? 10;
    this.threshold = o.threshold ?? 1e-4;
    this.thresholdMode = o.thresholdMode ?? 'rel';
    this.cooldown = o.cooldown ?? 0;
    this.eps = o.eps ?? 1e-8;
    for (const [arg, v] of [['patience', this.patience], ['threshold', this.threshold], ['cooldown', this.cooldown], ['eps', this.eps]] as const) checkNonNegative(where, arg, v);
    const groups = optimizer.paramGroups.length;
    const minLr = o.minLr ?? 0;
    this.minLrs = typeof minLr === 'number' ? Array.from({ length: groups }, () => minLr) : [...minLr];
    if (this.minLrs.length !== groups) fail(where, `minLr has ${this.minLrs.length} values, the optimizer ${groups} parameter groups`);
    this.minLrs.forEach((v) => checkNonNegative(where, 'minLr', v));
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(value: number): boolean {
    const t = this.threshold;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? value < this.best * (1 - t) : value < this.best - t;
    return this.thresholdMode === 'rel' ? value > this.best * (1 + t) : value > this.best + t;
  }

  /** Records the epoch's monitored value and reduces the learning rates after a plateau. */
  step(value: number): void {
    if (typeof value !== 'number' || Number.isNaN(value)) fail('ReduceLROnPlateau', `step needs the monitored value (e.g. the validation loss), got ${value}`);
    this.epoch++;
    if (this.isBetter(value)) {
      this.best = value;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((group, g) => {
        const lr = Math.max(group.lr * this.factor, this.minLrs[g]!);
        if (group.lr - lr > this.eps) group.lr = lr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

  /** The learning rates now, one per group. */
  get lastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): PlateauStateDict {
    return { epoch: this.epoch, best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter };
  }

  loadStateDict(dict: PlateauStateDict): void {
    ({ epoch: this.epoch, best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter } = dict);
  }
}
