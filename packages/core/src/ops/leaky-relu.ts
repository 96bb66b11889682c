import { fail } from '../errors.js';
import { recordOp } from '../autograd.js';
import { Tensor } from '../tensor.js';

/**
 * Leaky ReLU element-wise: `x` where `x > 0`, `negativeSlope · x` elsewhere (default 0.01); any shape.
 * Backward: `dx = dy` where `x > 0`, `negativeSlope · dy` elsewhere (PyTorch's choice at `x = 0`).
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  if (!Number.isFinite(negativeSlope)) fail('leakyRelu', `negativeSlope must be a finite number, got ${negativeSlope}`);
  const input = x.data;
  const y = new Float32Array(input.length);
  for (let i = 0; i < y.length; i++) y[i] = input[i]! > 0 ? input[i]! : negativeSlope * input[i]!;
  return recordOp(new Tensor(y, x.shape), 'leakyRelu', [x], (g) => {
    const gx = new Float32Array(g.length);
    for (let i = 0; i < gx.length; i++) gx[i] = input[i]! > 0 ? g[i]! : negativeSlope * g[i]!;
    return [gx];
  });
}
