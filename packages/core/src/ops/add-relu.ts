import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { addReluForward, reluBackward } from '../kernels/dispatch.js';
import { overwrittenGradientBuffer } from '../gradient-buffers.js';
import { Tensor } from '../tensor.js';

/**
 * `max(a + b, 0)` element-wise in one pass, for a residual connection followed by a ReLU: the same
 * values bit for bit as `relu(add(a, b))` (the float32 sum, then NaN and −0 kept as {@link relu}
 * keeps them) without the intermediate sum. Shapes: a and b the same shape (no broadcasting) → that shape.
 * Backward: `da = db = (y > 0 or NaN) ? dy : 0`, as the two ops give.
 */
export function addRelu(a: Tensor, b: Tensor, where = 'addRelu'): Tensor {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    fail(where, `expected two tensors of the same shape, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const out = new Float32Array(a.size);
  addReluForward(a.readValues(), b.readValues(), out);
  // One gradient for both inputs (the engine copies it for the second), in a recycled buffer.
  return recordOp(new Tensor(out, a.shape), 'addRelu', [a, b], (g) => {
    const masked = overwrittenGradientBuffer(g.length);
    reluBackward(out, g, masked);
    return [masked, masked];
  });
}
