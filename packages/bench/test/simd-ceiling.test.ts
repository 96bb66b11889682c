import { describe, expect, it } from 'vitest';
import { compileCeiling } from '../src/simd-ceiling.js';

interface Spin {
  spin(iterations: number, seed: number): number;
  readonly FLOPS_PER_ITERATION: { readonly value: number };
}

/** The loop's value computed in float32 by hand: 12 equal chains of c ← c·0.999 + seed, summed as the kernel sums them. */
function expected(iterations: number, seed: number): number {
  const f = Math.fround;
  const a = f(seed);
  const b = f(0.999);
  let c = a;
  for (let i = 0; i < iterations; i++) c = f(f(c * b) + a);
  // Each lane: ((c0+c1)+(c2+c3)) + (((c4+c5)+(c6+c7)) + ((c8+c9)+(c10+c11))), all chains equal.
  const pair = f(c + c);
  const four = f(pair + pair);
  const lane = f(four + f(f(four) + f(four)));
  return f(f(f(lane + lane) + lane) + lane);
}

describe('the SIMD ceiling loop', () => {
  it('computes exactly its recurrence, 96 floating-point operations per iteration (12 chains × 4 lanes × 2)', async () => {
    const bytes = await compileCeiling(false);
    const { spin, FLOPS_PER_ITERATION } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Spin;
    expect(FLOPS_PER_ITERATION.value).toBe(96);
    expect(spin(0, 1)).toBe(48);
    expect(spin(1, 1)).toBe(expected(1, 1));
    expect(spin(1000, 0.5)).toBe(expected(1000, 0.5));
  });
});
