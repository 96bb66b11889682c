import { opt } from '../options.js';
import { checkNonNegative, Optimizer, type ParamState, type Params } from './optimizer.js';

/** Adagrad hyperparameters, PyTorch's names (camelCase) and defaults. */
export interface AdagradOptions {
  /** Learning rate η. Default 0.01. */
  lr: number;
  /** Learning-rate decay δ: step t uses η / (1 + (t − 1)·δ). Default 0. */
  lrDecay: number;
  /** L2 penalty λ added to the gradient. Default 0. */
  weightDecay: number;
  /** Starting value of the squared-gradient sums. Default 0. */
  initialAccumulatorValue: number;
  /** ε added to the denominator. Default 1e-10. */
  eps: number;
}

/**
 * Adagrad with PyTorch's exact update rule (`torch.optim.Adagrad`), at step t:
 *
 *     g ← ∇w + λ·w
 *     s ← s + g²
 *     w ← w − η / (1 + (t − 1)·δ) · g / (√s + ε)
 *
 * State per parameter: `step`, `sum`.
 * @example new Adagrad(model.parameters(), { lr: 0.1 })
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  /** The sums' starting value: the options', as in PyTorch (whose Adagrad ignores a group's own). */
  private readonly initialSum: number;

  constructor(params: Params<AdagradOptions>, options?: Partial<AdagradOptions>) {
    super(params, options, { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 },
      { lr: opt.number, lrDecay: opt.number, weightDecay: opt.number, initialAccumulatorValue: opt.number, eps: opt.number }, 'Adagrad');
    this.initialSum = options?.initialAccumulatorValue ?? 0;
  }

  protected override checkGroup(group: AdagradOptions, where: string): void {
    super.checkGroup(group, where);
    checkNonNegative(where, 'lrDecay', group.lrDecay);
    checkNonNegative(where, 'weightDecay', group.weightDecay);
    checkNonNegative(where, 'initialAccumulatorValue', group.initialAccumulatorValue);
    checkNonNegative(where, 'eps', group.eps);
  }

  protected initState(param: { readonly size: number }): ParamState {
    return { step: 0, sum: new Float32Array(param.size).fill(this.initialSum) };
  }

  protected update(w: Float32Array, grad: Float32Array, group: AdagradOptions, s: ParamState): void {
    const step = (s['step'] as number) + 1;
    s['step'] = step;
    const { weightDecay: wd, eps } = group;
    const clr = group.lr / (1 + (step - 1) * group.lrDecay);
    const sum = s['sum'] as Float32Array;
    for (let i = 0; i < w.length; i++) {
      const g = grad[i]! + wd * w[i]!;
      sum[i] = sum[i]! + g * g;
      w[i] = w[i]! - (clr * g) / (Math.sqrt(sum[i]!) + eps);
    }
  }
}
