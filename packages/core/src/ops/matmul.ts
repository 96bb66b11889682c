import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { gemm } from '../kernels/dispatch.js';
import { broadcastIndex, broadcastShapes } from '../shape/broadcast.js';
import { Tensor, shapeSize } from '../tensor.js';

/**
 * Matrix product with `torch.matmul`'s rules:
 * - 1-D · 1-D: the dot product (a 0-D tensor);
 * - 2-D · 2-D: `[m, k] · [k, n] → [m, n]`;
 * - a 1-D operand is a row (left) or column (right) vector whose added dim is dropped again:
 *   `[k] · [k, n] → [n]`, `[m, k] · [k] → [m]`;
 * - more dims: a batch of matrices in the last two, the leading (batch) dims broadcast:
 *   `[b, 1, m, k] · [c, k, n] → [b, c, m, n]`.
 * Backward: `dA = dC · Bᵀ`, `dB = Aᵀ · dC`, each summed over the batch dims it was broadcast along.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank === 0 || b.rank === 0) fail('matmul', `both operands need at least 1 dim, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const aShape = a.rank === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bShape = b.rank === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const [m, k] = aShape.slice(-2) as [number, number];
  const [kb, n] = bShape.slice(-2) as [number, number];
  if (k !== kb) {
    fail('matmul', `inner dims differ: ${formatShape(a.shape)} · ${formatShape(b.shape)} needs ${k} = ${kb}`);
  }
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch, 'matmul');
  const shape = [...batch, ...(a.rank === 1 ? [] : [m]), ...(b.rank === 1 ? [] : [n])];
  if (a.isMeta || b.isMeta) return Tensor.meta(shape);
  const count = shapeSize(batch);
  const ia = broadcastIndex(aBatch, batch);
  const ib = broadcastIndex(bBatch, batch);
  const av = a.data;
  const bv = b.data;
  const out = new Float32Array(count * m * n);
  for (let i = 0; i < count; i++) {
    gemm({ m, n, k, a: av, aOffset: ia[i]! * m * k, b: bv, bOffset: ib[i]! * k * n, c: out, cOffset: i * m * n });
  }
  return recordOp(new Tensor(out, shape), 'matmul', [a, b], (g) => {
    let ga: Float32Array | null = null;
    let gb: Float32Array | null = null;
    if (a.requiresGrad) {
      ga = new Float32Array(a.size);
      for (let i = 0; i < count; i++) {
        gemm({ m, n: k, k: n, a: g, aOffset: i * m * n, b: bv, bOffset: ib[i]! * k * n, transB: true, c: ga, cOffset: ia[i]! * m * k, accumulate: true });
      }
    }
    if (b.requiresGrad) {
      gb = new Float32Array(b.size);
      for (let i = 0; i < count; i++) {
        gemm({ m: k, n, k: m, a: av, aOffset: ia[i]! * m * k, transA: true, b: g, bOffset: i * m * n, c: gb, cOffset: ib[i]! * k * n, accumulate: true });
      }
    }
    return [ga, gb];
  });
}
