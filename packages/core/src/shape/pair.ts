import { fail } from '../errors.js';

/** A per-axis value `[h, w]`. */
export type Pair = readonly [number, number];

/** A number used for both axes, or one per axis `[h, w]` (PyTorch's `int | tuple[int, int]`). */
export type IntPair = number | Pair;

/** The largest kernel size, stride, padding or dilation: the kernels index with 32-bit integers. */
export const MAX_PAIR_VALUE = 2 ** 31 - 1;

/**
 * Normalizes `value` to `[h, w]` and checks each entry is an integer ≥ `min`.
 * `where` and `arg` name the layer and argument in the error message.
 */
export function toPair(value: IntPair, arg: string, where: string, min: number): [number, number] {
  if (typeof value !== 'number' && (!Array.isArray(value) || value.length !== 2)) {
    fail(where, `${arg} must be a number or a pair [h, w], got ${JSON.stringify(value)}`);
  }
  const pair: [number, number] = typeof value === 'number' ? [value, value] : [value[0], value[1]];
  for (const v of pair) {
    if (!Number.isInteger(v)) fail(where, `${arg} must be an integer (or pair of integers), got ${JSON.stringify(value)}`);
    if (v < min) fail(where, `${arg} must be ≥ ${min}, got ${JSON.stringify(value)}`);
    if (v > MAX_PAIR_VALUE) fail(where, `${arg} must be at most ${MAX_PAIR_VALUE}, got ${JSON.stringify(value)}`);
  }
  return pair;
}

/** Formats a pair compactly: `3` when both axes agree, `(3, 5)` otherwise (PyTorch's repr style). */
export function formatPair(pair: Pair): string {
  return pair[0] === pair[1] ? `${pair[0]}` : `(${pair[0]}, ${pair[1]})`;
}
