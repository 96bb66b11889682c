import { Tensor } from '@convlab/core';
import { describe, expect, it } from 'vitest';
import { checkPayload, firstDifference } from '../../src/payloads/check.js';
import { validate } from '@convlab/display';

describe('firstDifference', () => {
  it('compares numbers exactly or within a tolerance', () => {
    expect(firstDifference(280, 280, 0)).toBeNull();
    expect(firstDifference(281, 280, 0)).toBe('281 differs from the expected 280');
    expect(firstDifference(0.1 + 0.2, 0.3, 1e-9)).toBeNull();
    expect(firstDifference(0.5, 0.3, 0.1)).toBe('0.5 differs from the expected 0.3 by more than 0.1');
    expect(firstDifference(NaN, NaN, 1)).toBe('NaN differs from the expected NaN by more than 1');
  });

  it('compares tensors and arrays element by element and names the first difference', () => {
    const y = Tensor.from([[4, 3, 4], [2, 4, 3], [2, 3, 4]]);
    expect(firstDifference(y, [[4, 3, 4], [2, 4, 3], [2, 3, 4]], 0)).toBeNull();
    expect(firstDifference(y, [[4, 3, 4], [2, 5, 3], [2, 3, 4]], 0)).toBe('4 differs from the expected 5 at [1][1]');
    expect(firstDifference([1, 2], [1, 2, 3], 0)).toBe('length 2 differs from the expected 3');
    expect(firstDifference(Float32Array.from([0.1]), [0.1], 0)).toBe('0.10000000149011612 differs from the expected 0.1 at [0] (float32 rounding: pass a tolerance)');
    expect(firstDifference(Float32Array.from([0.1]), [0.1], 1e-6)).toBeNull();
    expect(firstDifference(Tensor.from([0.1, 0.7]), [0.1, 0.2], 1e-6)).toBe('0.7 differs from the expected 0.2 at [1] by more than 0.000001');
    // Plain numbers are doubles: never rounded to float32 in messages.
    expect(firstDifference(196609001, 196609000, 0)).toBe('196609001 differs from the expected 196609000');
  });

  it('compares objects by keys and values, and other values with ===', () => {
    expect(firstDifference({ a: 1, b: [2] }, { a: 1, b: [2] }, 0)).toBeNull();
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 }, 0)).toBe('keys {a} differ from the expected {a, b}');
    expect(firstDifference({ a: 1, b: 3 }, { a: 1, b: 2 }, 0)).toBe('3 differs from the expected 2 at .b');
    expect(firstDifference('A', 'B', 0)).toBe('"A" differs from the expected "B"');
    expect(firstDifference(true, false, 0)).toBe('true differs from the expected false');
    expect(firstDifference('3', 3, 0)).toBe('expected a number, got "3"');
  });
});

describe('firstDifference with null', () => {
  it('matches null with null and names a null where a value was expected', () => {
    expect(firstDifference([null, 1] as never, [null, 1] as never, 0)).toBeNull();
    expect(firstDifference([null] as never, [{ a: 1 }] as never, 0)).toBe('null differs from the expected {"a":1} at [0]');
    expect(firstDifference({ stopped: 3 } as never, { stopped: null } as never, 0)).toBe('3 differs from the expected null at .stopped');
  });
});

describe('checkPayload', () => {
  it('records what was compared and the verdict', () => {
    expect(checkPayload('B6 conv parameters', 280, 280)).toEqual({
      name: 'B6 conv parameters', passed: true, computed: '280', expected: '280', tolerance: null, message: 'matches the expected value',
    });
    const failed = checkPayload('C2 pooled shape', [1, 2, 2, 4], [1, 2, 2, 3], { tolerance: 0.5 });
    expect(failed).toEqual({
      name: 'C2 pooled shape', passed: false, computed: '[1,2,2,4]', expected: '[1,2,2,3]', tolerance: 0.5, message: '4 differs from the expected 3 at [3] by more than 0.5',
    });
    expect(validate('check', failed).ok).toBe(true);
  });

  it('prints tensors in their shortest float32 form', () => {
    expect(checkPayload('t', Tensor.from([0.1, 0.25]), [0.1, 0.25], { tolerance: 1e-6 }).computed).toBe('[0.1,0.25]');
  });

  it('cuts long values in the text', () => {
    const p = checkPayload('long', Array.from({ length: 200 }, (_, i) => i), 0);
    expect(p.computed.length).toBe(300);
    expect(p.computed.endsWith('…')).toBe(true);
  });
});
