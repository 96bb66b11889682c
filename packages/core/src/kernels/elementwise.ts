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
