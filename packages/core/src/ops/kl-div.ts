import { checkOptions, opt } from '../options.js';
import type { Tensor } from '../tensor.js';
import { pointwiseLoss } from './pointwise-loss.js';

/** Options of {@link klDiv}. */
export interface KlDivOptions {
  /**
   * 'mean' (default, PyTorch's: divided by the element count), 'batchmean' (divided by the batch
   * size N — the true KL divergence per sample), 'sum' or 'none'.
   */
  readonly reduction?: 'none' | 'mean' | 'sum' | 'batchmean';
  /** The target holds log-probabilities too. Default false. */
  readonly logTarget?: boolean;
}

/**
 * `F.kl_div`: Kullback–Leibler divergence of the target distribution from the input's, with the
 * input given as log-probabilities q (e.g. from `logSoftmax`): `loss = t·(log t − q)` per element
 * (0 where t = 0); with `logTarget`, `loss = e^t·(t − q)`.
 * Backward: `dq = −t` (`−e^t`), `dt = log t + 1 − q` (`e^t·(t − q + 1)`).
 * @example klDiv(logSoftmax(student, 1), softmax(teacher, 1), { reduction: 'batchmean' })
 */
export function klDiv(input: Tensor, target: Tensor, options: KlDivOptions = {}): Tensor {
  const where = 'klDiv';
  const o = checkOptions(where, options, { reduction: opt.oneOf('none', 'mean', 'sum', 'batchmean'), logTarget: opt.boolean });
  const reduction = o.reduction ?? 'mean';
  const names = { input: 'input', target: 'target' };
  const batchDivisor = reduction === 'batchmean' ? (input.rank === 0 ? 1 : input.shape[0]!) : undefined;
  const r = reduction === 'batchmean' ? 'mean' : reduction;
  if (o.logTarget === true) {
    return pointwiseLoss(where, input, target, r, {
      value: (q, t) => Math.exp(t) * (t - q),
      dx: (_q, t) => -Math.exp(t),
      dt: (q, t) => Math.exp(t) * (t - q + 1),
    }, names, batchDivisor);
  }
  return pointwiseLoss(where, input, target, r, {
    value: (q, t) => (t === 0 ? 0 : t * (Math.log(t) - q)),
    dx: (_q, t) => -t,
    dt: (q, t) => Math.log(t) + 1 - q,
  }, names, batchDivisor);
}
