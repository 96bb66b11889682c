import { fail } from '../errors.js';
import { recordOp } from '../autograd.js';
import { mapUnary } from '../kernels/dispatch.js';
import { Tensor } from '../tensor.js';

/**
 * Applies `f` element-wise; backward multiplies the output gradient by `df(x, y)` (given the input
 * and the output value).
 */
function unary(op: string, x: Tensor, f: (v: number) => number, df: (v: number, y: number) => number): Tensor {
  if (x.isMeta) return Tensor.meta(x.shape);
  const xv = x.data;
  const y = mapUnary(xv, f);
  return recordOp(new Tensor(y, x.shape), op, [x], (g) => {
    const gx = new Float32Array(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = g[i]! * df(xv[i]!, y[i]!);
    return [gx];
  });
}

/** `−x`. */
export const neg = (x: Tensor): Tensor => unary('neg', x, (v) => -v, () => -1);
/** `eˣ`; gradient `eˣ`. */
export const exp = (x: Tensor): Tensor => unary('exp', x, Math.exp, (_, y) => y);
/** Natural logarithm `ln x` (−Infinity at 0, NaN below); gradient `1/x`. */
export const log = (x: Tensor): Tensor => unary('log', x, Math.log, (v) => 1 / v);
/** `√x`; gradient `1/(2√x)`. */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, Math.sqrt, (_, y) => 0.5 / y);
/** `|x|`; gradient `sign(x)` (0 at 0, as PyTorch). */
export const abs = (x: Tensor): Tensor => unary('abs', x, Math.abs, (v) => Math.sign(v));

/**
 * Limits every value to `[min, max]` (either bound may be omitted: `null` or `undefined`), like
 * `torch.clamp`. The gradient passes where `min ≤ x ≤ max` and is 0 where a bound was applied.
 * When `min > max` every value becomes `max` (as PyTorch).
 * @example clamp(x, 0) // ReLU; clamp(p, 1e-7, 1 - 1e-7)
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (Number.isNaN(lo) || Number.isNaN(hi)) fail('clamp', `bounds must be numbers, got min ${min} and max ${max}`);
  if (min == null && max == null) fail('clamp', 'expected at least one of min and max');
  return unary('clamp', x, (v) => Math.min(Math.max(v, lo), hi), (v) => (v >= lo && v <= hi ? 1 : 0));
}
