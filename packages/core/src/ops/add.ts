import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { Tensor } from '../tensor.js';

/** Element-wise sum of two tensors of the same shape (residual connections). */
export function add(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    fail('add', `shapes must match, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const x = a.data;
  const y = b.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = x[i]! + y[i]!;
  return recordOp(new Tensor(out, a.shape), 'add', [a, b], (g) => [g, g]);
}
