import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { Tensor } from '../tensor.js';
import { checkFinite } from './finite.js';
import { checkReduction, type Reduction } from './labels.js';

/**
 * Mean squared error `Σ (prediction − target)² / M` over all `M` elements (or the sum), like
 * `torch.nn.functional.mse_loss`; both tensors must have the same shape (no broadcasting).
 * Returns a scalar (shape `[]`). Backward: `dprediction = 2·(prediction − target)·dL / (M or 1)`,
 * `dtarget = −dprediction`. Throws on NaN/±Infinity in either input, naming the first bad position.
 */
export function mse(prediction: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  const where = 'mse';
  checkReduction(reduction, where);
  if (prediction.rank !== target.rank || prediction.shape.some((d, i) => d !== target.shape[i])) {
    fail(where, `expected target of shape ${formatShape(prediction.shape)} (the prediction's), got ${formatShape(target.shape)}`);
  }
  if (prediction.size === 0) fail(where, `expected at least one element, got shape ${formatShape(prediction.shape)}`);
  checkFinite(prediction, 'prediction', where);
  checkFinite(target, 'target', where);
  const p = prediction.data;
  const t = target.data;
  let total = 0;
  for (let i = 0; i < p.length; i++) total += (p[i]! - t[i]!) ** 2;
  const scale = reduction === 'mean' ? 1 / p.length : 1;
  return recordOp(new Tensor(Float32Array.of(total * scale), []), 'mse', [prediction, target], (g) => {
    const k = 2 * g[0]! * scale;
    const gp = new Float32Array(p.length);
    for (let i = 0; i < gp.length; i++) gp[i] = k * (p[i]! - t[i]!);
    return [gp, target.requiresGrad ? gp.map((d) => -d) : null];
  });
}
