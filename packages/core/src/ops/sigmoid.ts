import { recordOp } from '../autograd.js';
import { Tensor } from '../tensor.js';

/**
 * Logistic sigmoid `σ(x) = 1 / (1 + e^−x)` element-wise; any shape.
 * Backward: `dx = dy · σ(x) · (1 − σ(x))`, from the saved output.
 */
export function sigmoid(x: Tensor): Tensor {
  const input = x.data;
  const y = new Float32Array(input.length);
  for (let i = 0; i < y.length; i++) {
    const v = input[i]!;
    // e^−|v| never overflows, so large |v| saturates cleanly to 0 or 1.
    const e = Math.exp(-Math.abs(v));
    y[i] = v >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
  return recordOp(new Tensor(y, x.shape), 'sigmoid', [x], (g) => {
    const gx = new Float32Array(g.length);
    for (let i = 0; i < gx.length; i++) gx[i] = g[i]! * y[i]! * (1 - y[i]!);
    return [gx];
  });
}
