import { fail, formatShape } from './errors.js';
import { addInto, recordOp, runBackward, type GradNode } from './autograd.js';

/** A tensor's shape, outermost dimension first (NCHW for images). */
export type Shape = readonly number[];

/** Nested arrays of numbers, as accepted by {@link Tensor.from} and returned by {@link Tensor.toArray}. */
export type NestedArray = number | NestedArray[];

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

/**
 * A dense float32 tensor: row-major values in a `Float32Array` plus a shape.
 *
 * Tensors that take part in a computation with `requiresGrad` set record how they were made, so
 * that {@link Tensor.backward} can compute gradients by reverse-mode autodiff. As in PyTorch,
 * gradients of leaf tensors accumulate in `.grad` until they are zeroed.
 *
 * A *meta* tensor has a shape but no values: models built inside `withoutWeights` use them so that
 * shape arithmetic (summaries of a 138M-parameter VGG-16) never allocates weights.
 */
export class Tensor {
  /** Gradient accumulated by backward passes (leaf tensors only), or null. */
  grad: Tensor | null = null;
  /** @internal The op that produced this tensor, when gradients are recorded. */
  gradNode: GradNode | null = null;
  readonly shape: Shape;
  private readonly values: Float32Array | null;

  constructor(values: Float32Array | null, shape: Shape, public requiresGrad = false) {
    checkShape(shape, 'Tensor');
    if (values !== null && values.length !== shapeSize(shape)) {
      fail('Tensor', `shape ${formatShape(shape)} needs ${shapeSize(shape)} values, got ${values.length}`);
    }
    this.values = values;
    this.shape = Object.freeze([...shape]);
  }

  /** The values, row-major. Throws for a meta tensor. */
  get data(): Float32Array {
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
  static zeros(shape: Shape, requiresGrad = false): Tensor {
    return new Tensor(new Float32Array(shapeSize(shape)), shape, requiresGrad);
  }

  /** A tensor filled with `value`. */
  static full(shape: Shape, value: number, requiresGrad = false): Tensor {
    return new Tensor(new Float32Array(shapeSize(shape)).fill(value), shape, requiresGrad);
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
  static from(values: NestedArray | ArrayLike<number>, shape?: Shape, requiresGrad = false): Tensor {
    if (shape !== undefined) {
      const flat = Float32Array.from(values as ArrayLike<number>);
      return new Tensor(flat, shape, requiresGrad);
    }
    const inferred: number[] = [];
    let probe: NestedArray | ArrayLike<number> = values;
    while (Array.isArray(probe)) {
      inferred.push(probe.length);
      probe = probe[0] as NestedArray;
    }
    if (typeof values !== 'number' && !Array.isArray(values)) inferred.push(values.length);
    const flat = new Float32Array(shapeSize(inferred));
    let k = 0;
    const walk = (v: NestedArray | ArrayLike<number>, depth: number): void => {
      if (depth === inferred.length) {
        if (typeof v !== 'number') fail('Tensor.from', `ragged nested array: expected a number at depth ${depth}`);
        flat[k++] = v;
        return;
      }
      if (typeof v === 'number' || v.length !== inferred[depth]) {
        fail('Tensor.from', `ragged nested array: expected ${inferred[depth]} items at depth ${depth}`);
      }
      for (let i = 0; i < v.length; i++) walk((v as ArrayLike<NestedArray>)[i]!, depth + 1);
    };
    walk(values, 0);
    return new Tensor(flat, inferred, requiresGrad);
  }

  /** The values as nested arrays matching the shape. */
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

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) fail('Tensor.item', `expected a tensor with one element, got shape ${formatShape(this.shape)}`);
    return this.data[0]!;
  }

  /**
   * Same values, new shape (one dimension may be -1 and is inferred). Gradients flow through.
   * The result shares no storage with this tensor's gradient bookkeeping but reuses its values.
   */
  reshape(shape: Shape): Tensor {
    const target = [...shape];
    const unknown = target.indexOf(-1);
    if (unknown >= 0) {
      const known = shapeSize(target.filter((_, i) => i !== unknown));
      target[unknown] = known === 0 ? 0 : this.size / known;
    }
    if (shapeSize(target) !== this.size || !Number.isInteger(target[unknown] ?? 0)) {
      fail('reshape', `cannot reshape ${formatShape(this.shape)} (${this.size} values) to ${formatShape(shape)}`);
    }
    const out = new Tensor(this.isMeta ? null : this.data, target);
    return recordOp(out, 'reshape', [this], (g) => [g]);
  }

  /** A tensor with the same values that does not record gradients. */
  detach(): Tensor {
    return new Tensor(this.values, this.shape);
  }

  /** A copy of the values (detached). */
  clone(): Tensor {
    return new Tensor(this.values === null ? null : this.values.slice(), this.shape);
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

  /** @internal Adds a backward pass's gradient into `.grad` (PyTorch's accumulation rule). */
  accumulateGrad(gradient: Float32Array): void {
    if (this.grad === null) this.grad = new Tensor(gradient, this.shape);
    else addInto(this.grad.data, gradient);
  }

  toString(): string {
    if (this.isMeta) return `Tensor(meta, shape=${formatShape(this.shape)})`;
    const body = this.size <= 64 ? JSON.stringify(this.toArray()) : `${this.size} values`;
    return `Tensor(${body}, shape=${formatShape(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}
