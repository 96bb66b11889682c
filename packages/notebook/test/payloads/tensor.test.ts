import { Tensor } from '@convlab/core';
import { describe, expect, it } from 'vitest';
import { imageLike, tensorPayload } from '../../src/payloads/tensor.js';
import { validate } from '@convlab/display';

describe('tensorPayload', () => {
  it('gives small tensors as values with their statistics', () => {
    const p = tensorPayload(Tensor.from([[1, 2], [3, 4]]), { name: 'w' });
    expect(p).toEqual({ name: 'w', shape: [2, 2], stats: { min: 1, max: 4, mean: 2.5 }, form: 'values', values: [1, 2, 3, 4], truncated: false });
  });

  it('truncates large non-image tensors to their first 1000 values', () => {
    const p = tensorPayload(Tensor.from(Float32Array.from({ length: 2500 }, (_, i) => i), [2500]));
    expect(p.form).toBe('values');
    if (p.form !== 'values') return;
    expect(p.values.length).toBe(1000);
    expect(p.values[999]).toBe(999);
    expect(p.truncated).toBe(true);
    expect(p.stats).toEqual({ min: 0, max: 2499, mean: 1249.5 });
    expect(validate('tensor', p).ok).toBe(true);
  });

  it('shows image-like tensors of at least 8×8 as images, downsampled beyond 256 pixels', () => {
    const gray = tensorPayload(Tensor.from(new Float32Array(28 * 28), [1, 1, 28, 28]));
    expect(gray.form).toBe('image');
    const big = tensorPayload(Tensor.from(new Float32Array(3 * 300 * 300), [3, 300, 300]));
    expect(big.form === 'image' && big.image).toMatchObject({ shape: [3, 150, 150], downsample: 2 });
    expect(tensorPayload(Tensor.from(new Float32Array(9), [3, 3])).form).toBe('values');
    expect(tensorPayload(Tensor.from(new Float32Array(9), [3, 3]), { as: 'image' }).form).toBe('image');
    expect(() => tensorPayload(Tensor.from(new Float32Array(8), [2, 2, 2]), { as: 'image' }))
      .toThrow('display: a tensor of shape [2,2,2] is not an image (expected [H,W], [C,H,W] or [1,C,H,W] with 1 or 3 channels)');
  });

  it('shows larger 3-D and 4-D tensors as heatmaps of their first 64 planes on one scale, small ones as values', () => {
    const conv = tensorPayload(Tensor.from(Float32Array.from({ length: 64 * 3 * 3 * 3 }, (_, i) => i), [64, 3, 3, 3]));
    expect(conv.form).toBe('planes');
    if (conv.form !== 'planes') return;
    expect(conv.planes).toMatchObject({ shape: [64, 3, 3], downsample: 1, range: 'layer', min: [0], max: [575] });
    expect(conv.stats).toEqual({ min: 0, max: 1727, mean: 863.5 });
    expect(validate('tensor', conv).ok).toBe(true);
    const maps = tensorPayload(Tensor.from(new Float32Array(16 * 100 * 100).fill(2), [16, 100, 100]));
    expect(maps.form === 'planes' && maps.planes).toMatchObject({ shape: [16, 50, 50], downsample: 2 });
    expect(tensorPayload(Tensor.from(new Float32Array(2 * 20 * 20), [2, 20, 20])).form).toBe('planes');
    expect(tensorPayload(Tensor.from(new Float32Array(3 * 4 * 4), [3, 4, 4])).form).toBe('values');
    expect(tensorPayload(Tensor.from(new Float32Array(64 * 28 * 28), [64, 28, 28]), { as: 'values' }).form).toBe('values');
    expect(tensorPayload(Tensor.from(new Float32Array(3 * 28 * 28), [3, 28, 28])).form).toBe('image');
  });

  it('refuses planes that do not fit the shape', () => {
    const conv = tensorPayload(Tensor.from(new Float32Array(2 * 20 * 20), [2, 20, 20]));
    if (conv.form !== 'planes') throw new Error('expected planes');
    expect(validate('tensor', { ...conv, shape: [1, 20, 20] })).toMatchObject({ ok: false, errors: ['tensor.planes.shape[0]: 2 planes stored, but the tensor has 1'] });
    expect(validate('tensor', { ...conv, shape: [2, 20, 10] }).ok).toBe(false);
  });

  it('spells non-finite values and statistics for JSON', () => {
    const p = tensorPayload(Tensor.from([1, NaN, Infinity]));
    expect(p).toMatchObject({ stats: { min: 'NaN', max: 'NaN', mean: 'NaN' }, values: [1, 'NaN', 'Infinity'] });
    expect(validate('tensor', p).ok).toBe(true);
  });

  it('refuses meta tensors', () => {
    expect(() => tensorPayload(Tensor.meta([2, 3]))).toThrow('display: a meta tensor (shape [2,3]) has no values to show');
  });
});

describe('imageLike', () => {
  it('reads [H,W], [C,H,W] and [1,C,H,W] with 1 or 3 channels', () => {
    expect(imageLike([28, 28])).toEqual([1, 28, 28]);
    expect(imageLike([3, 32, 32])).toEqual([3, 32, 32]);
    expect(imageLike([1, 1, 28, 28])).toEqual([1, 28, 28]);
    expect(imageLike([2, 3, 8, 8])).toBeNull();
    expect(imageLike([4, 8, 8])).toBeNull();
    expect(imageLike([10])).toBeNull();
  });
});
