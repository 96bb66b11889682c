import { fail } from '../errors.js';
import type { Parameter } from '../nn/parameter.js';
import { checkFraction, checkNonNegative, Optimizer } from './optimizer.js';

/** SGD options, PyTorch's names and defaults. */
export interface SGDOptions {
  /** Learning rate η. */
  readonly lr: number;
  /** Momentum μ. Default 0. */
  readonly momentum?: number;
  /** Dampening τ of the momentum update. Default 0. */
  readonly dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  readonly nesterov?: boolean;
  /** L2 penalty λ added to the gradient. Default 0. */
  readonly weightDecay?: number;
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
 * Without momentum it is plain `w ← w − η·(∇w + λ·w)`.
 * @example const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  private readonly buffers = new Map<Parameter, Float32Array>();

  constructor(params: Iterable<Parameter>, options: SGDOptions) {
    super(params, options.lr, 'SGD');
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    checkFraction('SGD', 'momentum', this.momentum);
    checkNonNegative('SGD', 'dampening', this.dampening);
    checkNonNegative('SGD', 'weightDecay', this.weightDecay);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      fail('SGD', `nesterov needs momentum > 0 and dampening 0, got momentum ${this.momentum}, dampening ${this.dampening}`);
    }
  }

  protected update(param: Parameter, w: Float32Array, grad: Float32Array): void {
    const { lr, momentum: mu, weightDecay: wd, nesterov } = this;
    const damp = 1 - this.dampening;
    let b = this.buffers.get(param);
    const first = b === undefined && mu !== 0;
    if (first) {
      b = new Float32Array(w.length);
      this.buffers.set(param, b);
    }
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
