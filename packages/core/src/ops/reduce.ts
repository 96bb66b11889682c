import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { gather, scatterSum } from '../kernels/dispatch.js';
import { broadcastIndex, normalizeDim, normalizeDims, stridesOf } from '../shape/broadcast.js';
import { Tensor, shapeSize } from '../tensor.js';

/** The dims a reduction may run over: one, a list, or all of them (undefined). */
export type Dims = number | readonly number[];

/** Where each input value lands in a reduction: the output slot of every input position. */
interface Plan {
  /** The output shape (reduced dims dropped, or kept as size 1 with keepdim). */
  readonly shape: number[];
  /** Output slot of each input position, row-major. */
  readonly slot: Int32Array;
  readonly slots: number;
  /** Input values per slot. */
  readonly count: number;
}

function plan(x: Tensor, dim: Dims | undefined, keepdim: boolean, where: string): Plan {
  const dims = normalizeDims(dim, x.rank, where);
  const kept = x.shape.map((n, i) => (dims.includes(i) ? 1 : n));
  const shape = keepdim ? kept : x.shape.filter((_, i) => !dims.includes(i));
  const slots = shapeSize(kept);
  return { shape, slot: broadcastIndex(kept, x.shape), slots, count: slots === 0 ? 0 : x.size / slots };
}

/**
 * Sum over `dim` (a dim, a list, or all when omitted; negative dims count from the end), like
 * `torch.sum`. With `keepdim` the reduced dims stay as size 1.
 * @example sum(Tensor.from([[1, 2], [3, 4]]), 1) // [3, 7]
 */
export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const p = plan(x, dim, keepdim, 'sum');
  if (x.isMeta) return Tensor.meta(p.shape);
  return recordOp(new Tensor(scatterSum(x.data, p.slot, p.slots), p.shape), 'sum', [x], (g) => [gather(g, p.slot)]);
}

/** Mean over `dim` (see {@link sum}); NaN for an empty reduction, as PyTorch. */
export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const p = plan(x, dim, keepdim, 'mean');
  if (x.isMeta) return Tensor.meta(p.shape);
  const s = scatterSum(x.data, p.slot, p.slots);
  for (let i = 0; i < s.length; i++) s[i] /= p.count;
  return recordOp(new Tensor(s, p.shape), 'mean', [x], (g) => {
    const gx = gather(g, p.slot);
    for (let i = 0; i < gx.length; i++) gx[i] /= p.count;
    return [gx];
  });
}

/** Per-slot mean in float64. */
function slotMeans(x: Float32Array, p: Plan): Float64Array {
  const m = new Float64Array(p.slots);
  for (let i = 0; i < x.length; i++) m[p.slot[i]!] += x[i]!;
  for (let s = 0; s < p.slots; s++) m[s] /= p.count;
  return m;
}

function spread(op: 'var' | 'std', x: Tensor, dim: Dims | undefined, unbiased: boolean, keepdim: boolean): Tensor {
  const p = plan(x, dim, keepdim, op);
  if (x.isMeta) return Tensor.meta(p.shape);
  const xv = x.data;
  const m = slotMeans(xv, p);
  const dof = p.count - (unbiased ? 1 : 0);
  const ss = new Float64Array(p.slots);
  for (let i = 0; i < xv.length; i++) ss[p.slot[i]!] += (xv[i]! - m[p.slot[i]!]!) ** 2;
  const out = Float32Array.from(ss, (v) => (op === 'var' ? v / dof : Math.sqrt(v / dof)));
  return recordOp(new Tensor(out, p.shape), op, [x], (g) => {
    const gx = new Float32Array(xv.length);
    for (let i = 0; i < xv.length; i++) {
      const s = p.slot[i]!;
      const centred = xv[i]! - m[s]!;
      gx[i] = op === 'var' ? (g[s]! * 2 * centred) / dof : (g[s]! * centred) / (dof * out[s]!);
    }
    return [gx];
  });
}

/**
 * Variance over `dim`: `Σ(x − mean)² / (N − 1)` when `unbiased` (default, Bessel's correction),
 * else `/ N`, like `torch.var(x, dim, unbiased, keepdim)`.
 */
export function variance(x: Tensor, dim?: Dims, unbiased = true, keepdim = false): Tensor {
  return spread('var', x, dim, unbiased, keepdim);
}

