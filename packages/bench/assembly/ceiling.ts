// The arithmetic ceiling of 128-bit WebAssembly SIMD on one thread: a loop of independent f32x4
// multiply-adds with nothing else in it, no memory traffic and enough accumulators to cover the
// instruction's latency. What the benchmark divides each conv path's rate by.

/** Independent accumulators: 12 chains cover a 4-cycle latency on two vector units with room to spare. */
const CHAINS: i32 = 12;

/** Floating-point operations of one iteration of {@link spin}: CHAINS vectors × 4 lanes × (multiply + add). */
export const FLOPS_PER_ITERATION: i32 = CHAINS * 4 * 2;

// `c·b + a`: fused where the host offers relaxed SIMD (as the kernels' tile does), else a multiply
// and an add. The accumulator is the multiplicand, so nothing can be hoisted out of the loop.
@inline function madd(c: v128, b: v128, a: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(c, b, a);
  return f32x4.add(f32x4.mul(c, b), a);
}

/**
 * Runs `iterations` × {@link FLOPS_PER_ITERATION} floating-point operations and returns their sum
 * (so that none is dead code). Every chain tends to `seed / (1 − 0.999)`: no overflow, no subnormals.
 */
export function spin(iterations: i32, seed: f32): f32 {
  const a = f32x4.splat(seed);
  const b = f32x4.splat(0.999);
  let c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
  for (let i = 0; i < iterations; i++) {
    c0 = madd(c0, b, a); c1 = madd(c1, b, a); c2 = madd(c2, b, a); c3 = madd(c3, b, a);
    c4 = madd(c4, b, a); c5 = madd(c5, b, a); c6 = madd(c6, b, a); c7 = madd(c7, b, a);
    c8 = madd(c8, b, a); c9 = madd(c9, b, a); c10 = madd(c10, b, a); c11 = madd(c11, b, a);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)), f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11))));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
