import type { Kind } from './mime.js';

/**
 * The largest payload each kind of display accepts, in characters of JSON. convlab's kernel side
 * caps its payloads far below these (feature maps at 1 MiB of bytes by default); anything larger
 * was built by hand or with raised caps, and is refused with a message instead of freezing the tab.
 */
export const MAX_PAYLOAD_CHARS: { readonly [K in Kind]: number } = {
  summary: 2_000_000,
  featuremaps: 8_000_000,
  history: 2_000_000,
  tensor: 2_000_000,
  check: 100_000,
  confusion: 4_000_000,
  unit: 2_000_000,
  attribution: 2_000_000,
  filters: 2_000_000,
  layerhealth: 4_000_000,
};

/**
 * Whether `value` (a JSON string, or parsed JSON) is longer than `limit` characters of JSON.
 * Counting stops as soon as the limit is passed, so a huge payload costs no more than the limit.
 * Parsed values are measured approximately: strings by length, other scalars as 5 characters.
 */
export function exceedsSize(value: unknown, limit: number): boolean {
  if (typeof value === 'string') return value.length > limit;
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') size += v.length + 3;
    else if (Array.isArray(v)) {
      size += 2;
      for (let i = 0; i < v.length && size <= limit; i++) { stack.push(v[i]); size += 1; }
    } else if (typeof v === 'object' && v !== null) {
      size += 2;
      for (const [key, item] of Object.entries(v)) {
        size += key.length + 4;
        stack.push(item);
        if (size > limit) break;
      }
    } else size += 5;
    if (size > limit) return true;
  }
  return false;
}
