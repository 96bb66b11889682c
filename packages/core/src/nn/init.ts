import { defaultGenerator, type Generator } from '../random.js';

/** Fills `values` uniformly from [−bound, bound). */
export function uniformInit(values: Float32Array, bound: number, generator: Generator = defaultGenerator()): void {
  for (let i = 0; i < values.length; i++) values[i] = generator.uniformRange(-bound, bound);
}

/**
 * PyTorch's default for conv and linear weights, `kaiming_uniform_(w, a=√5)`: uniform with
 * bound `gain·√(3/fanIn)`, `gain = √(2/(1+a²))`, which simplifies to `1/√fanIn`.
 */
export function kaimingUniformInit(values: Float32Array, fanIn: number, generator?: Generator): void {
  const a = Math.sqrt(5);
  const gain = Math.sqrt(2 / (1 + a * a));
  uniformInit(values, gain * Math.sqrt(3 / fanIn), generator);
}

/** PyTorch's default bias init for conv and linear: uniform with bound `1/√fanIn`. */
export function biasInit(values: Float32Array, fanIn: number, generator?: Generator): void {
  uniformInit(values, fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0, generator);
}
