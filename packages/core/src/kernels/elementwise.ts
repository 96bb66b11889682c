// Element-wise reference kernels: the activations' (every output element from the input element at
// the same index) and the tensor algebra's loops (ops/binary.ts, ops/unary.ts, ops/compare.ts,
// ops/where.ts), whose broadcast operands are read through index maps (shape/broadcast.ts:
// broadcastIndex); a null map means the operand already has the output's shape.

/** `y = σ(x) = 1 / (1 + e^−x)`, via `e^−|x|` so that large `|x|` saturates to 0 or 1 without overflow. */
export function sigmoidForward(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) {
    const v = x[i]!;
    const e = Math.exp(-Math.abs(v));
    y[i] = v >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
}

/** `dx = dy · y · (1 − y)` from the sigmoid's output `y`. */
export function sigmoidBackward(y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = dy[i]! * y[i]! * (1 - y[i]!);
}

/** `y = tanh(x)`. */
export function tanhForward(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = Math.tanh(x[i]!);
}

/** `dx = dy · (1 − y²)` from tanh's output `y`. */
export function tanhBackward(y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = dy[i]! * (1 - y[i]! * y[i]!);
}

/** `y = x` where `x > 0`, `slope · x` elsewhere. */
export function leakyReluForward(x: Float32Array, y: Float32Array, slope: number): void {
  for (let i = 0; i < y.length; i++) y[i] = x[i]! > 0 ? x[i]! : slope * x[i]!;
}

/** `dx = dy` where `x > 0`, `slope · dy` elsewhere. */
export function leakyReluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, slope: number): void {
  for (let i = 0; i < dx.length; i++) dx[i] = x[i]! > 0 ? dy[i]! : slope * dy[i]!;
}

/** `out = a · b`. */
export function multiplyForward(a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! * b[i]!;
}

/** `y[i] = f(x[i])`. */
export function mapUnary(x: Float32Array, f: (v: number) => number): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = f(x[i]!);
  return y;
}

/** `z[i] = f(a[ia[i]], b[ib[i]])` over `n` output positions. */
export function mapBinary(
  n: number,
  a: Float32Array,
  ia: Int32Array | null,
  b: Float32Array,
  ib: Int32Array | null,
  f: (x: number, y: number) => number,
): Float32Array {
  const z = new Float32Array(n);
  if (ia === null && ib === null) for (let i = 0; i < n; i++) z[i] = f(a[i]!, b[i]!);
  else for (let i = 0; i < n; i++) z[i] = f(a[ia === null ? i : ia[i]!]!, b[ib === null ? i : ib[i]!]!);
  return z;
}

/** `out[index[i]] += v[i]`, accumulated in float64: sums each output slot's inputs (reductions, broadcast gradients). */
export function scatterSum(v: ArrayLike<number>, index: Int32Array | null, size: number): Float32Array {
  if (index === null) return Float32Array.from(v);
  const acc = new Float64Array(size);
  for (let i = 0; i < v.length; i++) acc[index[i]!] += v[i]!;
  return Float32Array.from(acc);
}

/** `out[i] = v[index[i]]`: spreads per-slot values back over the positions that share a slot. */
export function gather(v: Float32Array, index: Int32Array): Float32Array {
  const out = new Float32Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = v[index[i]!]!;
  return out;
}

/**
 * `erfc(z)` with a relative error below 1.2·10⁻⁷ everywhere (the Chebyshev fit of Numerical
 * Recipes' `erfcc`), so that `Φ(x)` stays accurate in the far negative tail.
 */
function erfc(z: number): number {
  const a = Math.abs(z);
  const t = 1 / (1 + 0.5 * a);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-a * a + poly);
  return z >= 0 ? r : 2 - r;
}

/** `√(2/π)` and the cubic coefficient of GELU's tanh form. */
const TANH_SCALE = Math.sqrt(2 / Math.PI);
const TANH_CUBIC = 0.044715;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** `y = x·Φ(x)` with `Φ(x) = erfc(−x/√2)/2`, or with `tanhForm` `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`. */
export function geluForward(x: Float32Array, y: Float32Array, tanhForm: boolean): void {
  for (let i = 0; i < y.length; i++) {
    const v = x[i]!;
    y[i] = tanhForm
      ? 0.5 * v * (1 + Math.tanh(TANH_SCALE * (v + TANH_CUBIC * v * v * v)))
      : 0.5 * v * erfc(-v * Math.SQRT1_2);
  }
}

/** `dx = dy·(Φ(x) + x·φ(x))` (φ the standard normal density), or the derivative of the tanh form. */
export function geluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, tanhForm: boolean): void {
  for (let i = 0; i < dx.length; i++) {
    const v = x[i]!;
    let slope: number;
    if (tanhForm) {
      const t = Math.tanh(TANH_SCALE * (v + TANH_CUBIC * v * v * v));
      slope = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * TANH_SCALE * (1 + 3 * TANH_CUBIC * v * v);
    } else {
      slope = 0.5 * erfc(-v * Math.SQRT1_2) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
    }
    dx[i] = dy[i]! * slope;
  }
}
