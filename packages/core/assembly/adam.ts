// Adam's and AdamW's update (src/optim/adam.ts, without AMSGrad), two parameters per float64 vector,
// in chunks of ADAM_CHUNK. The arithmetic is the TypeScript loop's to the bit: float32 values
// widened to float64, the same float64 operations in the same order (square root and division are
// correctly rounded in both), rounded to float32 where that loop stores (w after the decoupled
// shrink, m, v, then w).

/** Parameters per chunk. */
export const ADAM_CHUNK: i32 = 1 << 16;

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** Chunks of {@link adamChunk} for n parameters. */
export function adamChunks(n: i32): i32 {
  return (n + ADAM_CHUNK - 1) / ADAM_CHUNK;
}

/** Lanes 0–1 (or 2–3 when `high`) of `v` widened to float64. */
@inline function widen(v: v128, high: bool): v128 {
  return f64x2.promote_low_f32x4(high ? i32x4.shuffle(v, v, 2, 3, 0, 1) : v);
}

/**
 * For the chunk's parameters of [0, n): `w ← f32(w·shrink)`, `g' = g + l2·w`,
 * `m ← f32(β1·m + c1·g')`, `v ← f32(β2·v + c2·g'·g')`, `w ← f32(w − (η'·m) / (√v / k + ε))`
 * (c1 = 1 − β1, c2 = 1 − β2, η' the bias-corrected step size, k = √(1 − β2ᵗ); shrink = 1 − η·λ for
 * AdamW's decoupled decay, else 1).
 */
export function adamChunk(
  chunk: i32, thread: i32, w: usize, g: usize, m: usize, v: usize, n: i32,
  shrink: f64, l2: f64, b1: f64, c1: f64, b2: f64, c2: f64, stepSize: f64, k: f64, eps: f64,
): void {
  const i0 = chunk * ADAM_CHUNK;
  const i1 = min(n, i0 + ADAM_CHUNK);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const w4 = v128.load(at(w, i)), g4 = v128.load(at(g, i)), m4 = v128.load(at(m, i)), v4 = v128.load(at(v, i));
    const wl = shrunk(widen(w4, false), shrink), wh = shrunk(widen(w4, true), shrink);
    const gl = f64x2.add(widen(g4, false), f64x2.mul(f64x2.splat(l2), wl));
    const gh = f64x2.add(widen(g4, true), f64x2.mul(f64x2.splat(l2), wh));
    const ml = moment(widen(m4, false), b1, f64x2.mul(f64x2.splat(c1), gl));
    const mh = moment(widen(m4, true), b1, f64x2.mul(f64x2.splat(c1), gh));
    const vl = moment(widen(v4, false), b2, f64x2.mul(f64x2.mul(f64x2.splat(c2), gl), gl));
    const vh = moment(widen(v4, true), b2, f64x2.mul(f64x2.mul(f64x2.splat(c2), gh), gh));
    v128.store(at(m, i), i32x4.shuffle(ml, mh, 0, 1, 4, 5));
    v128.store(at(v, i), i32x4.shuffle(vl, vh, 0, 1, 4, 5));
    v128.store(at(w, i), i32x4.shuffle(stepped(wl, ml, vl, stepSize, k, eps), stepped(wh, mh, vh, stepSize, k, eps), 0, 1, 4, 5));
  }
  for (; i < i1; i++) {
    const wi = <f64><f32>(<f64>load<f32>(at(w, i)) * shrink);
    const gi = <f64>load<f32>(at(g, i)) + l2 * wi;
    const mi = <f32>(b1 * <f64>load<f32>(at(m, i)) + c1 * gi);
    const vi = <f32>(b2 * <f64>load<f32>(at(v, i)) + c2 * gi * gi);
    store<f32>(at(m, i), mi);
    store<f32>(at(v, i), vi);
    store<f32>(at(w, i), <f32>(wi - (stepSize * <f64>mi) / (Math.sqrt(<f64>vi) / k + eps)));
  }
}

/** `f32(w·shrink)` widened again. */
@inline function shrunk(w: v128, shrink: f64): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.mul(w, f64x2.splat(shrink))));
}

/** `f32(β·x + term)` in lanes 0–1. */
@inline function moment(x: v128, beta: f64, term: v128): v128 {
  return f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(f64x2.splat(beta), x), term));
}

/** `f32(w − (η'·m) / (√v / k + ε))` in lanes 0–1, from w widened and m, v as float32 in lanes 0–1. */
@inline function stepped(w: v128, m: v128, v: v128, stepSize: f64, k: f64, eps: f64): v128 {
  const denominator = f64x2.add(f64x2.div(f64x2.sqrt(f64x2.promote_low_f32x4(v)), f64x2.splat(k)), f64x2.splat(eps));
  return f32x4.demote_f64x2_zero(f64x2.sub(w, f64x2.div(f64x2.mul(f64x2.splat(stepSize), f64x2.promote_low_f32x4(m)), denominator)));
}
