import type { Checker } from './checker.js';

/**
 * `application/vnd.convlab.check.v1+json`: the result of an exercise check, shown as a badge.
 * `computed` and `expected` are display text; the notebook runner counts these payloads.
 */
export interface CheckData {
  /** The check's name, e.g. `B5 FC parameters`. */
  readonly name: string;
  readonly passed: boolean;
  /** What the notebook computed, formatted, e.g. `196609000` or `[4, 3, 3, 5]`. */
  readonly computed: string;
  /** What the exercise expects, formatted the same way. */
  readonly expected: string;
  /** Absolute tolerance used for numbers, or null for exact comparison. */
  readonly tolerance: number | null;
  /** One sentence: what matched, or where the first difference is. */
  readonly message: string;
}

/** A checked value for people: integers with separators, other numbers rounded to 6 significant digits, arrays element by element. */
export function formatCheckValue(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const format = (v: unknown): string => {
    if (typeof v === 'number') {
      if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toLocaleString('en-US');
      const rounded = Number(v.toPrecision(6));
      return Math.abs(rounded) >= 1e6 || (rounded !== 0 && Math.abs(rounded) < 1e-4) ? rounded.toExponential() : String(rounded);
    }
    if (Array.isArray(v)) return `[${v.map(format).join(', ')}]`;
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, x]) => `${k}: ${format(x)}`).join(', ')}}`;
    return String(v);
  };
  return format(value);
}

/** A tolerance with 3 significant digits: `±2.45e-6`, `±0.001`; null → `exact`. */
export function formatTolerance(tolerance: number | null): string {
  if (tolerance === null) return 'exact';
  const rounded = Number(tolerance.toPrecision(3));
  return `±${rounded !== 0 && Math.abs(rounded) < 1e-4 ? rounded.toExponential() : String(rounded)}`;
}

/** One element of an {@link arrayDiff}: its index path, both values, and whether they differ. */
export interface DiffRow {
  readonly index: string;
  readonly computed: string;
  readonly expected: string;
  readonly differs: boolean;
}

/**
 * Element-by-element comparison of two arrays given as check text (nested arrays flattened, index
 * paths like `[1][2]`), or null when either is not an array. At most `limit` rows: every differing
 * element first in order, then matching ones for context.
 */
export function arrayDiff(computed: string, expected: string, tolerance: number | null, limit = 24): { rows: DiffRow[]; total: number; differing: number } | null {
  let c: unknown, e: unknown;
  try {
    c = JSON.parse(computed);
    e = JSON.parse(expected);
  } catch {
    return null;
  }
  if (!Array.isArray(c) || !Array.isArray(e)) return null;
  const flat = (v: unknown, path: string, out: Map<string, unknown>): void => {
    if (Array.isArray(v)) v.forEach((x, i) => flat(x, `${path}[${i}]`, out));
    else out.set(path, v);
  };
  const cs = new Map<string, unknown>(), es = new Map<string, unknown>();
  flat(c, '', cs);
  flat(e, '', es);
  const keys = [...new Set([...es.keys(), ...cs.keys()])];
  const same = (a: unknown, b: unknown): boolean =>
    typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= (tolerance ?? 0) || a === b : JSON.stringify(a) === JSON.stringify(b);
  const all = keys.map((k): DiffRow => ({
    index: k,
    computed: cs.has(k) ? formatCheckValue(JSON.stringify(cs.get(k))) : '—',
    expected: es.has(k) ? formatCheckValue(JSON.stringify(es.get(k))) : '—',
    differs: !(cs.has(k) && es.has(k) && same(cs.get(k), es.get(k))),
  }));
  const differing = all.filter((r) => r.differs);
  const shown = new Set([...differing, ...all].slice(0, limit));
  return { rows: all.filter((r) => shown.has(r)), total: all.length, differing: differing.length };
}

export function checkCheck(c: Checker, path: string, value: unknown): value is CheckData {
  if (!c.object(path, value)) return false;
  return [
    c.string(`${path}.name`, value['name']),
    c.boolean(`${path}.passed`, value['passed']),
    c.string(`${path}.computed`, value['computed']),
    c.string(`${path}.expected`, value['expected']),
    value['tolerance'] === null || (c.number(`${path}.tolerance`, value['tolerance']) && c.require(`${path}.tolerance`, (value['tolerance'] as number) >= 0, `expected ≥ 0, got ` +
      `${String(value['tolerance'])}`)),
    c.string(`${path}.message`, value['message']),
  ].every(Boolean);
}
