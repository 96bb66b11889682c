// The register tile every matrix product here is made of: a 4×8 block of C held in eight f32x4
// accumulators while a packed column of A (4 values per step) and a packed row of B (8 values per
// step) stream past. One step is 6 loads for 32 multiply-adds (7 when B is read in place).

/** Rows of a tile: A is packed in panels of MR rows. */
export const MR: i32 = 4;
/** Columns of a tile: B is packed in panels of NR columns. */
export const NR: i32 = 8;

/** A tile starts from zero. */
export const INIT_ZERO: i32 = 0;
/** A tile starts from C's current values (accumulation, or the next block of the reduction). */
export const INIT_C: i32 = 1;
/** A tile starts from a per-row bias: row r from `bias[r]`. */
export const INIT_BIAS: i32 = 2;

// `acc + a·b`, fused where the host offers relaxed SIMD (one rounding instead of two).
@inline export function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * `C[0..rows)[0..cols) = init + Σ_{p<kc} a[p][r] · b[p][c]`, with `a` packed `[kc][4]` (byte
 * addresses) and C row-major with `ldc` floats per row. Row p of B is the 8 floats at `b + 32·p`
 * (packed `[kc][8]`) when `offsets` is 0, else at `b + offsets[p]` (u32 byte offsets: B read in
 * place, e.g. straight from an image). Rows past `rows` are computed but neither read nor written.
 * A tile with fewer than 8 columns (the right edge of C) is computed in `edge` (32 floats) and
 * only its valid part is read from and written to C.
 */
export function tile(kc: i32, a: usize, b: usize, offsets: usize, c: usize, ldc: i32, rows: i32, cols: i32, init: i32, bias: usize, edge: usize): void {
  let t = c;
  let ld = ldc;
  if (cols < NR) {
    if (init == INIT_C) copyTile(c, ldc, edge, NR, rows, cols, true);
    t = edge;
    ld = NR;
  }
  const s = <usize>ld << 2;
  const t1 = t + s;
  const t2 = t1 + s;
  const t3 = t2 + s;
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  if (init == INIT_C) {
    c00 = v128.load(t); c01 = v128.load(t, 16);
    if (rows > 1) { c10 = v128.load(t1); c11 = v128.load(t1, 16); }
    if (rows > 2) { c20 = v128.load(t2); c21 = v128.load(t2, 16); }
    if (rows > 3) { c30 = v128.load(t3); c31 = v128.load(t3, 16); }
  } else if (init == INIT_BIAS) {
    c00 = v128.load32_splat(bias); c01 = c00;
    c10 = v128.load32_splat(bias, 4); c11 = c10;
    c20 = v128.load32_splat(bias, 8); c21 = c20;
    c30 = v128.load32_splat(bias, 12); c31 = c30;
  }
  if (cols <= 4) {
    // A right-edge tile of at most 4 columns: half the work, on the first vector of each B row.
    for (let p = 0; p < kc; p++) {
      const b0 = v128.load(offsets == 0 ? b + (<usize>p << 5) : b + <usize>load<u32>(offsets + (<usize>p << 2)));
      c00 = madd(c00, v128.load32_splat(a), b0);
      c10 = madd(c10, v128.load32_splat(a, 4), b0);
      c20 = madd(c20, v128.load32_splat(a, 8), b0);
      c30 = madd(c30, v128.load32_splat(a, 12), b0);
      a += 16;
    }
  } else if (rows <= 2) {
    // A bottom-edge tile of at most 2 rows (e.g. 6 output channels = 4 + 2): half the work.
    for (let p = 0; p < kc; p++) {
      const row = offsets == 0 ? b + (<usize>p << 5) : b + <usize>load<u32>(offsets + (<usize>p << 2));
      const b0 = v128.load(row);
      const b1 = v128.load(row, 16);
      let x = v128.load32_splat(a);
      c00 = madd(c00, x, b0); c01 = madd(c01, x, b1);
      x = v128.load32_splat(a, 4);
      c10 = madd(c10, x, b0); c11 = madd(c11, x, b1);
      a += 16;
    }
  } else if (offsets == 0) {
    for (let p = 0; p < kc; p++) {
      const b0 = v128.load(b);
      const b1 = v128.load(b, 16);
      let x = v128.load32_splat(a);
      c00 = madd(c00, x, b0); c01 = madd(c01, x, b1);
      x = v128.load32_splat(a, 4);
      c10 = madd(c10, x, b0); c11 = madd(c11, x, b1);
      x = v128.load32_splat(a, 8);
      c20 = madd(c20, x, b0); c21 = madd(c21, x, b1);
      x = v128.load32_splat(a, 12);
      c30 = madd(c30, x, b0); c31 = madd(c31, x, b1);
      a += 16;
      b += 32;
    }
  } else {
    for (let p = 0; p < kc; p++) {
      const row = b + <usize>load<u32>(offsets);
      const b0 = v128.load(row);
      const b1 = v128.load(row, 16);
      let x = v128.load32_splat(a);
      c00 = madd(c00, x, b0); c01 = madd(c01, x, b1);
      x = v128.load32_splat(a, 4);
      c10 = madd(c10, x, b0); c11 = madd(c11, x, b1);
      x = v128.load32_splat(a, 8);
      c20 = madd(c20, x, b0); c21 = madd(c21, x, b1);
      x = v128.load32_splat(a, 12);
      c30 = madd(c30, x, b0); c31 = madd(c31, x, b1);
      a += 16;
      offsets += 4;
    }
  }
  v128.store(t, c00); v128.store(t, c01, 16);
  if (rows > 1) { v128.store(t1, c10); v128.store(t1, c11, 16); }
  if (rows > 2) { v128.store(t2, c20); v128.store(t2, c21, 16); }
  if (rows > 3) { v128.store(t3, c30); v128.store(t3, c31, 16); }
  if (cols < NR) copyTile(edge, NR, c, ldc, rows, cols, false);
}

// Copies the rows×cols corner between C and the edge buffer (cols < 8: a few scalar moves beat
// memory.copy's call); into the buffer, the rest is zeroed first.
function copyTile(src: usize, lds: i32, dst: usize, ldd: i32, rows: i32, cols: i32, zeroRest: bool): void {
  if (zeroRest) {
    for (let i = 0; i < MR * NR; i += 4) v128.store(dst + (<usize>i << 2), f32x4.splat(0));
  }
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>(r * lds) << 2);
    const d = dst + (<usize>(r * ldd) << 2);
    for (let c = 0; c < cols; c++) store<f32>(d + (<usize>c << 2), load<f32>(s + (<usize>c << 2)));
  }
}

/**
 * One block of a product: `C[0..m)[0..nc) (init)+= A·B` for a reduction block of `kc` steps.
 * A is packed in row panels of 4 (`[kc][4]` each, panel i at `a + i·aStep` bytes), B in column
 * panels of 8 (`[kc][8]` each, consecutive from `b`). Each B panel stays in L1 while every row
 * panel of A passes over it. `bias` (for INIT_BIAS) holds one float per row of C.
 */
export function multiplyBlock(m: i32, kc: i32, a: usize, aStep: usize, b: usize, nc: i32, c: usize, ldc: i32, init: i32, bias: usize, edge: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const bp = b + (<usize>(j * kc) << 2);
    const cols = min(NR, nc - j);
    for (let i = 0, ap = a; i < m; i += MR, ap += aStep) {
      tile(kc, ap, bp, 0, c + (<usize>(i * ldc + j) << 2), ldc, min(MR, m - i), cols, init, bias + (<usize>i << 2), edge);
    }
  }
}
