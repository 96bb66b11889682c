// SGD's momentum updates (src/optim/sgd.ts), four parameters at a time, in chunks of SGD_CHUNK.
// The arithmetic is the TypeScript loops' to the bit: float32 values widened to float64, the same
// float64 operations in the same order (WebAssembly never fuses a multiply and an add), rounded to
// float32 where those loops store (the momentum buffer b, then the weight w).

/** Parameters per chunk. */
export const SGD_CHUNK: i32 = 1 << 16;

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** Chunks of {@link sgdMomentumChunk} for n parameters. */
export function sgdChunks(n: i32): i32 {
  return (n + SGD_CHUNK - 1) / SGD_CHUNK;
}

/** Lanes 0–1 (or 2–3 when `high`) of `v` widened to float64. */
@inline function widen(v: v128, high: bool): v128 {
  return f64x2.promote_low_f32x4(high ? i32x4.shuffle(v, v, 2, 3, 0, 1) : v);
}

/**
 * The new weights of two parameters (lanes 0–1, or 2–3 when `high`, of w4 and g4) as float32 in
 * lanes 0–1, given their new momentum `nb` ({@link momentum}): `g' = g + λ·w`, then
 * `w ← f32(w − η·b)`, or with Nesterov `w ← f32(w − η·(g' + μ·b))`.
 */
@inline function weights(w4: v128, g4: v128, high: bool, lr: f64, mu: f64, wd: f64, nesterov: bool, nb: v128): v128 {
  const w = widen(w4, high);
  const g = f64x2.add(widen(g4, high), f64x2.mul(f64x2.splat(wd), w));
  const b = f64x2.promote_low_f32x4(nb);
  const step = nesterov ? f64x2.add(g, f64x2.mul(f64x2.splat(mu), b)) : b;
  return f32x4.demote_f64x2_zero(f64x2.sub(w, f64x2.mul(f64x2.splat(lr), step)));
}

/** The new momentum of two parameters (lanes 0–1, or 2–3 when `high`) as float32 in lanes 0–1: `f32(μ·b + τ'·(g + λ·w))`. */
@inline function momentum(w4: v128, g4: v128, b4: v128, high: bool, mu: f64, wd: f64, damp: f64): v128 {
  const g = f64x2.add(widen(g4, high), f64x2.mul(f64x2.splat(wd), widen(w4, high)));
  return f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(f64x2.splat(mu), widen(b4, high)), f64x2.mul(f64x2.splat(damp), g)));
}

/**
 * `g' = g + λ·w`, `b ← f32(μ·b + τ'·g')`, `w ← f32(w − η·b)` (with `nesterov` ≠ 0:
 * `w ← f32(w − η·(g' + μ·b))`; τ' = 1 − dampening) for the chunk's parameters of [0, n); w, g, b
 * hold n float32 each.
 */
export function sgdMomentumChunk(chunk: i32, thread: i32, w: usize, g: usize, b: usize, n: i32, lr: f64, mu: f64, wd: f64, damp: f64, nesterov: i32): void {
  const i0 = chunk * SGD_CHUNK;
  const i1 = min(n, i0 + SGD_CHUNK);
  const nest = nesterov !== 0;
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const w4 = v128.load(at(w, i)), g4 = v128.load(at(g, i)), b4 = v128.load(at(b, i));
    const bl = momentum(w4, g4, b4, false, mu, wd, damp), bh = momentum(w4, g4, b4, true, mu, wd, damp);
    v128.store(at(b, i), i32x4.shuffle(bl, bh, 0, 1, 4, 5));
    const wl = weights(w4, g4, false, lr, mu, wd, nest, bl), wh = weights(w4, g4, true, lr, mu, wd, nest, bh);
    v128.store(at(w, i), i32x4.shuffle(wl, wh, 0, 1, 4, 5));
  }
  for (; i < i1; i++) {
    const wi = <f64>load<f32>(at(w, i));
    const gi = <f64>load<f32>(at(g, i)) + wd * wi;
    const bi = <f32>(mu * <f64>load<f32>(at(b, i)) + damp * gi);
    store<f32>(at(b, i), bi);
    store<f32>(at(w, i), <f32>(wi - lr * (nest ? gi + mu * <f64>bi : <f64>bi)));
  }
}
