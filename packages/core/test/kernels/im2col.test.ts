import { describe, expect, it } from 'vitest';
import { conv2dGeometry } from '../../src/index.js';
import { col2im, im2col } from '../../src/kernels/im2col.js';

describe('im2col', () => {
  it('lays each kernel tap out as a row over the output positions, zeros in the padding', () => {
    // 1×1×3×3 input 1…9, 2×2 kernel, padding 1 top/left/bottom/right, stride 2 → 2×2 outputs.
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const g = conv2dGeometry([1, 1, 3, 3], [1, 1, 2, 2], { padding: 1, stride: 2 }, 'test');
    const cols = new Float32Array(4 * 4).fill(-1);
    im2col(x, 0, 0, 1, g, cols);
    // Output (oh, ow) reads input rows 2·oh − 1 + i and columns 2·ow − 1 + j for tap (i, j).
    expect(Array.from(cols)).toEqual([0, 0, 0, 5, 0, 0, 4, 6, 0, 2, 0, 8, 1, 3, 7, 9]);
  });

  it('unfolds only the requested channels of the requested image, with dilation', () => {
    // 2 images × 2 channels of 1×4; kernel 1×2 with dilation 2 over channel 1 of image 1.
    const x = Float32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 10, 20, 30, 40, 1, 2, 3, 4]);
    const g = conv2dGeometry([2, 2, 1, 4], [2, 1, 1, 2], { dilation: 2, groups: 2 }, 'test');
    const cols = new Float32Array(2 * 2);
    im2col(x, 8, 1, 1, g, cols);
    expect(Array.from(cols)).toEqual([1, 2, 3, 4]);
  });

  it('col2im is the adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩', () => {
    const g = conv2dGeometry([1, 2, 5, 4], [3, 2, 3, 2], { padding: [1, 2], stride: [2, 1], dilation: [1, 2] }, 'test');
    const k = 2 * 3 * 2;
    const p = g.outH * g.outW;
    const x = Float32Array.from({ length: 40 }, (_, i) => (i % 7) - 3);
    const y = Float32Array.from({ length: k * p }, (_, i) => (i % 5) - 2);
    const cols = new Float32Array(k * p);
    im2col(x, 0, 0, 2, g, cols);
    const dx = new Float32Array(40);
    col2im(y, 0, 2, g, dx, 0);
    const lhs = cols.reduce((s, v, i) => s + v * y[i]!, 0);
    const rhs = x.reduce((s, v, i) => s + v * dx[i]!, 0);
    expect(lhs).toBe(rhs);
    expect(lhs).not.toBe(0);
  });
});
