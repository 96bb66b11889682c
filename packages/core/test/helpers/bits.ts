/** `length` values `sin(i·0.618 + seed)·scale`: the same fixed values every run. */
export const wave = (length: number, seed: number, scale: number): Float32Array =>
  Float32Array.from({ length }, (_, i) => Math.sin(i * 0.618 + seed) * scale);

/** The first index where a and b differ bit for bit (NaN and −0 included), -1 when none (toEqual is slow on 2¹⁷ floats). */
export function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}
