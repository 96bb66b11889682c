import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { Tensor } from '../tensor.js';

/** `x` seen as `[outer, len, inner]` around the reduced dimension. */
interface AxisLayout {
  readonly outer: number;
  readonly len: number;
  readonly inner: number;
}

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
 * Calls `visit(base, slice)` for every slice along the axis: its values sit at
 * `base + k·inner` for k < len, and `slice = o·inner + i` numbers it.
 */
function forEachSlice({ outer, len, inner }: AxisLayout, visit: (base: number, slice: number) => void): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) visit(o * len * inner + i, o * inner + i);
  }
}

/**
 * Writes `log Σ_k e^{x_k}` of every slice along the axis into `lse` (indexed `o·inner + i`),
 * computed as `m + log Σ e^{x_k − m}` with `m` the slice's maximum, so it never overflows.
 */
function logSumExp(v: Float32Array, layout: AxisLayout): Float64Array {
  const { outer, len, inner } = layout;
  const lse = new Float64Array(outer * inner);
  forEachSlice(layout, (base, slice) => {
    let m = -Infinity;
    for (let k = 0; k < len; k++) m = Math.max(m, v[base + k * inner]!);
    let s = 0;
    for (let k = 0; k < len; k++) s += Math.exp(v[base + k * inner]! - m);
    lse[slice] = m + Math.log(s);
  });
  return lse;
}

/**
 * Softmax along `dim` (negative counts from the end): `y_k = e^{x_k} / Σ_j e^{x_j}` over each slice,
 * computed with the slice's maximum subtracted (stable for any logits). Output has x's shape.
 * Backward: `dx_k = y_k · (dy_k − Σ_j dy_j · y_j)`.
 * @example softmax(logits, 1) // [N, C] → class probabilities per row
 */
export function softmax(x: Tensor, dim: number): Tensor {
  const layout = axisLayout(x, dim, 'softmax');
  const { len, inner } = layout;
  const v = x.data;
  const lse = logSumExp(v, layout);
  const y = new Float32Array(v.length);
  forEachSlice(layout, (base, slice) => {
    for (let k = 0; k < len; k++) y[base + k * inner] = Math.exp(v[base + k * inner]! - lse[slice]!);
  });
  return recordOp(new Tensor(y, x.shape), 'softmax', [x], (g) => {
    const gx = new Float32Array(g.length);
    forEachSlice(layout, (base) => {
      let dot = 0;
      for (let k = 0; k < len; k++) dot += g[base + k * inner]! * y[base + k * inner]!;
      for (let k = 0; k < len; k++) gx[base + k * inner] = y[base + k * inner]! * (g[base + k * inner]! - dot);
    });
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
  const { len, inner } = layout;
  const v = x.data;
  const lse = logSumExp(v, layout);
  const y = new Float32Array(v.length);
  forEachSlice(layout, (base, slice) => {
    for (let k = 0; k < len; k++) y[base + k * inner] = v[base + k * inner]! - lse[slice]!;
  });
  return recordOp(new Tensor(y, x.shape), 'logSoftmax', [x], (g) => {
    const gx = new Float32Array(g.length);
    forEachSlice(layout, (base) => {
      let sum = 0;
      for (let k = 0; k < len; k++) sum += g[base + k * inner]!;
      for (let k = 0; k < len; k++) gx[base + k * inner] = g[base + k * inner]! - Math.exp(y[base + k * inner]!) * sum;
    });
    return [gx];
  });
}
