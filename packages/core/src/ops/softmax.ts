import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { logSoftmaxBackward, logSoftmaxForward, softmaxBackward, softmaxForward } from '../kernels/dispatch.js';
import type { AxisLayout } from '../kernels/softmax.js';
import { Tensor } from '../tensor.js';

/** `x` seen as `[outer, len, inner]` around dimension `dim`; throws for a scalar or a dim out of range. */
function axisLayout(x: Tensor, dim: number, where: string): AxisLayout {
  const rank = x.rank;
  if (rank === 0) fail(where, `expected a tensor with at least one dimension, got a scalar (shape [])`);
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    fail(where, `dim must be an integer in [${-rank}, ${rank - 1}] for input shape ${formatShape(x.shape)}, got ${dim}`);
  }
  const d = dim < 0 ? dim + rank : dim;
  const product = (dims: readonly number[]): number => dims.reduce((p, v) => p * v, 1);
  return { outer: product(x.shape.slice(0, d)), len: x.shape[d]!, inner: product(x.shape.slice(d + 1)) };
}

/**
 * Softmax along `dim` (negative counts from the end): `y_k = e^{x_k} / Σ_j e^{x_j}` over each slice,
 * computed with the slice's maximum subtracted (stable for any logits). Output has x's shape.
 * Backward: `dx_k = y_k · (dy_k − Σ_j dy_j · y_j)`.
 * @example softmax(logits, 1) // [N, C] → class probabilities per row
 */
export function softmax(x: Tensor, dim: number): Tensor {
  const layout = axisLayout(x, dim, 'softmax');
  const y = new Float32Array(x.size);
  softmaxForward(x.data, layout, y);
  return recordOp(new Tensor(y, x.shape), 'softmax', [x], (g) => {
    const gx = new Float32Array(g.length);
    softmaxBackward(y, g, layout, gx);
    return [gx];
  });
}

/**
 * Log-softmax along `dim`: `y_k = x_k − log Σ_j e^{x_j}`, computed stably (no softmax is formed, so
 * very negative log-probabilities stay exact). Backward: `dx_k = dy_k − e^{y_k} · Σ_j dy_j`.
 * @example nllLoss(logSoftmax(logits, 1), labels) // equals crossEntropy(logits, labels)
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const layout = axisLayout(x, dim, 'logSoftmax');
  const y = new Float32Array(x.size);
  logSoftmaxForward(x.data, layout, y);
  return recordOp(new Tensor(y, x.shape), 'logSoftmax', [x], (g) => {
    const gx = new Float32Array(g.length);
    logSoftmaxBackward(y, g, layout, gx);
    return [gx];
  });
}
