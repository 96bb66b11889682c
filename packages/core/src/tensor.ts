import { fail, formatShape } from './errors.js';
import { addInto, recordOp, runBackward, type GradNode } from './autograd.js';
import { recycleGradient } from './gradient-buffers.js';
import { add, div, eq, ge, gt, le, lt, maximum, minimum, mul, ne, pow, sub, where } from './ops/binary.js';
import { abs, clamp, exp, log, neg, sqrt } from './ops/unary.js';
import { argmax, argmin, logsumexp, max, mean, min, norm, std, sum, variance, type Dims, type ValuesIndices } from './ops/reduce.js';
import { matmul } from './ops/matmul.js';
import { chunk, expand, gather, indexSelect, narrow, permute, select, split, squeeze, t, transpose, unsqueeze } from './ops/view.js';
import { flatten } from './ops/flatten.js';
import { relu } from './ops/relu.js';
import { sigmoid } from './ops/sigmoid.js';
import { tanh } from './ops/tanh.js';
import { logSoftmax, softmax } from './ops/softmax.js';
import type { Operand } from './ops/operand.js';
import { formatTensor } from './tensor-format.js';

/** A tensor's shape, outermost dimension first (NCHW for images). */
export type Shape = readonly number[];

/** Nested arrays of numbers, as accepted by {@link Tensor.from} and returned by {@link Tensor.toArray}. */
export type NestedArray = number | NestedArray[];

/** Nested arrays of numbers as {@link Tensor.from} accepts them (read-only arrays too). */
export type NestedInput = number | readonly NestedInput[];

/**
 * The values of a tensor of rank `R` as nested arrays: `number` for rank 0, `number[]` for rank 1,
 * … `number[][][][][]` for rank 5; {@link NestedArray} when the rank is not known to the compiler.
 */
export type Nested<R extends number> = number extends R
  ? NestedArray
  : R extends 0
    ? number
    : R extends 1
      ? number[]
      : R extends 2
        ? number[][]
        : R extends 3
          ? number[][][]
          : R extends 4
            ? number[][][][]
            : R extends 5
              ? number[][][][][]
              : NestedArray;

/** Number of elements of a shape (1 for a scalar `[]`). */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkShape(shape: Shape, where: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) fail(where, `shape ${formatShape(shape)} must hold non-negative integers`);
  }
}

/** The last stamp handed out by {@link Tensor.version}: stamps are unique across all tensors. */
let lastStamp = 0;

/** The most elements a tensor with values may hold: 2³⁰, 4 GiB of float32 (shape-only tensors have no limit). */
export const MAX_TENSOR_ELEMENTS = 2 ** 30;

/**
 * Zeroed storage for a tensor of `shape`, after checking the shape and the size limit; `where`
 * names the op. `storage` may give zeroed storage of its own for the checked length (else null).
 */
export function allocate(shape: Shape, where: string, storage?: (length: number) => Float32Array | null): Float32Array {
  checkShape(shape, where);
  const n = shapeSize(shape);
  if (n > MAX_TENSOR_ELEMENTS) fail(where, `shape ${formatShape(shape)} holds ${n} elements, more than the limit of ${MAX_TENSOR_ELEMENTS} (4 GiB of float32)`);
  return storage?.(n) ?? new Float32Array(n);
}

/**
 * A dense float32 tensor: row-major values in a `Float32Array` plus a shape.
 *
 * Tensors that take part in a computation with `requiresGrad` set record how they were made, so
 * that {@link Tensor.backward} can compute gradients by reverse-mode autodiff. As in PyTorch,
 * gradients of leaf tensors accumulate in `.grad` until they are zeroed.
 *
 * A *meta* tensor has a shape but no values: models built inside `withoutWeights` use them so that
 * shape arithmetic (summaries of a 138M-parameter VGG-16) never allocates weights.
 *
 * `V` is the type of the values as nested arrays, `number[][]` for a matrix, when the compiler knows
 * the rank (tensors made by `Tensor.from` with nested arrays, by the factories or `reshape`/`view`
 * with a literal shape, and shape-keeping ops); otherwise {@link NestedArray}. {@link Tensor.tolist}
 * returns it, so values read without casts.
 */