/** Standard deviation `√var` over `dim` (see {@link variance}), like `torch.std`. */
export function std(x: Tensor, dim?: Dims, unbiased = true, keepdim = false): Tensor {
  return spread('std', x, dim, unbiased, keepdim);
}

/**
 * `log Σ exp(x)` over `dim`, computed stably (the maximum is subtracted first), like
 * `torch.logsumexp`. Gradient: `softmax(x)` over the same dims.
 */
export function logsumexp(x: Tensor, dim: Dims, keepdim = false): Tensor {
  const p = plan(x, dim, keepdim, 'logsumexp');
  if (x.isMeta) return Tensor.meta(p.shape);
  const xv = x.data;
  const top = new Float64Array(p.slots).fill(-Infinity);
  for (let i = 0; i < xv.length; i++) top[p.slot[i]!] = Math.max(top[p.slot[i]!]!, xv[i]!);
  const acc = new Float64Array(p.slots);
  for (let i = 0; i < xv.length; i++) {
    const t = top[p.slot[i]!]!;
    acc[p.slot[i]!] += t === -Infinity ? 0 : Math.exp(xv[i]! - t);
  }
  const out = Float32Array.from(acc, (a, s) => (top[s] === -Infinity ? -Infinity : top[s]! + Math.log(a)));
  const lse = Float64Array.from(acc, (a, s) => top[s]! + Math.log(a));
  return recordOp(new Tensor(out, p.shape), 'logsumexp', [x], (g) => {
    const gx = new Float32Array(xv.length);
    for (let i = 0; i < xv.length; i++) gx[i] = g[p.slot[i]!]! * Math.exp(xv[i]! - lse[p.slot[i]!]!);
    return [gx];
  });
}

/**
 * The p-norm `(Σ|x|^p)^(1/p)` over `dim` (all values when omitted), like `torch.norm(x, p, dim,
 * keepdim)`; `p` may be `'fro'` (= 2), `Infinity` (largest |x|) or any positive number.
 * The gradient is 0 where the norm is 0.
 */
export function norm(x: Tensor, p: number | 'fro' = 'fro', dim?: Dims, keepdim = false): Tensor {
  const order = p === 'fro' ? 2 : p;
  if (typeof order !== 'number' || !(order > 0)) fail('norm', `p must be a positive number, Infinity or 'fro', got ${String(p)}`);
  const pl = plan(x, dim, keepdim, 'norm');
  if (x.isMeta) return Tensor.meta(pl.shape);
  const xv = x.data;
  const acc = new Float64Array(pl.slots);
  for (let i = 0; i < xv.length; i++) {
    const a = Math.abs(xv[i]!);
    const s = pl.slot[i]!;
    acc[s] = order === Infinity ? Math.max(acc[s]!, a) : acc[s]! + a ** order;
  }
  const n = Float64Array.from(acc, (v) => (order === Infinity ? v : v ** (1 / order)));
  const ties = new Float64Array(pl.slots);
  if (order === Infinity) for (let i = 0; i < xv.length; i++) if (Math.abs(xv[i]!) === n[pl.slot[i]!]) ties[pl.slot[i]!]++;
  return recordOp(new Tensor(Float32Array.from(n), pl.shape), 'norm', [x], (g) => {
    const gx = new Float32Array(xv.length);
    for (let i = 0; i < xv.length; i++) {
      const s = pl.slot[i]!;
      const v = xv[i]!;
      if (n[s] === 0) continue;
      if (order === Infinity) gx[i] = Math.abs(v) === n[s] ? (g[s]! * Math.sign(v)) / ties[s]! : 0;
      else if (order === 1) gx[i] = g[s]! * Math.sign(v);
      else gx[i] = (g[s]! * v * Math.abs(v) ** (order - 2)) / n[s]! ** (order - 1);
    }
    return [gx];
  });
}

/** The values and positions of the extremes along one dim (`torch.max(x, dim)`'s result). */
export interface ValuesIndices {
  readonly values: Tensor;
  /**
   * Positions along the reduced dim: a float32 tensor holding exact whole numbers (convlab's
   * tensors have no integer dtype; PyTorch's are int64), ready for `gather(x, dim, indices)` with
   * `keepdim`, `indexSelect` or class labels.
   */
  readonly indices: Tensor;
}

