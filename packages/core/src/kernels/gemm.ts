/**
 * Reference single-precision GEMM on row-major matrices: `C = A'·B' + (accumulate ? C : 0)`,
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
}

export function gemm(args: GemmArgs): void {
  const { m, n, k, a, b, c } = args;
  const ao = args.aOffset ?? 0;
  const bo = args.bOffset ?? 0;
  const co = args.cOffset ?? 0;
  if (!args.accumulate) c.fill(0, co, co + m * n);
  if (!args.transA && !args.transB) {
    for (let i = 0; i < m; i++) {
      const ci = co + i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[ao + i * k + p]!;
        if (aip === 0) continue;
        const bp = bo + p * n;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j]!;
      }
    }
  } else if (!args.transA && args.transB) {
    for (let i = 0; i < m; i++) {
      const ai = ao + i * k;
      for (let j = 0; j < n; j++) {
        const bj = bo + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        c[co + i * n + j] += s;
      }
    }
  } else if (args.transA && !args.transB) {
    for (let p = 0; p < k; p++) {
      const ap = ao + p * m;
      const bp = bo + p * n;
      for (let i = 0; i < m; i++) {
        const api = a[ap + i]!;
        if (api === 0) continue;
        const ci = co + i * n;
        for (let j = 0; j < n; j++) c[ci + j] += api * b[bp + j]!;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ao + p * m + i]! * b[bo + j * k + p]!;
        c[co + i * n + j] += s;
      }
    }
  }
}
