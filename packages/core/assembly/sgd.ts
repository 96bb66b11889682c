// SGD's momentum updates (src/optim/sgd.ts), four parameters at a time, in chunks of SGD_CHUNK.
// The arithmetic is the TypeScript loops' to the bit: float32 values widened to float64, the same
// float64 operations in the same order (WebAssembly never fuses a multiply and an add), rounded to
// float32 where those loops store (the momentum buffer b, then the weight w).

/** Parameters per chunk. */
export const SGD_CHUNK: i32 = 1 << 16;

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** Chunks of {@link sgdMomentumChunk} and {@link sgdNesterovChunk} for n parameters. */
export function sgdChunks(n: i32): i32 {
  return (n + SGD_CHUNK - 1) / SGD_CHUNK;
}

/** Lanes 2 and 3 of `v` in lanes 0 and 1 (to widen the upper half). */
@inline function high(v: v128): v128 {
  return i32x4.shuffle(v, v, 2, 3, 0, 1);
}

/** Two float32 halves (lanes 0–1 of each, from demote) as one vector. */
@inline function join(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(lo, hi, 0, 1, 4, 5);
}

/**
 * `b ← f32(μ·b + τ'·(g + λ·w))`, `w ← f32(w − η·b)` (τ' = 1 − dampening) for the chunk's
 * parameters of [0, n); w, g, b hold n float32 each.
 */
export function sgdMomentumChunk(chunk: i32, thread: i32, w: usize, g: usize, b: usize, n: i32, lr: f64, mu: f64, wd: f64, damp: f64): void {
  const i0 = chunk * SGD_CHUNK;
  const i1 = min(n, i0 + SGD_CHUNK);
  const vlr = f64x2.splat(lr), vmu = f64x2.splat(mu), vwd = f64x2.splat(wd), vdamp = f64x2.splat(damp);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const w4 = v128.load(at(w, i)), g4 = v128.load(at(g, i)), b4 = v128.load(at(b, i));
    const wl = f64x2.promote_low_f32x4(w4), wh = f64x2.promote_low_f32x4(high(w4));
    const gl = f64x2.promote_low_f32x4(g4), gh = f64x2.promote_low_f32x4(high(g4));
    const bl = f64x2.promote_low_f32x4(b4), bh = f64x2.promote_low_f32x4(high(b4));
    const nbl = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(vmu, bl), f64x2.mul(vdamp, f64x2.add(gl, f64x2.mul(vwd, wl)))));
    const nbh = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(vmu, bh), f64x2.mul(vdamp, f64x2.add(gh, f64x2.mul(vwd, wh)))));
    const nwl = f32x4.demote_f64x2_zero(f64x2.sub(wl, f64x2.mul(vlr, f64x2.promote_low_f32x4(nbl))));
    const nwh = f32x4.demote_f64x2_zero(f64x2.sub(wh, f64x2.mul(vlr, f64x2.promote_low_f32x4(nbh))));
    v128.store(at(b, i), join(nbl, nbh));
    v128.store(at(w, i), join(nwl, nwh));
  }
  for (; i < i1; i++) {
    const wi = <f64>load<f32>(at(w, i));
    const bi = <f32>(mu * <f64>load<f32>(at(b, i)) + damp * (<f64>load<f32>(at(g, i)) + wd * wi));
    store<f32>(at(b, i), bi);
    store<f32>(at(w, i), <f32>(wi - lr * <f64>bi));
  }
}

/**
 * Nesterov: `g' = g + λ·w`, `b ← f32(μ·b + τ'·g')`, `w ← f32(w − η·(g' + μ·b))` for the chunk's
 * parameters of [0, n).
 */
export function sgdNesterovChunk(chunk: i32, thread: i32, w: usize, g: usize, b: usize, n: i32, lr: f64, mu: f64, wd: f64, damp: f64): void {
  const i0 = chunk * SGD_CHUNK;
  const i1 = min(n, i0 + SGD_CHUNK);
  const vlr = f64x2.splat(lr), vmu = f64x2.splat(mu), vwd = f64x2.splat(wd), vdamp = f64x2.splat(damp);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const w4 = v128.load(at(w, i)), g4 = v128.load(at(g, i)), b4 = v128.load(at(b, i));
    const wl = f64x2.promote_low_f32x4(w4), wh = f64x2.promote_low_f32x4(high(w4));
    const gl = f64x2.add(f64x2.promote_low_f32x4(g4), f64x2.mul(vwd, wl));
    const gh = f64x2.add(f64x2.promote_low_f32x4(high(g4)), f64x2.mul(vwd, wh));
    const bl = f64x2.promote_low_f32x4(b4), bh = f64x2.promote_low_f32x4(high(b4));
    const nbl = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(vmu, bl), f64x2.mul(vdamp, gl)));
    const nbh = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(vmu, bh), f64x2.mul(vdamp, gh)));
    const sl = f64x2.add(gl, f64x2.mul(vmu, f64x2.promote_low_f32x4(nbl)));
    const sh = f64x2.add(gh, f64x2.mul(vmu, f64x2.promote_low_f32x4(nbh)));
    v128.store(at(b, i), join(nbl, nbh));
    v128.store(at(w, i), join(f32x4.demote_f64x2_zero(f64x2.sub(wl, f64x2.mul(vlr, sl))), f32x4.demote_f64x2_zero(f64x2.sub(wh, f64x2.mul(vlr, sh)))));
  }
  for (; i < i1; i++) {
    const wi = <f64>load<f32>(at(w, i));
    const gi = <f64>load<f32>(at(g, i)) + wd * wi;
    const bi = <f32>(mu * <f64>load<f32>(at(b, i)) + damp * gi);
    store<f32>(at(b, i), bi);
    store<f32>(at(w, i), <f32>(wi - lr * (gi + mu * <f64>bi)));
  }
}
