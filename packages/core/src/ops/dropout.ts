import { fail } from '../errors.js';
import { recordOp } from '../autograd.js';
import { defaultGenerator, type Generator } from '../random.js';
import { multiplyForward } from '../kernels/dispatch.js';
import { Tensor } from '../tensor.js';

/**
 * Inverted dropout. In training each element is kept with probability `1 − p` and scaled by
 * `1/(1 − p)` (so the expected value is unchanged) or zeroed; in eval mode, and for `p = 0`, it
 * returns `x` itself. `p = 1` zeroes everything. The mask takes one uniform draw per element from
 * `generator` (default: the seeded default generator, see `manualSeed`); element `i` is kept when
 * its draw `u ≥ p`. Backward: `dx = dy · mask / (1 − p)`.
 * @example dropout(x, 0.5, model.training)
 */
export function dropout(x: Tensor, p: number, training: boolean, generator: Generator = defaultGenerator()): Tensor {
  if (!(p >= 0 && p <= 1)) fail('dropout', `p must be a probability in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  const input = x.data;
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const factor = new Float32Array(input.length);
  if (p < 1) for (let i = 0; i < factor.length; i++) factor[i] = generator.uniform() >= p ? scale : 0;
  const y = new Float32Array(input.length);
  multiplyForward(input, factor, y);
  return recordOp(new Tensor(y, x.shape), 'dropout', [x], (g) => {
    const gx = new Float32Array(g.length);
    multiplyForward(g, factor, gx);
    return [gx];
  });
}
