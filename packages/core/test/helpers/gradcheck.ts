import { Generator, Tensor } from '../../src/index.js';

/** Options for {@link gradCheck}. */
export interface GradCheckOptions {
  /** Central-difference step. Default 1e-2 (float32 ops need a fairly large step). */
  eps?: number;
  /** At most this many elements per input are probed (chosen at random). Default 64. */
  maxProbes?: number;
  seed?: number;
}

/**
 * Compares the analytic gradient of `Σ fn(inputs) ⊙ R` (R a fixed random tensor, so every output
 * matters) with central finite differences computed in float64 from float32 evaluations.
 * Returns the worst error relative to max(1, |numeric|).
 */
export function gradCheck(fn: (inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradCheckOptions = {}): number {
  const eps = options.eps ?? 1e-2;
  const rng = new Generator(options.seed ?? 7);
  const leaves = inputs.map((t) => new Tensor(t.data.slice(), t.shape, true));
  const out = fn(leaves);
  const weights = Float64Array.from({ length: out.size }, () => rng.uniformRange(-1, 1));
  const objective = (y: Tensor): number => {
    let s = 0;
    for (let i = 0; i < y.size; i++) s += y.data[i]! * weights[i]!;
    return s;
  };
  out.backward(new Tensor(Float32Array.from(weights), out.shape));
  let worst = 0;
  leaves.forEach((leaf, k) => {
    const analytic = leaf.grad?.data ?? new Float32Array(leaf.size);
    const probes = leaf.size <= (options.maxProbes ?? 64) ? [...Array(leaf.size).keys()] : Array.from({ length: options.maxProbes ?? 64 }, () => rng.int(leaf.size));
    for (const i of probes) {
      const at = (delta: number): number => {
        const copies = leaves.map((t) => new Tensor(t.data.slice(), t.shape));
        copies[k]!.data[i]! += delta;
        return objective(fn(copies));
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - analytic[i]!) / Math.max(1, Math.abs(numeric)));
    }
  });
  return worst;
}
