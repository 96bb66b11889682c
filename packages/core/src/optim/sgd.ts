import { fail } from '../errors.js';
import { opt } from '../options.js';
import { checkFraction, checkNonNegative, Optimizer, type ParamState, type Params } from './optimizer.js';

/** SGD hyperparameters, PyTorch's names (camelCase) and defaults. */
export interface SGDOptions {
  /** Learning rate η (required here or in every parameter group). */
  lr: number;
  /** Momentum μ. Default 0. */
  momentum: number;
  /** Dampening τ of the momentum update. Default 0. */
  dampening: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov: boolean;
  /** L2 penalty λ added to the gradient. Default 0. */
  weightDecay: number;
}

/**
 * Stochastic gradient descent with PyTorch's exact update rule (`torch.optim.SGD`):
 *
 *     g ← ∇w + λ·w
 *     b ← g                          on the first step (no dampening)
 *     b ← μ·b + (1 − τ)·g            afterwards
 *     g ← g + μ·b  (Nesterov)   or   g ← b
 *     w ← w − η·g
 *
 * Without momentum it is plain `w ← w − η·(∇w + λ·w)`. State per parameter: `momentumBuffer`.
 * @example const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 * @example new SGD([{ params: model.features.parameters(), lr: 1e-3 }, { params: model.classifier.parameters() }], { lr: 1e-2 })
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options?: Partial<SGDOptions>) {
    super(params, options, { lr: NaN, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
      { lr: opt.number, momentum: opt.number, dampening: opt.number, nesterov: opt.boolean, weightDecay: opt.number }, 'SGD');
  }

  protected override checkGroup(group: SGDOptions, where: string): void {
    super.checkGroup(group, where);
    checkFraction(where, 'momentum', group.momentum);
    checkNonNegative(where, 'dampening', group.dampening);
    checkNonNegative(where, 'weightDecay', group.weightDecay);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      fail(where, `nesterov needs momentum > 0 and dampening 0, got momentum ${group.momentum}, dampening ${group.dampening}`);
    }
  }

  protected initState(): ParamState {
    return {};
  }

  protected update(w: Float32Array, grad: Float32Array, group: SGDOptions, state: ParamState): void {
    const { lr, momentum: mu, weightDecay: wd, nesterov } = group;
    const damp = 1 - group.dampening;
    let b = state['momentumBuffer'] as Float32Array | undefined;
    const first = b === undefined && mu !== 0;
    if (first) b = state['momentumBuffer'] = new Float32Array(w.length);
    for (let i = 0; i < w.length; i++) {
      let g = grad[i]! + wd * w[i]!;
      if (b !== undefined) {
        b[i] = first ? g : mu * b[i]! + damp * g;
        g = nesterov ? g + mu * b[i]! : b[i]!;
      }
      w[i] = w[i]! - lr * g;
    }
  }
}