export class Tensor<V extends NestedArray = NestedArray> {
  /** The gradient {@link grad} returns. */
  #grad: Tensor | null = null;
  /**
   * Whether code outside convlab may hold {@link grad}'s tensor: it was read through the property
   * or set from outside. A gradient nobody else has seen goes back to the gradient buffers when it
   * is replaced (`zeroGrad`), so that a training step does not allocate new gradients.
   */
  #gradShared = false;
  /** @internal The op that produced this tensor, when gradients are recorded. */
  gradNode: GradNode | null = null;

  /** Gradient accumulated by backward passes (leaf tensors only), or null. */
  get grad(): Tensor | null {
    this.#gradShared = this.#grad !== null;
    return this.#grad;
  }

  set grad(value: Tensor | null) {
    this.replaceGrad(value);
    this.#gradShared = value !== null;
  }

  /**
   * @internal {@link grad} for convlab's own code that keeps no reference to it once it returns
   * (optimizer steps, `zeroGrad`, `fit`'s check of the gradients): reading it here leaves the
   * gradient free to be recycled when it is replaced.
   */
  peekGrad(): Tensor | null {
    return this.#grad;
  }

  /** Sets the gradient; the one it replaces goes back to the gradient buffers unless shared (see {@link grad}). */
  private replaceGrad(value: Tensor | null): void {
    const old = this.#grad;
    if (old !== null && old !== value && !this.#gradShared && !old.isMeta) recycleGradient(old.readValues());
    this.#grad = value;
    this.#gradShared = false;
  }
  readonly shape: Shape;
  private readonly values: Float32Array | null;
  /**
   * The stamp of the values, one box shared by the tensors that view them ({@link reshape},
   * {@link detach}), and whether their writable array has been handed out by {@link data}.
   */
  private storage: { stamp: number; exposed: boolean };

  constructor(values: Float32Array | null, shape: Shape, public requiresGrad = false) {
    checkShape(shape, 'Tensor');
    if (values !== null && values.length !== shapeSize(shape)) {
      fail('Tensor', `shape ${formatShape(shape)} needs ${shapeSize(shape)} values, got ${values.length}`);
    }
    this.values = values;
    this.shape = Object.freeze([...shape]);
    this.storage = { stamp: ++lastStamp, exposed: false };
  }

  /**
   * The values, row-major. Throws for a meta tensor. The array is writable and whoever holds it may
   * write through it at any later time, so from then on {@link version} is renewed at every look.
   */
  get data(): Float32Array {
    if (this.values === null) {
      fail('Tensor', `this ${formatShape(this.shape)} tensor is a meta tensor (built without weights) and has no values`);
    }
    this.storage.exposed = true;
    this.storage.stamp = ++lastStamp;
    return this.values;
  }

  /**
   * @internal The values for code of convlab's own that writes them now and keeps no reference
   * (optimizer steps, `loadStateDict`, running statistics): renews {@link version} once, without
   * handing the array out for good as {@link data} does. Throws for a meta tensor.
   */
  writeValues(): Float32Array {
    const values = this.readValues();
    this.storage.stamp = ++lastStamp;
    return values;
  }

  /**
   * A stamp of the values, unique across all tensors, renewed whenever they may have changed:
   * by convlab's own writers (optimizer steps, `loadStateDict`, batch norm's running statistics)
   * and by {@link markModified}; and once {@link data} has handed the writable array out, at every
   * look, since a write through it can come at any time. Caches of values derived from a tensor
   * (the WebAssembly backend's packed weights) compare it, as PyTorch compares `_version`, so a
   * tensor whose array was handed out is never served from them. Views made by {@link reshape} and
   * {@link detach} share it.
   */
  get version(): number {
    if (this.storage.exposed) this.storage.stamp = ++lastStamp;
    return this.storage.stamp;
  }

  /** Renews {@link version} after writing values through an array kept from an earlier {@link data} access. */
  markModified(): void {
    this.storage.stamp = ++lastStamp;
  }

  /**
   * @internal The values for a kernel that only reads them, without renewing {@link version} (what
   * lets the WebAssembly backend keep a layer's packed weights across calls). Throws for a meta tensor.
   */
  readValues(): Float32Array {
    if (this.values === null) {
      fail('Tensor', `this ${formatShape(this.shape)} tensor is a meta tensor (built without weights) and has no values`);
    }
    return this.values;
  }

  /** True for a shape-only tensor without values. */
  get isMeta(): boolean {
    return this.values === null;
  }

  /** Number of elements. */
  get size(): number {
    return shapeSize(this.shape);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** A tensor filled with zeros. */
  static zeros<const S extends Shape>(shape: S, requiresGrad = false): Tensor<Nested<S['length']>> {
    return new Tensor(allocate(shape, 'Tensor.zeros'), shape, requiresGrad);
  }

  /** A tensor filled with `value`. */
  static full<const S extends Shape>(shape: S, value: number, requiresGrad = false): Tensor<Nested<S['length']>> {
    return new Tensor(allocate(shape, 'Tensor.full').fill(value), shape, requiresGrad);
  }

  /** A shape-only tensor (no values). */
  static meta(shape: Shape, requiresGrad = false): Tensor {
    return new Tensor(null, shape, requiresGrad);
  }

  /**
   * Builds a tensor from nested arrays (shape inferred) or from flat values and a shape.
   * @example Tensor.from([[1, 2], [3, 4]]) // shape [2, 2]
   * @example Tensor.from([1, 2, 3, 4, 5, 6], [2, 3])
   */
  static from(values: number, shape?: undefined, requiresGrad?: boolean): Tensor<number>;
  static from(values: readonly number[] | Float32Array, shape?: undefined, requiresGrad?: boolean): Tensor<number[]>;
  static from(values: readonly (readonly number[])[], shape?: undefined, requiresGrad?: boolean): Tensor<number[][]>;
  static from(values: readonly (readonly (readonly number[])[])[], shape?: undefined, requiresGrad?: boolean): Tensor<number[][][]>;
  static from(values: readonly (readonly (readonly (readonly number[])[])[])[], shape?: undefined, requiresGrad?: boolean): Tensor<number[][][][]>;
  static from<const S extends Shape>(values: ArrayLike<number>, shape: S, requiresGrad?: boolean): Tensor<Nested<S['length']>>;
  static from(values: NestedInput | ArrayLike<number>, shape?: Shape, requiresGrad?: boolean): Tensor;
  static from(values: NestedInput | ArrayLike<number>, shape?: Shape, requiresGrad = false): Tensor {
    if (shape !== undefined) {
      const list = values as ArrayLike<unknown>;
      if (!ArrayBuffer.isView(list)) {
        for (let i = 0; i < list.length; i++) {
          if (typeof list[i] !== 'number') fail('Tensor.from', `value ${i} is ${list[i] === null ? 'null' : JSON.stringify(list[i]) ?? typeof list[i]}, expected a number`);
        }
      }
      const flat = Float32Array.from(values as ArrayLike<number>);
      return new Tensor(flat, shape, requiresGrad);
    }
    const inferred: number[] = [];
    let probe: NestedInput | ArrayLike<number> = values;
    while (Array.isArray(probe)) {
      inferred.push(probe.length);
      probe = probe[0] as NestedInput;
    }
    if (typeof values !== 'number' && !Array.isArray(values)) inferred.push(values.length);
    const flat = new Float32Array(shapeSize(inferred));
    let k = 0;
    const walk = (v: NestedInput | ArrayLike<number>, depth: number): void => {
      if (depth === inferred.length) {
        if (typeof v !== 'number') fail('Tensor.from', `ragged nested array: expected a number at depth ${depth}`);
        flat[k++] = v;
        return;
      }
      if (typeof v === 'number' || v.length !== inferred[depth]) {
        fail('Tensor.from', `ragged nested array: expected ${inferred[depth]} items at depth ${depth}`);
      }
      for (let i = 0; i < v.length; i++) walk((v as ArrayLike<NestedInput>)[i]!, depth + 1);
    };
    walk(values, 0);
    return new Tensor(flat, inferred, requiresGrad);
  }

  /** The values as nested arrays matching the shape (a number for a 0-D tensor). Same as {@link tolist}. */
  toArray(): NestedArray {
    const d = this.data;
    let k = 0;
    const build = (depth: number): NestedArray => {
      if (depth === this.shape.length) return d[k++]!;
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[depth]!; i++) out.push(build(depth + 1));
      return out;
    };
    return build(0);
  }

  /**
   * The values as nested arrays, like PyTorch's `tolist()`: `number[][]` for a tensor the compiler
   * knows is 2-D (see the class's `R`), so elements read without casts.
   * @example Tensor.from([[1, 2], [3, 4]]).tolist()[1][0] // 3
   */
  tolist(): V {
    return this.toArray() as V;
  }

  /**
   * The value at one position: one index per dim, negative ones counted from the end.
   * @example y.at(0, 4, 10, 7) // the value PyTorch reads as y[0, 4, 10, 7].item()
   */
  at(...index: number[]): number {
    if (index.length !== this.rank) {
      fail('Tensor.at', `expected ${this.rank} indices for shape ${formatShape(this.shape)}, got ${index.length} (${formatShape(index)})`);
    }
    let flat = 0;
    index.forEach((i, d) => {
      const n = this.shape[d]!;
      if (!Number.isInteger(i) || i < -n || i >= n) fail('Tensor.at', `index ${i} is out of range for dim ${d} of size ${n} (shape ${formatShape(this.shape)})`);
      flat = flat * n + (i < 0 ? i + n : i);
    });
    return this.data[flat]!;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) fail('Tensor.item', `expected a tensor with one element, got shape ${formatShape(this.shape)}`);
    return this.data[0]!;
  }

