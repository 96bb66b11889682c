import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { gather as gatherValues, scatterSum } from '../kernels/dispatch.js';
import { normalizeDim, stridedIndex, stridesOf } from '../shape/broadcast.js';
import { Tensor } from '../tensor.js';

/**
 * A tensor whose position i holds `x[index[i]]`; backward adds each gradient back to the position
 * it was read from (positions read twice, as after `expand`, get the sum).
 */
export function gatherOp(op: string, x: Tensor, shape: readonly number[], index: () => Int32Array): Tensor {
  if (x.isMeta) return Tensor.meta(shape);
  const map = index();
  return recordOp(new Tensor(gatherValues(x.data, map), shape), op, [x], (g) => [scatterSum(g, map, x.size)]);
}

/**
 * Reorders the dims: output dim i is input dim `dims[i]` (negative allowed), like `torch.permute`.
 * @example permute(images, [0, 2, 3, 1]) // NCHW → NHWC
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const order = dims.map((d) => normalizeDim(d, x.rank, 'permute'));
  if (order.length !== x.rank || new Set(order).size !== x.rank) {
    fail('permute', `dims ${formatShape(dims)} must name each of the ${x.rank} dims of shape ${formatShape(x.shape)} once`);
  }
  const strides = stridesOf(x.shape);
  const shape = order.map((d) => x.shape[d]!);
  return gatherOp('permute', x, shape, () => stridedIndex(shape, order.map((d) => strides[d]!)));
}

/** Swaps dims `dim0` and `dim1` (negative allowed), like `torch.transpose`. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const order = [...x.shape.keys()];
  const a = normalizeDim(dim0, x.rank, 'transpose');
  const b = normalizeDim(dim1, x.rank, 'transpose');
  [order[a], order[b]] = [order[b]!, order[a]!];
  return permute(x, order);
}

/** Transpose of a matrix (a 0-D or 1-D tensor comes back unchanged), like `torch.t`. */
export function t(x: Tensor): Tensor {
  if (x.rank > 2) fail('t', `expects a tensor with at most 2 dims, got shape ${formatShape(x.shape)} (use transpose(dim0, dim1))`);
  return x.rank < 2 ? x.reshape(x.shape) : permute(x, [1, 0]);
}

/**
 * Repeats size-1 dims to `sizes` without copying in PyTorch (here: a copy); `-1` keeps a size and
 * new leading dims may be added, like `torch.expand`. Backward sums over the repeats.
 * @example expand(Tensor.from([[1], [2]]), [2, 3]) // [[1, 1, 1], [2, 2, 2]]
 */
export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  const offset = sizes.length - x.rank;
  if (offset < 0) fail('expand', `sizes ${formatShape(sizes)} have fewer dims than the tensor's shape ${formatShape(x.shape)}`);
  const strides = stridesOf(x.shape);
  const shape = sizes.map((s, i) => {
    const own = i < offset ? undefined : x.shape[i - offset]!;
    const size = s === -1 && own !== undefined ? own : s;
    if (!Number.isInteger(size) || size < 0 || (own !== undefined && own !== 1 && own !== size)) {
      fail('expand', `cannot expand shape ${formatShape(x.shape)} to ${formatShape(sizes)} (only size-1 dims can grow, -1 keeps a size)`);
    }
    return size;
  });
  const step = shape.map((_, i) => (i < offset || x.shape[i - offset] === 1 ? 0 : strides[i - offset]!));
  return gatherOp('expand', x, shape, () => stridedIndex(shape, step));
}

/**
 * Removes size-1 dims: all of them, or only `dim` (left alone when its size is not 1), like
 * `torch.squeeze`.
 */
export function squeeze(x: Tensor, dim?: number): Tensor {
  if (dim === undefined) return x.reshape(x.shape.filter((n) => n !== 1));
  const d = normalizeDim(dim, x.rank, 'squeeze');
  return x.reshape(x.rank === 0 || x.shape[d] !== 1 ? x.shape : x.shape.filter((_, i) => i !== d));
}

