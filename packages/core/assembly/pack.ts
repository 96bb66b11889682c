// Packing: copies a block of a matrix into the panel layouts the tile reads (A in panels of 4 rows,
// `[kc][4]` each; B in panels of 8 columns, `[kc][8]` each), zero-filling past the matrix's edge.
// "Rows" sources are stored with the reduction index contiguous for A (A[i][p] at src[i·ld + p])
// and the column index contiguous for B (B[p][j] at src[p·ld + j]); "cols" sources the other way.

import { MR, NR } from './tile';

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/**
 * Stores the transpose of the 4×4 block whose rows are r0..r3: column q goes to `dst + q·step` bytes.
 */
@inline export function storeTransposed4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + step, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * step, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** A[i][p] = src[i·ld + p] for rows [0, m) and steps [p0, p0 + kc) → panels of 4 rows at dst. */
export function packRowsA(src: usize, ld: i32, m: i32, p0: i32, kc: i32, dst: usize): void {
  const kq = kc & ~3;
  for (let i = 0; i < m; i += MR, dst += <usize>(kc * MR) << 2) {
    if (i + MR <= m) {
      const s0 = at(src, i * ld + p0);
      const s1 = s0 + (<usize>ld << 2);
      const s2 = s1 + (<usize>ld << 2);
      const s3 = s2 + (<usize>ld << 2);
      for (let p = 0; p < kq; p += 4) {
        const o = <usize>p << 2;
        storeTransposed4(v128.load(s0 + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o), at(dst, p * MR), 16);
      }
      for (let p = kq; p < kc; p++) {
        for (let r = 0; r < MR; r++) store<f32>(at(dst, p * MR + r), load<f32>(at(src, (i + r) * ld + p0 + p)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) store<f32>(at(dst, p * MR + r), i + r < m ? load<f32>(at(src, (i + r) * ld + p0 + p)) : 0);
      }
    }
  }
}

/** A[i][p] = src[p·ld + i] for rows [0, m) and steps [p0, p0 + kc) → panels of 4 rows at dst. */
export function packColsA(src: usize, ld: i32, m: i32, p0: i32, kc: i32, dst: usize): void {
  for (let i = 0; i < m; i += MR, dst += <usize>(kc * MR) << 2) {
    if (i + MR <= m) {
      for (let p = 0; p < kc; p++) v128.store(at(dst, p * MR), v128.load(at(src, (p0 + p) * ld + i)));
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) store<f32>(at(dst, p * MR + r), i + r < m ? load<f32>(at(src, (p0 + p) * ld + i + r)) : 0);
      }
    }
  }
}

/** B[p][j] = src[p·ld + j] for steps [p0, p0 + kc) and columns [c0, c0 + nc) → panels of 8 columns. */
export function packRowsB(src: usize, ld: i32, p0: i32, kc: i32, c0: i32, nc: i32, dst: usize): void {
  for (let j = 0; j < nc; j += NR, dst += <usize>(kc * NR) << 2) {
    if (j + NR <= nc) {
      for (let p = 0, s = at(src, p0 * ld + c0 + j); p < kc; p++, s += <usize>ld << 2) {
        const d = at(dst, p * NR);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let q = 0; q < NR; q++) store<f32>(at(dst, p * NR + q), j + q < nc ? load<f32>(at(src, (p0 + p) * ld + c0 + j + q)) : 0);
      }
    }
  }
}

/** B[p][j] = src[j·ld + p] for steps [p0, p0 + kc) and columns [c0, c0 + nc) → panels of 8 columns. */
export function packColsB(src: usize, ld: i32, p0: i32, kc: i32, c0: i32, nc: i32, dst: usize): void {
  const kq = kc & ~3;
  const row = <usize>ld << 2;
  for (let j = 0; j < nc; j += NR, dst += <usize>(kc * NR) << 2) {
    if (j + NR <= nc) {
      const s = at(src, (c0 + j) * ld + p0);
      for (let p = 0; p < kq; p += 4) {
        const o = s + (<usize>p << 2);
        const d = at(dst, p * NR);
        storeTransposed4(v128.load(o), v128.load(o + row), v128.load(o + 2 * row), v128.load(o + 3 * row), d, 32);
        storeTransposed4(v128.load(o + 4 * row), v128.load(o + 5 * row), v128.load(o + 6 * row), v128.load(o + 7 * row), d + 16, 32);
      }
      for (let p = kq; p < kc; p++) {
        for (let q = 0; q < NR; q++) store<f32>(at(dst, p * NR + q), load<f32>(at(src, (c0 + j + q) * ld + p0 + p)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let q = 0; q < NR; q++) store<f32>(at(dst, p * NR + q), j + q < nc ? load<f32>(at(src, (c0 + j + q) * ld + p0 + p)) : 0);
      }
    }
  }
}
