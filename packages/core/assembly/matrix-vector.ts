// Linear layers at small batch: each output is one long dot product of an input row with a row of
// the weight matrix, `C[i][j] = Σ_p A[i][p]·B[j][p]` (A: m×k inputs, B: n×k weights as PyTorch
// stores them, C: m×n). The 4×8 register tile would pad the m < 4 rows to 4 and transpose B into
// panels first; here B streams once from memory, row after row, as it lies.

import { bytes } from './conv-shape';
import { madd } from './tile';

/** Weight rows (outputs) per chunk. */
const DOT_ROWS: i32 = 32;

/** Chunks of {@link rowDotsChunk} for n outputs. */
export function rowDotsChunks(n: i32): i32 {
  return (n + DOT_ROWS - 1) / DOT_ROWS;
}

/**
 * Outputs `[32·chunk, +32)` of `C = A·Bᵀ` (see above), for every row of A. Each dot keeps 16 partial
 * sums (four SIMD accumulators over consecutive blocks of 16 p), adds them in a fixed order, then
 * the k mod 16 last terms: the order depends on k only, never on the chunking or the threads.
 */
export function rowDotsChunk(chunk: i32, thread: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize): void {
  const j1 = min(n, (chunk + 1) * DOT_ROWS);
  const k16 = k & ~15;
  for (let j = chunk * DOT_ROWS; j < j1; j++) {
    const w = b + bytes(j * k);
    for (let i = 0; i < m; i++) {
      const x = a + bytes(i * k);
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let s2 = f32x4.splat(0);
      let s3 = f32x4.splat(0);
      for (let p = 0; p < k16; p += 16) {
        const xp = x + bytes(p);
        const wp = w + bytes(p);
        s0 = madd(s0, v128.load(xp), v128.load(wp));
        s1 = madd(s1, v128.load(xp, 16), v128.load(wp, 16));
        s2 = madd(s2, v128.load(xp, 32), v128.load(wp, 32));
        s3 = madd(s3, v128.load(xp, 48), v128.load(wp, 48));
      }
      const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
      let sum = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
      for (let p = k16; p < k; p++) sum += load<f32>(x + bytes(p)) * load<f32>(w + bytes(p));
      store<f32>(c + bytes(i * n + j), sum);
    }
  }
}