/** Inserts a size-1 dim at `dim` (from −rank−1 to rank), like `torch.unsqueeze`. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.rank, 'unsqueeze', 1);
  return x.reshape([...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

/** `length` entries of `dim` starting at `start` (negative start counts from the end), like `torch.narrow`. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, x.rank, 'narrow');
  const size = x.shape[d]!;
  const from = start < 0 ? start + size : start;
  if (!Number.isInteger(from) || !Number.isInteger(length) || from < 0 || length < 0 || from + length > size) {
    fail('narrow', `start ${start} and length ${length} do not fit dim ${dim} of size ${size} (shape ${formatShape(x.shape)})`);
  }
  const strides = stridesOf(x.shape);
  const shape = x.shape.map((n, i) => (i === d ? length : n));
  return gatherOp('narrow', x, shape, () => stridedIndex(shape, strides, from * strides[d]!));
}

/** Entry `index` of `dim` (negative counts from the end), the dim removed, like `torch.select` / `x[:, i]`. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim(dim, x.rank, 'select');
  const size = x.shape[d]!;
  if (!Number.isInteger(index) || index < -size || index >= size) {
    fail('select', `index ${index} is out of range for dim ${dim} of size ${size} (shape ${formatShape(x.shape)})`);
  }
  const i = index < 0 ? index + size : index;
  const strides = stridesOf(x.shape);
  const shape = x.shape.filter((_, k) => k !== d);
  return gatherOp('select', x, shape, () => stridedIndex(shape, strides.filter((_, k) => k !== d), i * strides[d]!));
}

/**
 * The entries `index` (whole numbers, a 1-D tensor or an array; repeats allowed) of `dim`, in that
 * order, like `torch.index_select`. Backward adds up the gradients of repeated entries.
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  const d = normalizeDim(dim, x.rank, 'indexSelect');
  if (index instanceof Tensor && index.rank > 1) fail('indexSelect', `index must be 1-D, got shape ${formatShape(index.shape)}`);
  const picks = index instanceof Tensor ? [...index.data] : index;
  const size = x.rank === 0 ? 1 : x.shape[d]!;
  for (const p of picks) {
    if (!Number.isInteger(p) || p < -size || p >= size) fail('indexSelect', `index ${p} is out of range for dim ${dim} of size ${size} (shape ${formatShape(x.shape)})`);
  }
  const shape = x.shape.map((n, i) => (i === d ? picks.length : n));
  const outer = x.shape.slice(0, d).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  return gatherOp('indexSelect', x, shape, () => {
    const map = new Int32Array(outer * picks.length * inner);
    let k = 0;
    for (let o = 0; o < outer; o++) {
      for (const p of picks) {
        const base = (o * size + (p < 0 ? p + size : p)) * inner;
        for (let r = 0; r < inner; r++) map[k++] = base + r;
      }
    }
    return map;
  });
}

/**
 * Splits `dim` into pieces of `splitSize` entries (the last may be smaller) or of the listed sizes,
 * like `torch.split`.
 * @example split(x, [2, 3], 1) // [N, 5] → [N, 2] and [N, 3]
 */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim(dim, x.rank, 'split');
  const size = x.shape[d]!;
  let sizes: number[];
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize <= 0) fail('split', `splitSize must be a positive whole number, got ${splitSize}`);
    sizes = Array.from({ length: Math.max(1, Math.ceil(size / splitSize)) }, (_, i) => Math.min(splitSize, size - i * splitSize));
  } else {
    sizes = [...splitSize];
    if (sizes.reduce((a, b) => a + b, 0) !== size) fail('split', `sizes ${formatShape(sizes)} must add up to ${size}, the size of dim ${dim} (shape ${formatShape(x.shape)})`);
  }
  let start = 0;
  return sizes.map((n) => {
    const piece = narrow(x, d, start, n);
    start += n;
    return piece;
  });
}

/** Splits `dim` into `chunks` pieces of `ceil(size / chunks)` entries (fewer if they run out), like `torch.chunk`. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) fail('chunk', `chunks must be a positive whole number, got ${chunks}`);
  const size = x.shape[normalizeDim(dim, x.rank, 'chunk')]!;
  return split(x, Math.max(1, Math.ceil(size / chunks)), dim);
}

/**
 * Values picked along `dim` by `index`, like `torch.gather`: for a 3-D `x` and `dim` 1,
 * `out[i][j][k] = x[i][index[i][j][k]][k]`. `index` has `x`'s rank, whole numbers in
 * `[0, size of dim)`, and in every other dim at most `x`'s size; the output has `index`'s shape.
 * Index tensors are float32 holding exact integers, so positions from `max`/`argmax` with
 * `keepdim` go in directly. Backward adds each output gradient into the position it was picked from.
 * @example gather(logits, 1, labels.unsqueeze(1)) // [N, C], [N] → each row's score of its label, [N, 1]
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.rank, 'gather');
  if (index.rank !== x.rank) fail('gather', `index must have the input's rank ${x.rank}, got shape ${formatShape(index.shape)} for input shape ${formatShape(x.shape)}`);
  index.shape.forEach((n, k) => {
    if (k !== d && n > x.shape[k]!) fail('gather', `index shape ${formatShape(index.shape)} is larger than the input's ${formatShape(x.shape)} in dim ${k} (only dim ${d} may differ)`);
  });
  const size = x.rank === 0 ? 1 : x.shape[d]!;
  const picks = index.data;
  for (let i = 0; i < picks.length; i++) {
    const p = picks[i]!;
    if (!Number.isInteger(p) || p < 0 || p >= size) fail('gather', `index ${p} is out of range for dim ${dim} of size ${size} (input shape ${formatShape(x.shape)})`);
  }
  const strides = stridesOf(x.shape);
  return gatherOp('gather', x, index.shape, () => {
    const map = new Int32Array(picks.length);
    const counter = index.shape.map(() => 0);
    for (let i = 0; i < map.length; i++) {
      let src = 0;
      for (let k = 0; k < counter.length; k++) src += (k === d ? picks[i]! : counter[k]!) * strides[k]!;
      map[i] = src;
      for (let k = counter.length - 1; k >= 0 && ++counter[k]! === index.shape[k]!; k--) counter[k] = 0;
    }
    return map;
  });
}
