import { fail, formatShape } from './errors.js';
import { checkOptions, opt } from './options.js';
import { defaultGenerator, Generator } from './random.js';
import { Tensor, shapeSize, type Nested, type NestedArray, type NestedInput, type Shape } from './tensor.js';

/** Options of the tensor factories, as PyTorch's keyword arguments. */
export interface FactoryOptions {
  /** Record gradients for the new (leaf) tensor. Default false. */
  readonly requiresGrad?: boolean;
  /** Random factories draw from this generator (default: the one {@link manualSeed} reseeds). */
  readonly generator?: Generator;
}

/** The option types of {@link FactoryOptions}, for {@link checkOptions}. */
const factoryOptionTypes = { requiresGrad: opt.boolean, generator: opt.instance(Generator, 'a Generator') };

type ShapedTensor<S extends Shape> = Tensor<Nested<S['length']>>;

function checked(shape: Shape, where: string): Shape {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    fail(where, `shape must be a list of non-negative whole numbers, got ${Array.isArray(shape) ? formatShape(shape) : String(shape)}`);
  }
  return shape;
}

function filled<const S extends Shape>(shape: S, where: string, options: FactoryOptions, value: (i: number) => number): ShapedTensor<S> {
  checkOptions(where, options, factoryOptionTypes);
  const values = new Float32Array(shapeSize(checked(shape, where)));
  for (let i = 0; i < values.length; i++) values[i] = value(i);
  return new Tensor(values, shape, options.requiresGrad ?? false);
}

/**
 * A tensor from nested arrays (shape inferred), like `torch.tensor`.
 * @example tensor([[1, 2], [3, 4]], { requiresGrad: true })
 */
export function tensor(values: number, options?: FactoryOptions): Tensor<number>;
export function tensor(values: readonly number[], options?: FactoryOptions): Tensor<number[]>;
export function tensor(values: readonly (readonly number[])[], options?: FactoryOptions): Tensor<number[][]>;
export function tensor(values: readonly (readonly (readonly number[])[])[], options?: FactoryOptions): Tensor<number[][][]>;
export function tensor(values: readonly (readonly (readonly (readonly number[])[])[])[], options?: FactoryOptions): Tensor<number[][][][]>;
export function tensor(values: NestedInput, options?: FactoryOptions): Tensor<NestedArray>;
export function tensor(values: NestedInput, options: FactoryOptions = {}): Tensor {
  checkOptions('tensor', options, factoryOptionTypes);
  return Tensor.from(values, undefined, options.requiresGrad ?? false);
}

/** Zeros of `shape`. @example zeros([2, 3]) */
export function zeros<const S extends Shape>(shape: S, options: FactoryOptions = {}): ShapedTensor<S> {
  return filled(shape, 'zeros', options, () => 0);
}

/** Ones of `shape`. */
export function ones<const S extends Shape>(shape: S, options: FactoryOptions = {}): ShapedTensor<S> {
  return filled(shape, 'ones', options, () => 1);
}

/** `value` everywhere in `shape`. */
export function full<const S extends Shape>(shape: S, value: number, options: FactoryOptions = {}): ShapedTensor<S> {
  return filled(shape, 'full', options, () => value);
}

/**
 * `start, start + step, …` up to but excluding `end` (1-D), like `torch.arange`; with one
 * argument, `0 … end − 1`.
 * @example arange(5) // [0, 1, 2, 3, 4]; arange(1, 2, 0.25) // [1, 1.25, 1.5, 1.75]
 */