  /**
   * Same values, new shape (one dimension may be -1 and is inferred). Gradients flow through.
   * The result shares no storage with this tensor's gradient bookkeeping but reuses its values.
   */
  reshape<const S extends Shape>(shape: S): Tensor<Nested<S['length']>> {
    const target = [...shape];
    const unknown = target.indexOf(-1);
    if (target.filter((d) => d === -1).length > 1) fail('reshape', `only one dim may be -1, got ${formatShape(shape)}`);
    if (unknown >= 0) {
      const known = shapeSize(target.filter((_, i) => i !== unknown));
      target[unknown] = known === 0 ? 0 : this.size / known;
    }
    if (shapeSize(target) !== this.size || !Number.isInteger(target[unknown] ?? 0) || target.some((d) => d < 0)) {
      fail('reshape', `cannot reshape ${formatShape(this.shape)} (${this.size} values) to ${formatShape(shape)}`);
    }
    const out = new Tensor<Nested<S['length']>>(this.values, target);
    out.storage = this.storage;
    return recordOp(out, 'reshape', [this], (g) => [g]) as Tensor<Nested<S['length']>>;
  }

  /** {@link reshape} under PyTorch's other name (convlab's tensors are always contiguous). */
  view<const S extends Shape>(shape: S): Tensor<Nested<S['length']>> {
    return this.reshape(shape);
  }

