import { fail } from '../errors.js';
import { optimizerBuffer, sgdMomentumStep } from '../kernels/dispatch.js';
import { opt } from '../options.js';
import type { ValuesVersion } from '../kernels/sgd.js';
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

  protected update(w: Float32Array, grad: Float32Array, group: SGDOptions, state: ParamState, values: ValuesVersion): void {
    const { lr, momentum: mu, weightDecay: wd, nesterov } = group;
    const b = state['momentumBuffer'] as Float32Array | undefined;
    if (b === undefined && mu === 0) plainStep(w, grad, lr, wd);
    else if (b === undefined) state['momentumBuffer'] = optimizerBuffer(firstMomentumStep(w, grad, lr, mu, wd, nesterov));
    else {
      // A buffer restored by loadStateDict moves to where the kernel keeps it (a no-op once there).
      const kept = optimizerBuffer(b);
      state['momentumBuffer'] = kept;
      sgdMomentumStep(w, grad, kept, lr, mu, wd, 1 - group.dampening, nesterov, values);
    }
  }
}

// The first step's and plain SGD's loops (the later momentum steps are kernels/sgd.ts's), each the
// rule above in the same order: `b` is float32, so a value stored in it is read back rounded (Math.fround).

/** `w ← w − lr·(g + wd·w)`. */
function plainStep(w: Float32Array, grad: Float32Array, lr: number, wd: number): void {
  for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr * (grad[i]! + wd * w[i]!);
}

/** The first step with momentum: `b = g`, then the step; returns the new buffer. */
function firstMomentumStep(w: Float32Array, grad: Float32Array, lr: number, mu: number, wd: number, nesterov: boolean): Float32Array {
  const b = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const g = grad[i]! + wd * w[i]!;
    const bi = Math.fround(g);
    b[i] = bi;
    w[i] = w[i]! - lr * (nesterov ? g + mu * bi : bi);
  }
  return b;
}