export function arange(end: number): Tensor<number[]>;
export function arange(start: number, end: number, step?: number, options?: FactoryOptions): Tensor<number[]>;
export function arange(a: number, b?: number, step = 1, options: FactoryOptions = {}): Tensor<number[]> {
  const [start, end] = b === undefined ? [0, a] : [a, b];
  if (!(step !== 0 && Number.isFinite(step) && Number.isFinite(start) && Number.isFinite(end)) || (end - start) * step < 0) {
    fail('arange', `cannot step from ${start} to ${end} by ${step}`);
  }
  const n = Math.ceil((end - start) / step);
  return filled([n], 'arange', options, (i) => start + i * step);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included, like `torch.linspace`.
 * @example linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, end: number, steps: number, options: FactoryOptions = {}): Tensor<number[]> {
  if (!Number.isInteger(steps) || steps < 0) fail('linspace', `steps must be a non-negative whole number, got ${steps}`);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  return filled([steps], 'linspace', options, (i) => (i < half ? start + i * step : end - (steps - 1 - i) * step));
}

/** The `n × m` identity matrix (`m` defaults to `n`), like `torch.eye`. */
export function eye(n: number, m = n, options: FactoryOptions = {}): Tensor<number[][]> {
  return filled([n, m], 'eye', options, (i) => (Math.floor(i / m) === i % m ? 1 : 0));
}

/** Uniform values in [0, 1), seeded (see {@link FactoryOptions.generator}). */
export function rand<const S extends Shape>(shape: S, options: FactoryOptions = {}): ShapedTensor<S> {
  const g = options.generator ?? defaultGenerator();
  return filled(shape, 'rand', options, () => g.uniform());
}

/** Standard normal values, seeded. */
export function randn<const S extends Shape>(shape: S, options: FactoryOptions = {}): ShapedTensor<S> {
  const g = options.generator ?? defaultGenerator();
  return filled(shape, 'randn', options, () => g.normal());
}

/**
 * Whole numbers uniform in `[low, high)` (`low` 0 when omitted), seeded, like `torch.randint`.
 * @example randint(10, [4]) // class labels; randint(-3, 3, [2, 2])
 */
export function randint<const S extends Shape>(high: number, shape: S, options?: FactoryOptions): ShapedTensor<S>;
export function randint<const S extends Shape>(low: number, high: number, shape: S, options?: FactoryOptions): ShapedTensor<S>;
export function randint(a: number, b: number | Shape, c?: Shape | FactoryOptions, d?: FactoryOptions): Tensor {
  const [low, high, shape, options] = typeof b === 'number' ? [a, b, c as Shape, d ?? {}] : [0, a, b, (c as FactoryOptions | undefined) ?? {}];
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) fail('randint', `expected whole numbers low < high, got low ${low} and high ${high}`);
  const g = options.generator ?? defaultGenerator();
  return filled(shape, 'randint', options, () => low + g.int(high - low));
}

/** Zeros of `x`'s shape. */
export function zerosLike<V extends NestedArray>(x: Tensor<V>, options: FactoryOptions = {}): Tensor<V> {
  return filled(x.shape, 'zerosLike', options, () => 0) as Tensor<V>;
}

/** Ones of `x`'s shape. */
export function onesLike<V extends NestedArray>(x: Tensor<V>, options: FactoryOptions = {}): Tensor<V> {
  return filled(x.shape, 'onesLike', options, () => 1) as Tensor<V>;
}

/** `value` in `x`'s shape. */
export function fullLike<V extends NestedArray>(x: Tensor<V>, value: number, options: FactoryOptions = {}): Tensor<V> {
  return filled(x.shape, 'fullLike', options, () => value) as Tensor<V>;
}

/** Uniform [0, 1) values in `x`'s shape, seeded. */
export function randLike<V extends NestedArray>(x: Tensor<V>, options: FactoryOptions = {}): Tensor<V> {
  return rand(x.shape, options) as Tensor<V>;
}

/** Standard normal values in `x`'s shape, seeded. */
export function randnLike<V extends NestedArray>(x: Tensor<V>, options: FactoryOptions = {}): Tensor<V> {
  return randn(x.shape, options) as Tensor<V>;
}

/** Whole numbers uniform in `[low, high)` in `x`'s shape, seeded. */
export function randintLike<V extends NestedArray>(x: Tensor<V>, low: number, high: number, options: FactoryOptions = {}): Tensor<V> {
  return randint(low, high, x.shape, options) as Tensor<V>;
}