  /** A tensor with the same values that does not record gradients. */
  detach(): Tensor<V> {
    const out = new Tensor<V>(this.values, this.shape);
    out.storage = this.storage;
    return out;
  }

  /** A copy of the values; gradients flow back to this tensor (as PyTorch's `clone`). */
  clone(): Tensor<V> {
    const out = new Tensor<V>(this.values === null ? null : this.values.slice(), this.shape);
    return recordOp(out, 'clone', [this], (g) => [g]) as Tensor<V>;
  }

  /** Sets `requiresGrad` in place (a leaf starts recording gradients) and returns this tensor. */
  requiresGrad_(requiresGrad = true): this {
    if (this.gradNode !== null && !requiresGrad) fail('requiresGrad_', 'cannot turn off gradients of a tensor computed by an op (use detach())');
    this.requiresGrad = requiresGrad;
    return this;
  }

  // Element-wise arithmetic with broadcasting (ops/binary.ts, ops/unary.ts).

  /** `this + other`, broadcast. */
  add(other: Operand): Tensor {
    return add(this, other);
  }
  /** `this − other`, broadcast. */
  sub(other: Operand): Tensor {
    return sub(this, other);
  }
  /** `this · other` element-wise, broadcast. */
  mul(other: Operand): Tensor {
    return mul(this, other);
  }
  /** `this / other`, broadcast. */
  div(other: Operand): Tensor {
    return div(this, other);
  }
  /** `this ** exponent`, broadcast. */
  pow(exponent: Operand): Tensor {
    return pow(this, exponent);
  }
  /** Element-wise larger of this and `other`. */
  maximum(other: Operand): Tensor {
    return maximum(this, other);
  }
  /** Element-wise smaller of this and `other`. */
  minimum(other: Operand): Tensor {
    return minimum(this, other);
  }
  /** `−this`. */
  neg(): Tensor<V> {
    return neg(this) as Tensor<V>;
  }
  /** `eˣ`. */
  exp(): Tensor<V> {
    return exp(this) as Tensor<V>;
  }
  /** Natural logarithm. */
  log(): Tensor<V> {
    return log(this) as Tensor<V>;
  }
  /** Square root. */
  sqrt(): Tensor<V> {
    return sqrt(this) as Tensor<V>;
  }
  /** Absolute value. */
  abs(): Tensor<V> {
    return abs(this) as Tensor<V>;
  }
  /** Values limited to `[min, max]` (either may be null). */
  clamp(min?: number | null, max?: number | null): Tensor<V> {
    return clamp(this, min, max) as Tensor<V>;
  }
  /** `max(x, 0)`. */
  relu(): Tensor<V> {
    return relu(this) as Tensor<V>;
  }
  /** `1 / (1 + e^(−x))`. */
  sigmoid(): Tensor<V> {
    return sigmoid(this) as Tensor<V>;
  }
  /** Hyperbolic tangent. */
  tanh(): Tensor<V> {
    return tanh(this) as Tensor<V>;
  }
  /** Softmax along `dim`. */
  softmax(dim: number): Tensor<V> {
    return softmax(this, dim) as Tensor<V>;
  }
  /** Log-softmax along `dim`. */
  logSoftmax(dim: number): Tensor<V> {
    return logSoftmax(this, dim) as Tensor<V>;
  }
  /** `condition ? this : other`, broadcast (as `torch.where(condition, this, other)`). */
  where(condition: Tensor, other: Operand): Tensor {
    return where(condition, this, other);
  }

