import { fail } from '../errors.js';
import { recordOp } from '../autograd.js';
import { geluBackward, geluForward } from '../kernels/dispatch.js';
import { Tensor } from '../tensor.js';

/** How {@link gelu} computes the normal CDF: exactly (`'none'`, PyTorch's default) or by its tanh form. */
export type GeluApproximation = 'none' | 'tanh';

/**
 * Gaussian error linear unit (Hendrycks & Gimpel, arXiv 1606.08415), PyTorch's `gelu`, element-wise
 * on any shape: `x·Φ(x)`, Φ the standard normal CDF; with `approximate: 'tanh'`,
 * `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
 * Backward: `dx = dy·(Φ(x) + x·φ(x))`, φ the standard normal density (or the tanh form's derivative).
 * @example gelu(Tensor.from([-1, 0, 1])) // [-0.1587, 0, 0.8413]
 */
export function gelu(x: Tensor, approximate: GeluApproximation = 'none'): Tensor {
  if (approximate !== 'none' && approximate !== 'tanh') fail('gelu', `approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  const tanhForm = approximate === 'tanh';
  const input = x.data;
  const y = new Float32Array(input.length);
  geluForward(input, y, tanhForm);
  return recordOp(new Tensor(y, x.shape), 'gelu', [x], (g) => {
    const gx = new Float32Array(g.length);
    geluBackward(input, g, gx, tanhForm);
    return [gx];
  });
}