/**
 * Extreme (`sign` 1: max, −1: min) along `dim` with its first position; NaN counts as the extreme.
 * Backward sends each gradient to the chosen position.
 */
function extremeAlong(op: string, x: Tensor, dim: number, keepdim: boolean, sign: 1 | -1): ValuesIndices {
  const d = normalizeDim(dim, x.rank, op);
  if (x.rank > 0 && x.shape[d] === 0) fail(op, `cannot reduce over dim ${dim} of size 0 (input shape ${formatShape(x.shape)})`);
  const p = plan(x, x.rank === 0 ? undefined : d, keepdim, op);
  const size = x.rank === 0 ? 1 : x.shape[d]!;
  const stride = x.rank === 0 ? 1 : stridesOf(x.shape)[d]!;
  const xv = x.data;
  const best = new Float32Array(p.slots);
  const at = new Int32Array(p.slots).fill(-1);
  const from = new Int32Array(p.slots);
  for (let i = 0; i < xv.length; i++) {
    const s = p.slot[i]!;
    const v = xv[i]!;
    const current = best[s]!;
    if (at[s] === -1 || (!Number.isNaN(current) && (Number.isNaN(v) || sign * (v - current) > 0))) {
      best[s] = v;
      at[s] = Math.floor(i / stride) % size;
      from[s] = i;
    }
  }
  const values = recordOp(new Tensor(best, p.shape), op, [x], (g) => {
    const gx = new Float32Array(xv.length);
    for (let s = 0; s < p.slots; s++) gx[from[s]!] += g[s]!;
    return [gx];
  });
  return { values, indices: new Tensor(Float32Array.from(at), p.shape) };
}

/** The extreme of all values; ties share the gradient evenly (as PyTorch's full `max()`). */
function extremeAll(op: string, x: Tensor, sign: 1 | -1): Tensor {
  if (x.size === 0) fail(op, `cannot reduce an empty tensor (shape ${formatShape(x.shape)}); pass a dim`);
  const xv = x.data;
  let best = xv[0]!;
  for (let i = 1; i < xv.length && !Number.isNaN(best); i++) if (Number.isNaN(xv[i]!) || sign * (xv[i]! - best) > 0) best = xv[i]!;
  return recordOp(new Tensor(Float32Array.of(best), []), op, [x], (g) => {
    let ties = 0;
    for (let i = 0; i < xv.length; i++) if (Object.is(xv[i], best) || xv[i] === best) ties++;
    const gx = new Float32Array(xv.length);
    for (let i = 0; i < xv.length; i++) if (Object.is(xv[i], best) || xv[i] === best) gx[i] = g[0]! / ties;
    return [gx];
  });
}

/**
 * Largest value: of all values (a 0-D tensor) when no dim is given, else along `dim` with its
 * positions, like `torch.max`. (For the element-wise larger of two tensors see `maximum`.)
 * @example max(x) // 0-D; const { values, indices } = max(logits, 1)
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? extremeAll('max', x, 1) : extremeAlong('max', x, dim, keepdim, 1);
}

/** Smallest value, of all values or along `dim` with positions (see {@link max}). */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? extremeAll('min', x, -1) : extremeAlong('min', x, dim, keepdim, -1);
}

function argExtreme(op: string, x: Tensor, dim: number | undefined, keepdim: boolean, sign: 1 | -1): Tensor {
  if (dim !== undefined) return extremeAlong(op, x, dim, keepdim, sign).indices;
  const flat = new Tensor(x.data, [x.size]);
  const { indices } = extremeAlong(op, flat, 0, false, sign);
  return keepdim ? indices.reshape(x.shape.map(() => 1)) : indices;
}

/**
 * Position of the largest value along `dim` (first one on ties), or in the flattened tensor when
 * no dim is given, like `torch.argmax`. No gradient. The positions come as a float32 tensor holding
 * exact whole numbers (up to 2²⁴; convlab has no integer dtype, PyTorch gives int64): they go
 * straight into `indexSelect`, `gather` (with `keepdim`) and the losses' class labels.
 * @example argmax(logits, 1) // [N, C] → [N], each row's predicted class
 */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme('argmax', x, dim, keepdim, 1);
}

/** Position of the smallest value, as float32 whole numbers (see {@link argmax}). */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme('argmin', x, dim, keepdim, -1);
}
