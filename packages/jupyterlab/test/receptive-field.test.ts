import { describe, expect, it } from 'vitest';
import { fieldOfCell } from '../src/receptive-field.js';

describe('fieldOfCell', () => {
  it('LeNet conv1 (5×5, padding 2): unit (0, 3) sees rows −2…2, clipped to 0…2', () => {
    expect(fieldOfCell({ size: [5, 5], stride: [1, 1], padding: [2, 2] }, [28, 28], 1, 0, 3, [28, 28])).toEqual({
      units: { top: 0, bottom: 0, left: 3, right: 3 },
      field: { top: -2, bottom: 2, left: 1, right: 5 },
      visible: { top: 0, bottom: 2, left: 1, right: 5 },
    });
  });

  it('conv2 after a 2×2 pool (14×14, jump 2): unit (5, 5) sees rows 10…23', () => {
    const r = fieldOfCell({ size: [14, 14], stride: [2, 2], padding: [0, 0] }, [10, 10], 1, 5, 5, [32, 32]);
    expect(r.field).toEqual({ top: 10, bottom: 23, left: 10, right: 23 });
    expect(r.visible).toEqual(r.field);
  });

  it('a cell of downsampled maps covers the field of every unit it averages', () => {
    // Maps 56×56 stored at 1/4: stored cell (1, 2) averages units rows 4…7, cols 8…11.
    const r = fieldOfCell({ size: [3, 3], stride: [1, 1], padding: [1, 1] }, [56, 56], 4, 1, 2, [56, 56]);
    expect(r.units).toEqual({ top: 4, bottom: 7, left: 8, right: 11 });
    expect(r.field).toEqual({ top: 3, bottom: 8, left: 7, right: 12 });
  });

  it('the last stored cell of a side that does not divide evenly is clipped to the layer', () => {
    const r = fieldOfCell({ size: [1, 1], stride: [1, 1], padding: [0, 0] }, [10, 10], 4, 2, 2, [10, 10]);
    expect(r.units).toEqual({ top: 8, bottom: 9, left: 8, right: 9 });
  });

  it('a field lying entirely in the padding has no visible part', () => {
    const r = fieldOfCell({ size: [2, 2], stride: [1, 1], padding: [3, 3] }, [8, 8], 1, 0, 0, [4, 4]);
    expect(r.field).toEqual({ top: -3, bottom: -2, left: -3, right: -2 });
    expect(r.visible).toBeNull();
  });

  it('rectangular fields and strides per axis', () => {
    const r = fieldOfCell({ size: [3, 7], stride: [2, 4], padding: [1, 3] }, [16, 8], 1, 2, 1, [32, 32]);
    expect(r.field).toEqual({ top: 3, bottom: 5, left: 1, right: 7 });
  });
});
