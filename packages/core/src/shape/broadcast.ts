import { fail, formatShape } from '../errors.js';
import type { Shape } from '../tensor.js';

/**
 * The shape two operands broadcast to, by PyTorch's rule: align the shapes at their last
 * dimension; each pair of sizes must be equal or one of them 1 (missing leading sizes count as 1).
 * @example broadcastShapes([4, 1, 3], [5, 1]) // [4, 5, 3]
 */
export function broadcastShapes(a: Shape, b: Shape, where: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      fail(where, `shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (size ${x} vs ${y} at dim ${i - rank})`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** `dim` counted from the front: negative dims count from the end (`-1` is the last). */
export function normalizeDim(dim: number, rank: number, where: string, extra = 0): number {
  const range = rank + extra;
  if (!Number.isInteger(dim) || dim < -Math.max(range, 1) || dim >= Math.max(range, 1)) {
    fail(where, `dim ${dim} is out of range for a ${rank}-D tensor (expected ${-Math.max(range, 1)}..${Math.max(range, 1) - 1})`);
  }
  return dim < 0 ? dim + Math.max(range, 1) : dim;
}

/**
 * The dims a reduction runs over, sorted and counted from the front: all of them when `dim` is
 * undefined, else the listed ones (negative allowed, each at most once).
 */
export function normalizeDims(dim: number | readonly number[] | undefined, rank: number, where: string): number[] {
  if (dim === undefined) return [...Array(rank).keys()];
  const list = typeof dim === 'number' ? [dim] : dim;
  const dims = list.map((d) => normalizeDim(d, rank, where));
  if (new Set(dims).size !== dims.length) fail(where, `dim ${formatShape([...list])} names a dimension twice`);
  return dims.sort((p, q) => p - q);
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * For each row-major position of `outShape`, the position `offset + Σ_d c_d·step_d` it reads from
 * (c the position's coordinates). Views are such maps: permute (permuted strides), expand
 * (stride 0), narrow and select (an offset).
 */
export function stridedIndex(outShape: Shape, step: readonly number[], offset = 0): Int32Array {
  const rank = outShape.length;
  let total = 1;
  for (const n of outShape) total *= n;
  const index = new Int32Array(total);
  const counter = new Array<number>(rank).fill(0);
  let at = offset;
  for (let i = 0; i < total; i++) {
    index[i] = at;
    for (let d = rank - 1; d >= 0; d--) {
      if (++counter[d]! < outShape[d]!) {
        at += step[d]!;
        break;
      }
      at -= step[d]! * (outShape[d]! - 1);
      counter[d] = 0;
    }
  }
  return index;
}

/**
 * For each row-major position of `outShape`, the position in a tensor of `shape` that broadcasts
 * to it (`shape` must broadcast to `outShape`). Reductions use it the other way round: each input
 * position's output slot, with `shape` the reduced shape keeping its size-1 dims.
 */
export function broadcastIndex(shape: Shape, outShape: Shape): Int32Array {
  const offset = outShape.length - shape.length;
  const strides = stridesOf(shape);
  return stridedIndex(outShape, outShape.map((_, i) => (i < offset || shape[i - offset] === 1 ? 0 : strides[i - offset]!)));
}