  // Comparison masks: 1 where true, 0 elsewhere (no gradient).

  /** Mask of `this == other`. */
  eq(other: Operand): Tensor {
    return eq(this, other);
  }
  /** Mask of `this != other`. */
  ne(other: Operand): Tensor {
    return ne(this, other);
  }
  /** Mask of `this < other`. */
  lt(other: Operand): Tensor {
    return lt(this, other);
  }
  /** Mask of `this <= other`. */
  le(other: Operand): Tensor {
    return le(this, other);
  }
  /** Mask of `this > other`. */
  gt(other: Operand): Tensor {
    return gt(this, other);
  }
  /** Mask of `this >= other`. */
  ge(other: Operand): Tensor {
    return ge(this, other);
  }

  // Reductions (ops/reduce.ts): over all values, one dim or a list of dims (negative allowed).

  /** Sum over `dim` (all values when omitted). */
  sum(dim?: Dims, keepdim = false): Tensor {
    return sum(this, dim, keepdim);
  }
  /** Mean over `dim` (all values when omitted). */
  mean(dim?: Dims, keepdim = false): Tensor {
    return mean(this, dim, keepdim);
  }
  /** Largest value (0-D), or values and positions along `dim`. */
  max(): Tensor<number>;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? max(this) : max(this, dim, keepdim);
  }
  /** Smallest value (0-D), or values and positions along `dim`. */
  min(): Tensor<number>;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? min(this) : min(this, dim, keepdim);
  }
  /** Position of the largest value along `dim` (in the flattened tensor when omitted), as float32 whole numbers (no integer dtype). */
  argmax(dim?: number, keepdim = false): Tensor {
    return argmax(this, dim, keepdim);
  }
  /** Position of the smallest value along `dim` (in the flattened tensor when omitted), as float32 whole numbers. */
  argmin(dim?: number, keepdim = false): Tensor {
    return argmin(this, dim, keepdim);
  }
  /** Variance over `dim`, unbiased (÷ N−1) unless `unbiased` is false. */
  var(dim?: Dims, unbiased = true, keepdim = false): Tensor {
    return variance(this, dim, unbiased, keepdim);
  }
  /** Standard deviation over `dim`, unbiased unless `unbiased` is false. */
  std(dim?: Dims, unbiased = true, keepdim = false): Tensor {
    return std(this, dim, unbiased, keepdim);
  }
  /** `log Σ exp` over `dim`, computed stably. */
  logsumexp(dim: Dims, keepdim = false): Tensor {
    return logsumexp(this, dim, keepdim);
  }
  /** p-norm over `dim` (all values when omitted; p 2 by default). */
  norm(p: number | 'fro' = 'fro', dim?: Dims, keepdim = false): Tensor {
    return norm(this, p, dim, keepdim);
  }

  // Matrix products and dim order (ops/matmul.ts, ops/view.ts).

  /** Matrix product with `torch.matmul`'s broadcasting rules. */
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  /** Swaps two dims. */
  transpose(dim0: number, dim1: number): Tensor<V> {
    return transpose(this, dim0, dim1) as Tensor<V>;
  }
  /** Transpose of a matrix. */
  t(): Tensor<V> {
    return t(this) as Tensor<V>;
  }
  /** Reorders the dims: output dim i is dim `dims[i]`. */
  permute(...dims: number[]): Tensor<V> {
    return permute(this, dims) as Tensor<V>;
  }

  // Shape (ops/view.ts).

  /** Merges dims `startDim..endDim` (default: all, giving 1-D). */
  flatten(): Tensor<number[]>;
  flatten(startDim: number, endDim?: number): Tensor;
  flatten(startDim = 0, endDim = -1): Tensor {
    return flatten(this, startDim, endDim);
  }
  /** Removes size-1 dims (all, or only `dim`). */
  squeeze(dim?: number): Tensor {
    return squeeze(this, dim);
  }
  /** Inserts a size-1 dim at `dim`. */
  unsqueeze(dim: number): Tensor {
    return unsqueeze(this, dim);
  }
  /** Repeats size-1 dims to `sizes` (-1 keeps a size). */
  expand(...sizes: number[]): Tensor {
    return expand(this, sizes);
  }
  /** `length` entries of `dim` from `start`. */
  narrow(dim: number, start: number, length: number): Tensor<V> {
    return narrow(this, dim, start, length) as Tensor<V>;
  }
  /** Entry `index` of `dim`, the dim removed. */
  select(dim: number, index: number): Tensor {
    return select(this, dim, index);
  }
  /** Entries `index` of `dim`, in that order. */
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor<V> {
    return indexSelect(this, dim, index) as Tensor<V>;
  }
  /** Values picked along `dim` by `index` (same rank; e.g. `max(dim, true).indices`), as `torch.gather`. */
  gather(dim: number, index: Tensor): Tensor {
    return gather(this, dim, index);
  }
  /** Pieces of `splitSize` entries (or the listed sizes) along `dim`. */
  split(splitSize: number | readonly number[], dim = 0): Tensor<V>[] {
    return split(this, splitSize, dim) as Tensor<V>[];
  }
  /** `chunks` nearly equal pieces along `dim`. */
  chunk(chunks: number, dim = 0): Tensor<V>[] {
    return chunk(this, chunks, dim) as Tensor<V>[];
  }

  /**
   * Reverse-mode autodiff from this tensor. For a non-scalar tensor pass the upstream gradient
   * (same shape). Leaf tensors with `requiresGrad` accumulate into `.grad`.
   */
  backward(gradient?: Tensor): void {
    if (gradient === undefined && this.size !== 1) {
      fail('backward', `a gradient is needed for a non-scalar output of shape ${formatShape(this.shape)}`);
    }
    if (gradient !== undefined && gradient.size !== this.size) {
      fail('backward', `gradient shape ${formatShape(gradient.shape)} does not match output shape ${formatShape(this.shape)}`);
    }
    runBackward(this, gradient === undefined ? new Float32Array([1]) : gradient.data);
  }

  /**
   * @internal Adds a backward pass's gradient into `.grad` (PyTorch's accumulation rule): the
   * first one becomes `.grad`; later ones are added in place and their buffer is reused.
   */
  accumulateGrad(gradient: Float32Array): void {
    if (this.#grad === null) {
      this.replaceGrad(new Tensor(gradient, this.shape));
      return;
    }
    addInto(this.#grad.readValues(), gradient);
    this.#grad.markModified();
    recycleGradient(gradient);
  }

  /**
   * PyTorch's repr: `tensor([[ 1.0000, -0.5000], …], requiresGrad=true)`, 4 decimals, summarized
   * with `...` above 1000 values.
   */
  toString(): string {
    if (this.isMeta) return `tensor(..., size=(${this.shape.join(', ')}), meta)`;
    const suffixes = this.gradNode !== null ? [`gradFn=<${this.gradNode.op}>`] : this.requiresGrad ? ['requiresGrad=true'] : [];
    return formatTensor(this.data, this.shape, suffixes);
  }

  /** Node's `console.log` and notebooks show the repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
