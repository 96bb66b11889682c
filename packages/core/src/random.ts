import { mersenne } from 'pure-rand/generator/mersenne';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { fail } from './errors.js';

/**
 * A seeded random number generator (Mersenne Twister MT19937 from pure-rand). The same seed always
 * yields the same sequence, so weights, dropout masks and shuffles are reproducible bit for bit.
 * MT19937's seeding spreads even small seeds over its whole state (xoroshiro128+ seeded with a
 * small integer gave a first draw of ≈1.0 for every seed).
 */
export class Generator {
  private rng: RandomGenerator;
  private spareNormal: number | null = null;

  /** `seed`: an integer in [0, 2³² − 1], MT19937's seed range (larger seeds would alias smaller ones). */
  constructor(readonly seed: number, where = 'Generator') {
    checkSeed(seed, where);
    this.rng = mersenne(seed);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return uniformInt(this.rng, 0, n - 1);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

/** The largest seed: MT19937 is seeded with 32 bits. */
export const MAX_SEED = 2 ** 32 - 1;

/** Throws unless `seed` is an integer in [0, {@link MAX_SEED}]. */
function checkSeed(seed: number, where: string): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) fail(where, `seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
}

let globalGenerator = new Generator(0);

/** Reseeds the default generator used by layer initialization, dropout and data shuffling. */
export function manualSeed(seed: number): Generator {
  globalGenerator = new Generator(seed, 'manualSeed');
  return globalGenerator;
}

/** The default generator (seed 0 until {@link manualSeed} is called). */
export function defaultGenerator(): Generator {
  return globalGenerator;
}
