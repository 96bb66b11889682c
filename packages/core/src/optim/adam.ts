import type { Parameter } from '../nn/parameter.js';
import { checkFraction, checkNonNegative, Optimizer } from './optimizer.js';

/** Adam/AdamW options, PyTorch's names and defaults. */
export interface AdamOptions {
  /** Learning rate η. Default 0.001. */
  readonly lr?: number;
  /** Decay rates (β1, β2) of the first and second moment estimates. Default [0.9, 0.999]. */
  readonly betas?: readonly [number, number];
  /** ε added to the denominator. Default 1e-8. */
  readonly eps?: number;
  /** Weight decay λ: an L2 term in the gradient (Adam) or a decoupled shrink (AdamW). Default 0 (Adam), 0.01 (AdamW). */
  readonly weightDecay?: number;
  /** Use the running maximum of the second moment (AMSGrad). Default false. */
  readonly amsgrad?: boolean;
}

interface Moments {
  step: number;
  m: Float32Array;
  v: Float32Array;
  vMax: Float32Array | null;
}

/**
 * The moment estimates shared by {@link Adam} and {@link AdamW}. Arithmetic runs in float64 and is
 * rounded to float32 when stored, so results agree with PyTorch's float32 kernels to about 1 ulp.
 */
abstract class AdaptiveMoments extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  private readonly moments = new Map<Parameter, Moments>();

  constructor(params: Iterable<Parameter>, options: AdamOptions, name: string, private readonly decoupled: boolean) {
    super(params, options.lr ?? 0.001, name);
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? (decoupled ? 0.01 : 0);
    this.amsgrad = options.amsgrad ?? false;
    checkFraction(name, 'betas[0]', this.beta1);
    checkFraction(name, 'betas[1]', this.beta2);
    checkNonNegative(name, 'eps', this.eps);
    checkNonNegative(name, 'weightDecay', this.weightDecay);
  }

  protected update(param: Parameter, w: Float32Array, grad: Float32Array): void {
    let s = this.moments.get(param);
    if (s === undefined) {
      const n = w.length;
      s = { step: 0, m: new Float32Array(n), v: new Float32Array(n), vMax: this.amsgrad ? new Float32Array(n) : null };
      this.moments.set(param, s);
    }
    s.step++;
    const { beta1: b1, beta2: b2, eps, lr } = this;
    const wd = this.weightDecay;
    const stepSize = lr / (1 - b1 ** s.step);
    const correction2Sqrt = Math.sqrt(1 - b2 ** s.step);
    const { m, v, vMax } = s;
    if (this.decoupled && wd !== 0) {
      const shrink = 1 - lr * wd;
      for (let i = 0; i < w.length; i++) w[i] = w[i]! * shrink;
    }
    const l2 = this.decoupled ? 0 : wd;
    for (let i = 0; i < w.length; i++) {
      const g = grad[i]! + l2 * w[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      const second = vMax === null ? v[i]! : (vMax[i] = Math.max(vMax[i]!, v[i]!));
      w[i] = w[i]! - (stepSize * m[i]!) / (Math.sqrt(second) / correction2Sqrt + eps);
    }
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
  constructor(params: Iterable<Parameter>, options: AdamOptions = {}) {
    super(params, options, 'Adam', false);
  }
}

/**
 * AdamW (`torch.optim.AdamW`): Adam whose weight decay shrinks the weights directly,
 * `w ← w·(1 − η·λ)`, before the Adam step, instead of entering the gradient. Default λ = 0.01.
 * @example const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends AdaptiveMoments {
  constructor(params: Iterable<Parameter>, options: AdamOptions = {}) {
    super(params, options, 'AdamW', true);
  }
}
