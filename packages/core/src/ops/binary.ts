import { recordOp } from '../autograd.js';
import { mapBinary, scatterSum } from '../kernels/dispatch.js';
import { broadcastIndex, broadcastShapes } from '../shape/broadcast.js';
import { Tensor, shapeSize } from '../tensor.js';
import { asTensor, type Operand } from './operand.js';

/** An element-wise binary op `z = f(x, y)` and its partial derivatives (given x, y and z). */
interface BinaryRule {
  readonly f: (x: number, y: number) => number;
  readonly dx: (x: number, y: number, z: number) => number;
  readonly dy: (x: number, y: number, z: number) => number;
}

/**
 * Applies `rule` with PyTorch broadcasting. Backward multiplies the output gradient by each
 * partial derivative and sums it over the dims the operand was broadcast along, so every
 * operand's gradient has that operand's shape.
 */
function binary(op: string, a: Operand, b: Operand, rule: BinaryRule): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  const shape = broadcastShapes(x.shape, y.shape, op);
  if (x.isMeta || y.isMeta) return Tensor.meta(shape);
  const n = shapeSize(shape);
  const ix = x.size === n && x.rank === shape.length ? null : broadcastIndex(x.shape, shape);
  const iy = y.size === n && y.rank === shape.length ? null : broadcastIndex(y.shape, shape);
  const xv = x.data;
  const yv = y.data;
  const z = mapBinary(n, xv, ix, yv, iy, rule.f);
  return recordOp(new Tensor(z, shape), op, [x, y], (g) => {
    const partial = (d: BinaryRule['dx']): Float32Array => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = g[i]! * d(xv[ix === null ? i : ix[i]!]!, yv[iy === null ? i : iy[i]!]!, z[i]!);
      return out;
    };
    // A derivative of 1 on an operand that was not broadcast passes g itself (g·1 summed over one
    // term is g, bit for bit): a residual connection's add copies nothing here.
    const gradient = (d: BinaryRule['dx'], index: Int32Array | null, size: number): Float32Array =>
      (d === one && index === null ? g : scatterSum(partial(d), index, size));
    return [x.requiresGrad ? gradient(rule.dx, ix, x.size) : null, y.requiresGrad ? gradient(rule.dy, iy, y.size) : null];
  });
}

const one = (): number => 1;

/**
 * `a + b` element-wise with broadcasting; either may be a number.
 * @example add(x, 1); add(Tensor.from([[1], [2]]), Tensor.from([10, 20])) // [[11, 21], [12, 22]]
 */
export function add(a: Operand, b: Operand): Tensor {
  return binary('add', a, b, { f: (x, y) => x + y, dx: one, dy: one });
}

/** `a − b` element-wise with broadcasting. */
export function sub(a: Operand, b: Operand): Tensor {
  return binary('sub', a, b, { f: (x, y) => x - y, dx: one, dy: () => -1 });
}

/** `a · b` element-wise with broadcasting (the Hadamard product; see `matmul` for matrices). */
export function mul(a: Operand, b: Operand): Tensor {
  return binary('mul', a, b, { f: (x, y) => x * y, dx: (_, y) => y, dy: (x) => x });
}

/** `a / b` element-wise with broadcasting (true division; `x / 0` is ±Infinity or NaN as in IEEE). */
export function div(a: Operand, b: Operand): Tensor {
  return binary('div', a, b, { f: (x, y) => x / y, dx: (_, y) => 1 / y, dy: (x, y) => -x / (y * y) });
}

/**
 * `a ** b` element-wise with broadcasting. Gradients as PyTorch's: `∂/∂a = b·a^(b−1)` (0 where
 * b = 0), `∂/∂b = a^b · ln a` (0 where a = 0 and b ≥ 0).
 */
