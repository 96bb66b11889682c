/**
 * Single-precision GEMM on row-major matrices: `C = A'·B' + (accumulate ? C : 0)`,
 * where `A'` is `A` (M×K) or, with `transA`, `Aᵀ` for `A` stored K×M; likewise `B'` (K×N).
 * Offsets let callers address a sub-matrix of a larger buffer (one image of a batch, one group).
 */
export interface GemmArgs {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: Float32Array;
  readonly aOffset?: number;
  readonly transA?: boolean;
  readonly b: Float32Array;
  readonly bOffset?: number;
  readonly transB?: boolean;
  readonly c: Float32Array;
  readonly cOffset?: number;
  readonly accumulate?: boolean;
  /**
   * The {@link Tensor.version} of the tensor whose values `b` holds (all of them, from offset 0):
   * lets the WebAssembly backend keep B in its memory between calls while it stays the same (a
   * Linear layer's weight). The reference ignores it.
   */
  readonly bVersion?: number;
}

export function gemm(args: GemmArgs): void {
  const { m, n, k, a, b, c } = args;
  const co = args.cOffset ?? 0;
  if (!args.accumulate) c.fill(0, co, co + m * n);
  // Element (i, p) of A' sits at a[ao + i·si + p·sp], element (p, j) of B' at b[bo + p·tp + j·tj].
  const si = args.transA ? 1 : k;
  const sp = args.transA ? m : 1;
  const tp = args.transB ? 1 : n;
  const tj = args.transB ? k : 1;
  const ao = args.aOffset ?? 0;
  const bo = args.bOffset ?? 0;
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    for (let j = 0; j < n4; j += 4) tile4x4(k, a, ao + i * si, si, sp, b, bo + j * tj, tp, tj, c, co + i * n + j, n);
    for (let r = i; r < i + 4; r++) for (let j = n4; j < n; j++) c[co + r * n + j] += dot(k, a, ao + r * si, sp, b, bo + j * tj, tp);
  }
  for (let i = m4; i < m; i++) {
    const ai = ao + i * si;
    const ci = co + i * n;
    if (tj === 1) {
      // Row of C += A'(i, p) · row p of B: contiguous sweeps (a long dot down a column of B would miss the cache).
      for (let p = 0; p < k; p++) {
        const x = a[ai + p * sp]!;
        const bp = bo + p * tp - ci;
        for (let q = ci; q < ci + n; q++) c[q] += x * b[bp + q]!;
      }
    } else {
      for (let j = 0; j < n; j++) c[ci + j] += dot(k, a, ai, sp, b, bo + j * tj, tp);
    }
  }
}

/** `Σ_p a[pa + p·sp] · b[pb + p·tp]`. */
function dot(k: number, a: Float32Array, pa: number, sp: number, b: Float32Array, pb: number, tp: number): number {
  let s = 0;
  for (let p = 0; p < k; p++, pa += sp, pb += tp) s += a[pa]! * b[pb]!;
  return s;
}

/**
 * C[0..4)[0..4) += A'[0..4)·B'[..][0..4) with the 16 sums held in locals: per step of p, 4 + 4 loads
 * feed 16 multiply-adds, where a row-by-row update would reload and store C every time.
 */
function tile4x4(k: number, a: Float32Array, pa: number, si: number, sp: number, b: Float32Array, pb: number, tp: number, tj: number, c: Float32Array, q: number, n: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < k; p++, pa += sp, pb += tp) {
    const y0 = b[pb]!;
    const y1 = b[pb + tj]!;
    const y2 = b[pb + 2 * tj]!;
    const y3 = b[pb + 3 * tj]!;
    let x = a[pa]!;
    c00 += x * y0; c01 += x * y1; c02 += x * y2; c03 += x * y3;
    x = a[pa + si]!;
    c10 += x * y0; c11 += x * y1; c12 += x * y2; c13 += x * y3;
    x = a[pa + 2 * si]!;
    c20 += x * y0; c21 += x * y1; c22 += x * y2; c23 += x * y3;
    x = a[pa + 3 * si]!;
    c30 += x * y0; c31 += x * y1; c32 += x * y2; c33 += x * y3;
  }
  c[q] += c00; c[q + 1] += c01; c[q + 2] += c02; c[q + 3] += c03;
  q += n;
  c[q] += c10; c[q + 1] += c11; c[q + 2] += c12; c[q + 3] += c13;
  q += n;
  c[q] += c20; c[q + 1] += c21; c[q + 2] += c22; c[q + 3] += c23;
  q += n;
  c[q] += c30; c[q + 1] += c31; c[q + 2] += c32; c[q + 3] += c33;
}
