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

export function checkCheck(c: Checker, path: string, value: unknown): value is CheckData {
  if (!c.object(path, value)) return false;
  return [
    c.string(`${path}.name`, value['name']),
    c.boolean(`${path}.passed`, value['passed']),
    c.string(`${path}.computed`, value['computed']),
    c.string(`${path}.expected`, value['expected']),
    value['tolerance'] === null || (c.number(`${path}.tolerance`, value['tolerance']) && c.require(`${path}.tolerance`, (value['tolerance'] as number) >= 0, `expected ≥ 0, got ${String(value['tolerance'])}`)),
    c.string(`${path}.message`, value['message']),
  ].every(Boolean);
}
