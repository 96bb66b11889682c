/**
 * The shortest decimal that reads back as the same float32, e.g. 0.1f (0.10000000149011612 as a
 * double) → 0.1. Keeps JSON payloads and printed values short without losing float32 precision.
 */
export function shortFloat32(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.fround(x);
  for (let p = 1; p < 9; p++) {
    const y = Number(f.toPrecision(p));
    if (Math.fround(y) === f) return y;
  }
  return Number(f.toPrecision(9));
}
