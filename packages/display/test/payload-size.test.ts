import { describe, expect, it } from 'vitest';
import { exceedsSize, MAX_PAYLOAD_CHARS } from '../src/payload-size.js';

describe('exceedsSize', () => {
  it('measures JSON strings by length', () => {
    expect(exceedsSize('x'.repeat(100), 100)).toBe(false);
    expect(exceedsSize('x'.repeat(101), 100)).toBe(true);
  });

  it('estimates parsed values: strings by length, other scalars as 5 characters', () => {
    expect(exceedsSize({ data: 'x'.repeat(80) }, 100)).toBe(false); // 2 + 4+4 + 80+3 = 93
    expect(exceedsSize({ data: 'x'.repeat(90) }, 100)).toBe(true); // 103
    expect(exceedsSize([1, 2, 3], 20)).toBe(false); // 2 + 3·(1 + 5) = 20
    expect(exceedsSize([1, 2, 3, 4], 20)).toBe(true);
  });

  it('stops counting at the limit: a huge array is read no further than the limit', () => {
    let reads = 0;
    const huge = new Proxy(new Array<number>(50_000_000), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(exceedsSize({ maps: huge }, 1000)).toBe(true);
    expect(reads).toBeLessThanOrEqual(1000);
  });

  it('gives feature maps the largest allowance', () => {
    expect(MAX_PAYLOAD_CHARS).toEqual({
      summary: 2_000_000, featuremaps: 8_000_000, history: 2_000_000, tensor: 2_000_000, check: 100_000, confusion: 4_000_000, unit: 2_000_000, attribution: 2_000_000, filters: 2_000_000,
      layerhealth: 4_000_000,
    });
  });
});
