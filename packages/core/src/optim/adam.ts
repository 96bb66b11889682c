import { adamStep, optimizerBuffer } from '../kernels/dispatch.js';
import type { ValuesVersion } from '../kernels/sgd.js';
import { opt } from '../options.js';
import { checkFraction, checkNonNegative, Optimizer, type ParamState, type Params } from './optimizer.js';

/** Adam/AdamW hyperparameters, PyTorch's names (camelCase) and defaults. */
export interface AdamOptions {
  /** Learning rate η. Default 0.001. */
  lr: number;
  /** Decay rates (β1, β2) of the first and second moment estimates. Default [0.9, 0.999]. */
  betas: readonly [number, number];
  /** ε added to the denominator. Default 1e-8. */
  eps: number;
  /** Weight decay λ: an L2 term in the gradient (Adam) or a decoupled shrink (AdamW). Default 0 (Adam), 0.01 (AdamW). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad). Default false. */
  amsgrad: boolean;
}

const betasOption = {
  expected: 'a pair [β1, β2]',
  test: (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number'),
};

/**
 * The moment estimates shared by {@link Adam} and {@link AdamW}. Arithmetic runs in float64 and is
 * rounded to float32 when stored, so results agree with PyTorch's float32 kernels to about 1 ulp.
 * State per parameter: `step`, `expAvg`, `expAvgSq` and (AMSGrad) `maxExpAvgSq`.
 */
abstract class AdaptiveMoments extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> | undefined, name: string, private readonly decoupled: boolean) {
    super(params, options, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: decoupled ? 0.01 : 0, amsgrad: false },
      { lr: opt.number, betas: betasOption, eps: opt.number, weightDecay: opt.number, amsgrad: opt.boolean }, name);
  }

  protected override checkGroup(group: AdamOptions, where: string): void {
    super.checkGroup(group, where);
    checkFraction(where, 'betas[0]', group.betas[0]);
    checkFraction(where, 'betas[1]', group.betas[1]);
    checkNonNegative(where, 'eps', group.eps);
    checkNonNegative(where, 'weightDecay', group.weightDecay);
  }

  protected initState(param: { readonly size: number }, group: AdamOptions): ParamState {
    const n = param.size;
    const s: ParamState = { step: 0, expAvg: new Float32Array(n), expAvgSq: new Float32Array(n) };
    if (group.amsgrad) s['maxExpAvgSq'] = new Float32Array(n);
    return s;
  }

  protected update(w: Float32Array, grad: Float32Array, group: AdamOptions, s: ParamState, values: ValuesVersion): void {
    const step = (s['step'] as number) + 1;
    s['step'] = step;
    const { lr, eps, weightDecay: wd } = group;
    const [b1, b2] = group.betas;
    const stepSize = lr / (1 - b1 ** step);
    const correction2Sqrt = Math.sqrt(1 - b2 ** step);
    // Moment estimates (and any restored by loadStateDict) move to where the kernel keeps them.
    const m = (s['expAvg'] = optimizerBuffer(s['expAvg'] as Float32Array));
    const v = (s['expAvgSq'] = optimizerBuffer(s['expAvgSq'] as Float32Array));
    const shrink = this.decoupled && wd !== 0 ? 1 - lr * wd : 1;
    const l2 = this.decoupled ? 0 : wd;
    const vMax = group.amsgrad ? ((s['maxExpAvgSq'] as Float32Array | undefined) ?? (s['maxExpAvgSq'] = new Float32Array(w.length))) : null;
    adamStep(w, grad, m, v, vMax, { shrink, l2, b1, b2, stepSize, correction2Sqrt, eps }, values);
  }
}

/**
 * Adam with PyTorch's exact update rule (`torch.optim.Adam`), at step t:
 *
 *     g ← ∇w + λ·w
 *     m ← β1·m + (1 − β1)·g
 *     v ← β2·v + (1 − β2)·g²
 *     v̂ ← max(v̂, v)  (AMSGrad; v̂ = v otherwise)
 *     w ← w − (η / (1 − β1ᵗ)) · m / (√v̂ / √(1 − β2ᵗ) + ε)
 * @example const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends AdaptiveMoments {
  constructor(params: Params<AdamOptions>, options?: Partial<AdamOptions>) {
    super(params, options, 'Adam', false);
  }
}

/**
 * AdamW (`torch.optim.AdamW`): Adam whose weight decay shrinks the weights directly,
 * `w ← w·(1 − η·λ)`, before the Adam step, instead of entering the gradient. Default λ = 0.01.
 * @example const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends AdaptiveMoments {
  constructor(params: Params<AdamOptions>, options?: Partial<AdamOptions>) {
    super(params, options, 'AdamW', true);
  }
}
