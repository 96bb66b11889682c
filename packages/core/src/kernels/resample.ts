// Separable resampling of `planes` planes H×W to oh×ow (interpolate): output (i, j) mixes input rows
// r0, r1 and columns c0, c1 with weights (1 − λ_y, λ_y) and (1 − λ_x, λ_x).

/** Output index → (i0, i1, λ) along one axis: the value is `(1 − λ)·x[i0] + λ·x[i1]`. */
export interface AxisWeights {
  readonly i0: Int32Array;
  readonly i1: Int32Array;
  readonly lambda: Float64Array;
}

/** The input plane's `[h, w]`, and the sampling along rows and columns. */
export interface Resampling {
  readonly planes: number;
  readonly h: number;
  readonly w: number;
  readonly rows: AxisWeights;
  readonly cols: AxisWeights;
}

/**
 * Calls `visit(o, r0, r1, c0, c1, ly, lx)` for every output element `o` (row-major over planes,
 * rows, columns); r0 and r1 are the input offsets of the two rows read, c0 and c1 the columns.
 */
function forEachSample(
  { planes, h, w, rows, cols }: Resampling,
  visit: (o: number, r0: number, r1: number, c0: number, c1: number, ly: number, lx: number) => void,
): void {
  const oh = rows.i0.length;
  const ow = cols.i0.length;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let i = 0; i < oh; i++) {
      const r0 = base + rows.i0[i]! * w;
      const r1 = base + rows.i1[i]! * w;
      const ly = rows.lambda[i]!;
      for (let j = 0; j < ow; j++) visit((p * oh + i) * ow + j, r0, r1, cols.i0[j]!, cols.i1[j]!, ly, cols.lambda[j]!);
    }
  }
}

/** `y = (1 − λ_y)·((1 − λ_x)·x[r0, c0] + λ_x·x[r0, c1]) + λ_y·((1 − λ_x)·x[r1, c0] + λ_x·x[r1, c1])`. */
export function resampleForward(v: Float32Array, r: Resampling): Float32Array {
  const out = new Float32Array(r.planes * r.rows.i0.length * r.cols.i0.length);
  forEachSample(r, (o, r0, r1, c0, c1, ly, lx) => {
    const top = (1 - lx) * v[r0 + c0]! + lx * v[r0 + c1]!;
    const bottom = (1 - lx) * v[r1 + c0]! + lx * v[r1 + c1]!;
    out[o] = (1 - ly) * top + ly * bottom;
  });
  return out;
}

/** Sends each output gradient to the four inputs it mixed, with the same weights. */
export function resampleBackward(g: Float32Array, r: Resampling): Float32Array {
  const gx = new Float32Array(r.planes * r.h * r.w);
  forEachSample(r, (o, r0, r1, c0, c1, ly, lx) => {
    const d = g[o]!;
    if (d === 0) return;
    gx[r0 + c0] += (1 - ly) * (1 - lx) * d;
    gx[r0 + c1] += (1 - ly) * lx * d;
    gx[r1 + c0] += ly * (1 - lx) * d;
    gx[r1 + c1] += ly * lx * d;
  });
  return gx;
}