export function pow(a: Operand, b: Operand): Tensor {
  return binary('pow', a, b, {
    f: (x, y) => x ** y,
    dx: (x, y) => (y === 0 ? 0 : y * x ** (y - 1)),
    dy: (x, y, z) => (x === 0 && y >= 0 ? 0 : z * Math.log(x)),
  });
}

/** The larger of `a` and `b` element-wise; a tie sends half the gradient to each (as PyTorch). */
export function maximum(a: Operand, b: Operand): Tensor {
  return binary('maximum', a, b, {
    f: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y)),
    dx: (x, y) => (x > y ? 1 : x === y ? 0.5 : 0),
    dy: (x, y) => (y > x ? 1 : x === y ? 0.5 : 0),
  });
}

/** The smaller of `a` and `b` element-wise; a tie sends half the gradient to each (as PyTorch). */
export function minimum(a: Operand, b: Operand): Tensor {
  return binary('minimum', a, b, {
    f: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y)),
    dx: (x, y) => (x < y ? 1 : x === y ? 0.5 : 0),
    dy: (x, y) => (y < x ? 1 : x === y ? 0.5 : 0),
  });
}

/** Comparison masks: 1 where the relation holds, else 0 (same broadcasting, no gradient). */
function compare(op: string, a: Operand, b: Operand, f: (x: number, y: number) => boolean): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  const shape = broadcastShapes(x.shape, y.shape, op);
  const n = shapeSize(shape);
  const ix = x.size === n && x.rank === shape.length ? null : broadcastIndex(x.shape, shape);
  const iy = y.size === n && y.rank === shape.length ? null : broadcastIndex(y.shape, shape);
  return new Tensor(mapBinary(n, x.data, ix, y.data, iy, (p, q) => (f(p, q) ? 1 : 0)), shape);
}

/** Mask of `a == b` (1 or 0), broadcast. */
export const eq = (a: Operand, b: Operand): Tensor => compare('eq', a, b, (x, y) => x === y);
/** Mask of `a != b` (1 or 0), broadcast. */
export const ne = (a: Operand, b: Operand): Tensor => compare('ne', a, b, (x, y) => x !== y);
/** Mask of `a < b` (1 or 0), broadcast. */
export const lt = (a: Operand, b: Operand): Tensor => compare('lt', a, b, (x, y) => x < y);
/** Mask of `a <= b` (1 or 0), broadcast. */
export const le = (a: Operand, b: Operand): Tensor => compare('le', a, b, (x, y) => x <= y);
/** Mask of `a > b` (1 or 0), broadcast. */
export const gt = (a: Operand, b: Operand): Tensor => compare('gt', a, b, (x, y) => x > y);
/** Mask of `a >= b` (1 or 0), broadcast. */
export const ge = (a: Operand, b: Operand): Tensor => compare('ge', a, b, (x, y) => x >= y);

/**
 * `cond ? a : b` element-wise, all three broadcast together (`cond` nonzero means true), like
 * `torch.where`. Gradients go to `a` where the condition holds and to `b` elsewhere.
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  const shape = broadcastShapes(cond.shape, broadcastShapes(x.shape, y.shape, 'where'), 'where');
  const n = shapeSize(shape);
  const ic = broadcastIndex(cond.shape, shape);
  const ix = broadcastIndex(x.shape, shape);
  const iy = broadcastIndex(y.shape, shape);
  const c = cond.data;
  const xv = x.data;
  const yv = y.data;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = c[ic[i]!] !== 0 ? xv[ix[i]!]! : yv[iy[i]!]!;
  return recordOp(new Tensor(out, shape), 'where', [x, y], (g) => {
    const side = (taken: boolean): Float32Array => {
      const part = new Float32Array(n);
      for (let i = 0; i < n; i++) if ((c[ic[i]!] !== 0) === taken) part[i] = g[i]!;
      return part;
    };
    return [x.requiresGrad ? scatterSum(side(true), ix, x.size) : null, y.requiresGrad ? scatterSum(side(false), iy, y.size) : null];
  });
}
