import { describe, expect, it } from 'vitest';
import { gemm } from '../../src/kernels/gemm.js';

/** Small integers, so every product and sum is exact in float32 and results compare with toEqual. */
const ints = (length: number, seed: number): Float32Array => Float32Array.from({ length }, (_, i) => ((i * 7 + seed * 13) % 11) - 5);

/** C = A'·B' by the definition, A' (m×k) and B' (k×n) read through the same transposition flags. */
function naive(m: number, n: number, k: number, a: Float32Array, transA: boolean, b: Float32Array, transB: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[transA ? p * m + i : i * k + p]! * b[transB ? j * k + p : p * n + j]!;
      out.push(s);
    }
  }
  return out;
}

describe('gemm', () => {
  it('computes [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]', () => {
    const c = new Float32Array(4);
    gemm({ m: 2, n: 2, k: 2, a: Float32Array.from([1, 2, 3, 4]), b: Float32Array.from([5, 6, 7, 8]), c });
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });

  // Sizes below, at and beyond the 4×4 tile, with remainders in both directions.
  const sizes = [[1, 1, 1], [3, 5, 2], [4, 4, 4], [5, 7, 9], [9, 6, 13], [8, 12, 3], [2, 17, 6], [13, 3, 8]] as const;
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it.each(sizes.map((s) => [...s]))(`transA ${transA} transB ${transB}: m %i n %i k %i matches the definition`, (m, n, k) => {
        const a = ints(m * k, 1);
        const b = ints(k * n, 2);
        const c = new Float32Array(m * n).fill(99);
        gemm({ m, n, k, a, b, c, transA, transB });
        expect(Array.from(c)).toEqual(naive(m, n, k, a, transA, b, transB));
      });
    }
  }

  it('reads and writes sub-matrices at offsets and accumulates when asked', () => {
    const [m, n, k] = [5, 6, 7];
    const a = ints(3 + m * k, 3);
    const b = ints(2 + k * n, 4);
    const c = new Float32Array(4 + m * n + 4).fill(1);
    gemm({ m, n, k, a, aOffset: 3, b, bOffset: 2, transB: false, c, cOffset: 4, accumulate: true });
    const expected = naive(m, n, k, a.subarray(3), false, b.subarray(2), false).map((v) => v + 1);
    expect(Array.from(c.subarray(4, 4 + m * n))).toEqual(expected);
    expect(Array.from(c.subarray(0, 4))).toEqual([1, 1, 1, 1]);
    expect(Array.from(c.subarray(4 + m * n))).toEqual([1, 1, 1, 1]);
  });
});
