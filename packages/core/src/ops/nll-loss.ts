import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { Tensor } from '../tensor.js';
import { checkFinite } from './finite.js';
import { checkLabels, checkReduction, type Labels, type Reduction } from './labels.js';

/**
 * Negative log-likelihood of log-probabilities `[N, C]` (e.g. from `logSoftmax(x, 1)`) against
 * integer labels in `[0, C)`: `loss_n = −x_{n,y_n}`, like `torch.nn.functional.nll_loss`. Returns
 * a scalar (shape `[]`): the batch mean (default) or sum.
 * Backward: `dx_{n,y_n} = −dL / (N for 'mean', 1 for 'sum')`, zero elsewhere.
 * Throws on NaN/±Infinity input, naming the first bad position.
 */
export function nllLoss(logProbs: Tensor, labels: Labels, reduction: Reduction = 'mean'): Tensor {
  const where = 'nllLoss';
  checkReduction(reduction, where);
  if (logProbs.rank !== 2) fail(where, `expected log-probabilities of shape [N, C], got ${formatShape(logProbs.shape)}`);
  const [n, c] = logProbs.shape as [number, number];
  if (n === 0 || c === 0) fail(where, `expected at least one sample and one class, got log-probabilities shape ${formatShape(logProbs.shape)}`);
  const targets = checkLabels(labels, n, c, where);
  checkFinite(logProbs, 'log-probabilities', where);
  const v = logProbs.data;
  let total = 0;
  for (let i = 0; i < n; i++) total -= v[i * c + targets[i]!]!;
  const scale = reduction === 'mean' ? 1 / n : 1;
  return recordOp(new Tensor(Float32Array.of(total * scale), []), 'nllLoss', [logProbs], (g) => {
    const gx = new Float32Array(v.length);
    for (let i = 0; i < n; i++) gx[i * c + targets[i]!] = -g[0]! * scale;
    return [gx];
  });
}
