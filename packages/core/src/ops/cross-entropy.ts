import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { Tensor } from '../tensor.js';
import { checkFinite } from './finite.js';
import { checkLabels, checkReduction, type Labels, type Reduction } from './labels.js';

/**
 * Cross-entropy of logits `[N, C]` against integer labels (one per sample, in `[0, C)`), like
 * `torch.nn.functional.cross_entropy`: `loss_n = log Σ_c e^{x_nc} − x_{n,y_n}`, fused with the
 * log-softmax (computed around each row's maximum, so large logits are safe). Returns a scalar
 * (shape `[]`): the mean over the batch (default) or the sum.
 * Backward: `dx_nc = dL · (softmax(x_n)_c − [c = y_n]) / (N for 'mean', 1 for 'sum')`.
 * Throws on NaN/±Infinity logits, naming the first bad position.
 * @example crossEntropy(model.call(images), labels).backward()
 */
export function crossEntropy(logits: Tensor, labels: Labels, reduction: Reduction = 'mean'): Tensor {
  const where = 'crossEntropy';
  checkReduction(reduction, where);
  if (logits.rank !== 2) fail(where, `expected logits of shape [N, C], got ${formatShape(logits.shape)}`);
  const [n, c] = logits.shape as [number, number];
  if (n === 0 || c === 0) fail(where, `expected at least one sample and one class, got logits shape ${formatShape(logits.shape)}`);
  const targets = checkLabels(labels, n, c, where);
  checkFinite(logits, 'logits', where);
  const v = logits.data;
  const probabilities = new Float32Array(v.length);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * c;
    let m = -Infinity;
    for (let j = 0; j < c; j++) m = Math.max(m, v[row + j]!);
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp(v[row + j]! - m);
    const lse = m + Math.log(s);
    for (let j = 0; j < c; j++) probabilities[row + j] = Math.exp(v[row + j]! - lse);
    total += lse - v[row + targets[i]!]!;
  }
  const scale = reduction === 'mean' ? 1 / n : 1;
  return recordOp(new Tensor(Float32Array.of(total * scale), []), 'crossEntropy', [logits], (g) => {
    const k = g[0]! * scale;
    const gx = new Float32Array(v.length);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) gx[i * c + j] = k * probabilities[i * c + j]!;
      gx[i * c + targets[i]!] -= k;
    }
    return [gx];
  });
}
