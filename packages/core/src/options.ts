import { fail, formatShape } from './errors.js';

/**
 * One option's type: a test and the words an error uses for what was expected
 * (`"a number"`, `"'mean', 'sum' or 'none'"`).
 */
export interface OptionType {
  readonly expected: string;
  readonly test: (value: unknown) => boolean;
}

/** The options an op or layer accepts, by name. */
export type OptionTypes = Readonly<Record<string, OptionType>>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Option types for {@link checkOptions}. */
export const opt = {
  number: { expected: 'a number', test: (v) => typeof v === 'number' },
  integer: { expected: 'an integer', test: (v) => Number.isInteger(v) },
  boolean: { expected: 'true or false', test: (v) => typeof v === 'boolean' },
  string: { expected: 'a string', test: (v) => typeof v === 'string' },
  /** A number or a pair `[h, w]` of numbers (PyTorch's `int | tuple[int, int]`). */
  pair: {
    expected: 'a number or a pair [h, w]',
    test: (v) => typeof v === 'number' || (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')),
  },
  /** A list of numbers. */
  numbers: { expected: 'an array of numbers', test: (v) => Array.isArray(v) && v.every((x) => typeof x === 'number') },
  /** A list of strings. */
  strings: { expected: 'an array of strings', test: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string') },
  /** An array (its items are checked by the op). */
  array: { expected: 'an array', test: (v) => Array.isArray(v) },
  /** A function. */
  function: { expected: 'a function', test: (v) => typeof v === 'function' },
  /** One of the given strings. */
  oneOf: (...values: readonly string[]): OptionType => ({
    expected: values.map((s) => `'${s}'`).join(values.length > 2 ? ', ' : ' or ').replace(/, ([^,]*)$/, ' or $1'),
    test: (v) => typeof v === 'string' && values.includes(v),
  }),
  /** `type`, or null. */
  nullable: (type: OptionType): OptionType => ({ expected: `${type.expected} or null`, test: (v) => v === null || type.test(v) }),
  /** Any of the given types. */
  either: (...types: readonly OptionType[]): OptionType => ({
    expected: types.map((t) => t.expected).join(' or '),
    test: (v) => types.some((t) => t.test(v)),
  }),
  /** An instance of `cls` (e.g. a Tensor). */
  instance: (cls: abstract new (...args: never[]) => unknown, expected: string): OptionType => ({ expected, test: (v) => v instanceof cls }),
} satisfies Record<string, OptionType | ((...args: never[]) => OptionType)>;

/** How an error shows a value that came: `"0.5" (a string)`, `[1,2]`, `an object`, `a Tensor of shape [3]`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `${JSON.stringify(value)} (a string)`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return value.length <= 8 ? `[${value.map((v) => (typeof v === 'object' && v !== null ? '…' : String(v))).join(',')}] (an array)` : `an array of ${value.length} items`;
  const shape = (value as { shape?: unknown }).shape;
  const name = (value as object).constructor?.name;
  if (Array.isArray(shape) && name !== undefined && name !== 'Object') return `a ${name} of shape ${formatShape(shape as number[])}`;
  return name === undefined || name === 'Object' ? 'an object' : `a ${name}`;
}

/** Lower case without `_` and `-`: `weight_decay`, `WeightDecay` and `weight-decay` all become `weightdecay`. */
const fold = (key: string): string => key.replace(/[_-]/g, '').toLowerCase();

/**
 * The known name a mistyped `key` most likely meant: the same letters up to case, `_` and `-`
 * (`weight_decay` → `weightDecay`, `T_max` → `tMax`, `batch_size` → `batch-size`), or undefined.
 */
export function suggestName(key: string, known: readonly string[]): string | undefined {
  const f = fold(key);
  return known.find((k) => fold(k) === f);
}

/** The error text for an unknown option `key` (shown as `show(key)`). */
export function unknownOptionMessage(key: string, known: readonly string[], show: (k: string) => string = (k) => k): string {
  const suggestion = suggestName(key, known);
  if (suggestion !== undefined) return `unknown option ${show(key)}, did you mean ${show(suggestion)}?`;
  return `unknown option ${show(key)} (known options: ${known.length === 0 ? 'none' : known.map(show).join(', ')})`;
}

/**
 * Checks an options object at the boundary of an op or layer: it must be a plain object (or
 * undefined), every key must be known, and every value that is not undefined must have its type.
 * Errors name `where`, the key, what was expected and what came:
 *
 *     SGD: unknown option weight_decay, did you mean weightDecay?
 *     Conv2d(3→16): unknown option pad (known options: stride, padding, dilation, groups, bias, paddingMode)
 *     SGD: option lr must be a number, got "0.1" (a string)
 *
 * Range checks (lr ≥ 0, …) stay with the op, which knows the meaning. Returns `options` typed as `T`.
 * @example checkOptions('SGD', options, { lr: opt.number, momentum: opt.number })
 */
export function checkOptions<T extends object>(where: string, options: T | undefined, types: OptionTypes): T {
  if (options === undefined) return {} as T;
  if (!isPlainObject(options)) fail(where, `options must be an object like { ${Object.keys(types).slice(0, 2).join(', ')} }, got ${describeValue(options)}`);
  const known = Object.keys(types);
  for (const [key, value] of Object.entries(options)) {
    const type = types[key];
    if (type === undefined || !Object.hasOwn(types, key)) fail(where, unknownOptionMessage(key, known));
    if (value !== undefined && !type.test(value)) fail(where, `option ${key} must be ${type.expected}, got ${describeValue(value)}`);
  }
  return options;
}
