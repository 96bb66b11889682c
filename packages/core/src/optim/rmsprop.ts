import { opt } from '../options.js';
import { checkFraction, checkNonNegative, Optimizer, type ParamState, type Params } from './optimizer.js';

/** RMSprop hyperparameters, PyTorch's names (camelCase) and defaults. */
export interface RMSpropOptions {
  /** Learning rate η. Default 0.01. */
  lr: number;
  /** Smoothing constant α of the squared-gradient average. Default 0.99. */
  alpha: number;
  /** ε added to the denominator. Default 1e-8. */
  eps: number;
  /** L2 penalty λ added to the gradient. Default 0. */
  weightDecay: number;
  /** Momentum μ. Default 0. */
  momentum: number;
  /** Divide by the gradient's estimated variance instead of its second moment. Default false. */
  centered: boolean;
}

/**
 * RMSprop with PyTorch's exact update rule (`torch.optim.RMSprop`):
 *
 *     g ← ∇w + λ·w
 *     s ← α·s + (1 − α)·g²
 *     a ← √(s − ḡ²) + ε  with ḡ ← α·ḡ + (1 − α)·g  (centered),   a ← √s + ε  otherwise
 *     b ← μ·b + g/a,  w ← w − η·b  (momentum)                  or  w ← w − η·g/a
 *
 * State per parameter: `step`, `squareAvg`, `momentumBuffer` (μ > 0), `gradAvg` (centered).
 * @example new RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9 })
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options?: Partial<RMSpropOptions>) {
    super(params, options, { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
      { lr: opt.number, alpha: opt.number, eps: opt.number, weightDecay: opt.number, momentum: opt.number, centered: opt.boolean }, 'RMSprop');
  }

  protected override checkGroup(group: RMSpropOptions, where: string): void {
    super.checkGroup(group, where);
    checkNonNegative(where, 'alpha', group.alpha);
    checkNonNegative(where, 'eps', group.eps);
    checkNonNegative(where, 'weightDecay', group.weightDecay);
    checkFraction(where, 'momentum', group.momentum);
  }

  protected initState(param: { readonly size: number }, group: RMSpropOptions): ParamState {
    const s: ParamState = { step: 0, squareAvg: new Float32Array(param.size) };
    if (group.momentum > 0) s['momentumBuffer'] = new Float32Array(param.size);
    if (group.centered) s['gradAvg'] = new Float32Array(param.size);
    return s;
  }

  protected update(w: Float32Array, grad: Float32Array, group: RMSpropOptions, s: ParamState): void {
    s['step'] = (s['step'] as number) + 1;
    const { lr, alpha, eps, weightDecay: wd, momentum: mu } = group;
    const sq = s['squareAvg'] as Float32Array;
    const avg = group.centered ? ((s['gradAvg'] as Float32Array | undefined) ?? (s['gradAvg'] = new Float32Array(w.length))) : null;
    const buf = mu > 0 ? ((s['momentumBuffer'] as Float32Array | undefined) ?? (s['momentumBuffer'] = new Float32Array(w.length))) : null;
    for (let i = 0; i < w.length; i++) {
      const g = grad[i]! + wd * w[i]!;
      sq[i] = alpha * sq[i]! + (1 - alpha) * g * g;
      let denom: number;
      if (avg !== null) {
        avg[i] = alpha * avg[i]! + (1 - alpha) * g;
        denom = Math.sqrt(Math.fround(sq[i]! - avg[i]! * avg[i]!)) + eps;
      } else {
        denom = Math.sqrt(sq[i]!) + eps;
      }
      if (buf !== null) {
        buf[i] = mu * buf[i]! + g / denom;
        w[i] = w[i]! - lr * buf[i]!;
      } else {
        w[i] = w[i]! - (lr * g) / denom;
      }
    }
  }
}
