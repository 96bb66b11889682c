import { Tensor } from '@convlab/core';
import type { CheckData } from '@convlab/display';
import { shortFloat32 } from './float32.js';

/**
 * What an exercise check may compare: numbers, strings, booleans, tensors and (nested) arrays or
 * objects of them. Objects are typed `object` so that interface values (a summary row's
 * `ReceptiveField`) pass as they are; they compare key by key.
 */
export type Checkable = number | string | boolean | Tensor | ArrayLike<number> | readonly Checkable[] | object;

/** Options of an exercise check. */
export interface CheckOptions {
  /** Largest absolute difference accepted between numbers (default 0: exact). */
  readonly tolerance?: number;
}

/** Longest `computed`/`expected` text in a check payload. */
const MAX_TEXT = 300;

/** Tensors compare as nested arrays; typed arrays as plain arrays. */
function plain(x: Checkable): Checkable {
  if (x instanceof Tensor) return x.toArray() as Checkable;
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  return x;
}

/** Whether `x` holds float32 values (a tensor or a Float32Array): those print in their shortest float32 form. */
const isFloat32 = (x: Checkable): boolean => x instanceof Tensor || x instanceof Float32Array;

/** Text for a checked value, cut to 300 characters; float32 values in their shortest form. */
export function formatCheckable(x: Checkable): string {
  const float32 = isFloat32(x);
  const text = JSON.stringify(plain(x), (_k, v: unknown) => {
    if (typeof v !== 'number') return v;
    if (!Number.isFinite(v)) return String(v);
    return float32 ? shortFloat32(v) : v;
  }) ?? String(x);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/**
 * Compares `computed` with `expected` and describes the first difference:
 * numbers within `tolerance` (NaN never matches), arrays by length then element by element,
 * objects by their keys then values, anything else with `===`.
 * Returns null when they match.
 */
export function firstDifference(computed: Checkable, expected: Checkable, tolerance: number, path = '', float32 = isFloat32(computed)): string | null {
  const c = plain(computed), e = plain(expected);
  const at = path === '' ? '' : ` at ${path}`;
  if (typeof e === 'number') {
    if (typeof c !== 'number') return `expected a number${at}, got ${formatCheckable(c)}`;
    if (Math.abs(c - e) <= tolerance || c === e) return null;
    const by = tolerance > 0 ? ` by more than ${tolerance}` : '';
    if (!float32) return `${c} differs from the expected ${e}${at}${by}`;
    return shortFloat32(c) === e
      ? `${c} differs from the expected ${e}${at}${by} (float32 rounding: pass a tolerance)`
      : `${shortFloat32(c)} differs from the expected ${e}${at}${by}`;
  }
  if (Array.isArray(e)) {
    if (!Array.isArray(c)) return `expected an array${at}, got ${formatCheckable(c)}`;
    if (c.length !== e.length) return `length ${c.length} differs from the expected ${e.length}${at}`;
    for (let i = 0; i < e.length; i++) {
      const d = firstDifference(c[i] as Checkable, e[i] as Checkable, tolerance, `${path}[${i}]`, float32);
      if (d !== null) return d;
    }
    return null;
  }
  if (e === null || c === null) return c === e ? null : `${formatCheckable(c)} differs from the expected ${formatCheckable(e)}${at}`;
  if (typeof e === 'object') {
    if (typeof c !== 'object' || Array.isArray(c)) return `expected an object${at}, got ${formatCheckable(c)}`;
    const ck = Object.keys(c).sort(), ek = Object.keys(e).sort();
    if (ck.join() !== ek.join()) return `keys {${ck.join(', ')}} differ from the expected {${ek.join(', ')}}${at}`;
    for (const k of ek) {
      const d = firstDifference((c as Record<string, Checkable>)[k]!, (e as Record<string, Checkable>)[k]!, tolerance, `${path}.${k}`, float32);
      if (d !== null) return d;
    }
    return null;
  }
  return c === e ? null : `${formatCheckable(c)} differs from the expected ${formatCheckable(e)}${at}`;
}

/** Builds the `check` payload: compares, and words the result. */
export function checkPayload(name: string, computed: Checkable, expected: Checkable, options: CheckOptions = {}): CheckData {
  const tolerance = options.tolerance ?? 0;
  const difference = firstDifference(computed, expected, tolerance);
  const within = tolerance > 0 ? ` within ${tolerance}` : '';
  return {
    name,
    passed: difference === null,
    computed: formatCheckable(computed),
    expected: formatCheckable(expected),
    tolerance: options.tolerance ?? null,
    message: difference ?? `matches the expected value${within}`,
  };
}
