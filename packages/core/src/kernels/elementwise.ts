// Element-wise loops of the tensor algebra ops (ops/binary.ts, ops/unary.ts, ops/compare.ts,
// ops/where.ts). Broadcast operands are read through index maps (shape/broadcast.ts:
// broadcastIndex); a null map means the operand already has the output's shape.

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
