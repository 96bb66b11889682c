/**
 * A tiny structural validator: walks a parsed JSON value and collects readable errors of the form
 * `summary.rows[3].params: expected a non-negative integer, got -1`. Browser-safe (no imports).
 */

/** A JSON object as parsed, before validation. */
export type JsonObject = { readonly [key: string]: unknown };

/** Short description of a value for error messages: `-1`, `"abc"`, `an array of 3`, `null`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Collects errors while a validator walks a payload. Each method returns whether `value` passed. */
export class Checker {
  readonly errors: string[] = [];

  fail(path: string, expected: string, value: unknown): false {
    this.errors.push(`${path}: expected ${expected}, got ${describe(value)}`);
    return false;
  }

  object(path: string, value: unknown): value is JsonObject {
    return (typeof value === 'object' && value !== null && !Array.isArray(value)) || this.fail(path, 'an object', value);
  }

  array(path: string, value: unknown): value is unknown[] {
    return Array.isArray(value) || this.fail(path, 'an array', value);
  }

  string(path: string, value: unknown): value is string {
    return typeof value === 'string' || this.fail(path, 'a string', value);
  }

  boolean(path: string, value: unknown): value is boolean {
    return typeof value === 'boolean' || this.fail(path, 'true or false', value);
  }

  /** A finite number. */
  number(path: string, value: unknown): value is number {
    return (typeof value === 'number' && Number.isFinite(value)) || this.fail(path, 'a finite number', value);
  }

  /** An integer ≥ `min` (default 0). */
  integer(path: string, value: unknown, min = 0): value is number {
    return (typeof value === 'number' && Number.isInteger(value) && value >= min)
      || this.fail(path, min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`, value);
  }

  /** A finite number or one of the non-finite spellings of {@link FloatValue}. */
  float(path: string, value: unknown): boolean {
    return (typeof value === 'number' && Number.isFinite(value))
      || value === 'NaN' || value === 'Infinity' || value === '-Infinity'
      || this.fail(path, 'a number or "NaN"/"Infinity"/"-Infinity"', value);
  }

  oneOf<T extends string>(path: string, value: unknown, options: readonly T[]): value is T {
    return (options as readonly unknown[]).includes(value) || this.fail(path, options.map((o) => JSON.stringify(o)).join(' or '), value);
  }

  /** An array of `length` integers ≥ `min` (any length when `length` is null). */
  integers(path: string, value: unknown, length: number | null, min = 0): value is number[] {
    if (!this.array(path, value)) return false;
    if (length !== null && value.length !== length) return this.fail(path, `an array of ${length}`, value);
    return value.every((v, i) => this.integer(`${path}[${i}]`, v, min));
  }

  /** Checks each element of an array with `each`; returns whether all passed. */
  each(path: string, value: unknown, each: (path: string, item: unknown) => boolean): boolean {
    if (!this.array(path, value)) return false;
    let ok = true;
    value.forEach((item, i) => { ok = each(`${path}[${i}]`, item) && ok; });
    return ok;
  }

  /** Fails unless `condition` holds; `message` completes "path: …". */
  require(path: string, condition: boolean, message: string): boolean {
    if (!condition) this.errors.push(`${path}: ${message}`);
    return condition;
  }
}
