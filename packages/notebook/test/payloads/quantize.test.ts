import { describe, expect, it } from 'vitest';
import { downsampleFactor, quantizePlanes } from '../../src/payloads/quantize.js';
import { validate } from '@convlab/display';
import { storedBytes } from '../helpers/bytes.js';

const ramp = (n: number, from = 0): Float32Array => Float32Array.from({ length: n }, (_, i) => from + i);

describe('quantizePlanes', () => {
  it('maps one range per layer to 0…255 and records it', () => {
    const q = quantizePlanes(ramp(8), [2, 2, 2]);
    expect(q).toMatchObject({ shape: [2, 2, 2], downsample: 1, encoding: 'uint8-base64', range: 'layer', min: [0], max: [7] });
    expect(storedBytes(q)).toEqual([0, 36, 73, 109, 146, 182, 219, 255]);
  });

  it('maps each channel to its own range', () => {
    const q = quantizePlanes(ramp(8), [2, 2, 2], { range: 'channel' });
    expect(q.min).toEqual([0, 4]);
    expect(q.max).toEqual([3, 7]);
    expect(storedBytes(q)).toEqual([0, 85, 170, 255, 0, 85, 170, 255]);
  });

  it('keeps only the selected channels, in the order given', () => {
    const q = quantizePlanes(ramp(12), [3, 2, 2], { channels: [2, 0], range: 'channel' });
    expect(q.shape).toEqual([2, 2, 2]);
    expect(q.min).toEqual([8, 0]);
    expect(q.max).toEqual([11, 3]);
  });

  it('block-averages by the downsample factor, edge blocks over the pixels they have', () => {
    // 3×3 plane 1…9 → 2×2 means: (1+2+4+5)/4 = 3, (3+6)/2 = 4.5, (7+8)/2 = 7.5, 9.
    const q = quantizePlanes(ramp(9, 1), [1, 3, 3], { downsample: 2 });
    expect(q).toMatchObject({ shape: [1, 2, 2], downsample: 2, min: [3], max: [9] });
    expect(storedBytes(q)).toEqual([0, 64, 191, 255]);
  });

  it('stores NaN and -Infinity as 0 and +Infinity as 255, ranging over finite values only', () => {
    const q = quantizePlanes(Float32Array.from([NaN, Infinity, -Infinity, 1, 2]), [1, 1, 5]);
    expect(q.min).toEqual([1]);
    expect(q.max).toEqual([2]);
    expect(storedBytes(q)).toEqual([0, 255, 0, 0, 255]);
  });

  it('stores zeros for a constant plane', () => {
    const q = quantizePlanes(new Float32Array(4).fill(-2.5), [1, 2, 2]);
    expect(q.min).toEqual([-2.5]);
    expect(q.max).toEqual([-2.5]);
    expect(storedBytes(q)).toEqual([0, 0, 0, 0]);
  });

  it('produces planes the schema accepts', () => {
    expect(validate('tensor', { name: null, shape: [3, 3], stats: { min: 1, max: 9, mean: 5 }, form: 'image', image: quantizePlanes(ramp(9, 1), [1, 3, 3], { downsample: 2 }) }).ok).toBe(true);
  });
});

describe('downsampleFactor', () => {
  it('is the smallest integer factor bringing the longer side within the cap', () => {
    expect(downsampleFactor(224, 224, 56)).toBe(4);
    expect(downsampleFactor(112, 112, 56)).toBe(2);
    expect(downsampleFactor(57, 10, 56)).toBe(2);
    expect(downsampleFactor(56, 56, 56)).toBe(1);
    expect(downsampleFactor(7, 7, 56)).toBe(1);
  });
});
