import { fail } from '../errors.js';
import { checkOptions, opt } from '../options.js';
import type { Tensor } from '../tensor.js';
import { lossOptions } from './cross-entropy.js';
import type { RegressionLossOptions } from './mse.js';
import { pointwiseLoss } from './pointwise-loss.js';
import { reductionOption, type Reduction } from './reduction.js';

/**
 * Absolute error `|prediction − target|` per element, reduced like `F.l1_loss`.
 * Backward: `dprediction = sign(prediction − target)·dL` (0 where they are equal), `dtarget = −dprediction`.
 */
export function l1Loss(prediction: Tensor, target: Tensor, options?: Reduction | RegressionLossOptions): Tensor {
  const o = checkOptions('l1Loss', lossOptions(options), { reduction: reductionOption });
  return pointwiseLoss('l1Loss', prediction, target, o.reduction ?? 'mean', {
    value: (x, t) => Math.abs(x - t),
    dx: (x, t) => Math.sign(x - t),
    dt: (x, t) => Math.sign(t - x),
  });
}

/**
 * A loss of the difference d = prediction − target alone: `value(d)` per element, gradients
 * `slope(d)` for the prediction and `−slope(d)` for the target.
 */
function differenceLoss(
  where: string, prediction: Tensor, target: Tensor, reduction: Reduction, value: (d: number) => number, slope: (d: number) => number,
): Tensor {
  return pointwiseLoss(where, prediction, target, reduction, {
    value: (x, t) => value(x - t),
    dx: (x, t) => slope(x - t),
    dt: (x, t) => -slope(x - t),
  });
}

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1LossOptions extends RegressionLossOptions {
  /** Where the quadratic part ends, β ≥ 0 (β = 0 is the L1 loss). Default 1. */
  readonly beta?: number;
}

/**
 * `F.smooth_l1_loss`: with d = prediction − target, `0.5·d²/β` where |d| < β, else `|d| − 0.5·β`.
 * Backward: `d/β` inside, `sign(d)` outside.
 */
export function smoothL1Loss(prediction: Tensor, target: Tensor, options?: Reduction | SmoothL1LossOptions): Tensor {
  const where = 'smoothL1Loss';
  const o = checkOptions(where, lossOptions(options), { reduction: reductionOption, beta: opt.number });
  const beta = o.beta ?? 1;
  if (!(beta >= 0) || !Number.isFinite(beta)) fail(where, `beta must be a finite number ≥ 0, got ${beta}`);
  const inside = (d: number): boolean => Math.abs(d) < beta;
  const slope = (d: number): number => (inside(d) ? d / beta : Math.sign(d));
  const value = (d: number): number => (inside(d) ? (0.5 * d ** 2) / beta : Math.abs(d) - 0.5 * beta);
  return differenceLoss(where, prediction, target, o.reduction ?? 'mean', value, slope);
}

/** Options of {@link huberLoss}. */
export interface HuberLossOptions extends RegressionLossOptions {
  /** Where the quadratic part ends, δ > 0. Default 1. */
  readonly delta?: number;
}

/**
 * `F.huber_loss`: with d = prediction − target, `0.5·d²` where |d| < δ, else `δ·(|d| − 0.5·δ)`
 * (δ times smoothL1Loss with β = δ). Backward: `d` inside, `δ·sign(d)` outside.
 */
export function huberLoss(prediction: Tensor, target: Tensor, options?: Reduction | HuberLossOptions): Tensor {
  const where = 'huberLoss';
  const o = checkOptions(where, lossOptions(options), { reduction: reductionOption, delta: opt.number });
  const delta = o.delta ?? 1;
  if (!(delta > 0) || !Number.isFinite(delta)) fail(where, `delta must be a finite number > 0, got ${delta}`);
  const slope = (d: number): number => (Math.abs(d) < delta ? d : delta * Math.sign(d));
  const value = (d: number): number => (Math.abs(d) < delta ? 0.5 * d ** 2 : delta * (Math.abs(d) - 0.5 * delta));
  return differenceLoss(where, prediction, target, o.reduction ?? 'mean', value, slope);
}
