import type { Conv2dGeometry } from '../shape/conv-geometry.js';
import type { Pool2dGeometry } from '../shape/pool-geometry.js';
import { conv2dForward } from './im2col.js';
import { maxPool2dForward } from './max-pool2d.js';
import { reluForward } from './relu.js';

/**
 * `out = maxPool(relu(conv2d(x, weight) + bias))` with the reference kernels, one after another
 * (`relu` false skips the ReLU, `pool` null the pooling): what the fused WebAssembly block must
 * equal. `out` has the pooled shape (the conv's when `pool` is null).
 */
export function conv2dBlockForward(
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array | null,
  conv: Conv2dGeometry,
  relu: boolean,
  pool: Pool2dGeometry | null,
  out: Float32Array,
): void {
  const y = pool === null ? out : new Float32Array(conv.batch * conv.outChannels * conv.outH * conv.outW);
  conv2dForward(x, weight, bias, conv, y);
  if (relu) reluForward(y, y);
  if (pool !== null) out.set(maxPool2dForward(y, pool, false).out);
}
