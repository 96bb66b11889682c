import type { Conv2dGeometry } from '../shape/conv-geometry.js';
import type { Pool2dGeometry } from '../shape/pool-geometry.js';
import { conv2dForward } from './im2col.js';
import { maxPool2dForward } from './max-pool2d.js';
import { reluForward } from './relu.js';

/** One call of the fused block `out = maxPool(relu(conv2d(x, weight) + bias))`. */
export interface Conv2dBlockArgs {
  readonly x: Float32Array;
  readonly weight: Float32Array;
  readonly bias: Float32Array | null;
  readonly conv: Conv2dGeometry;
  /** Apply the ReLU. */
  readonly relu: boolean;
  /** Pool with this geometry; null for no pooling. */
  readonly pool: Pool2dGeometry | null;
  /** The result, overwritten: the pooled shape (the conv's without pooling). */
  readonly out: Float32Array;
  /**
   * The weight tensor's {@link Tensor.version}, given when the weights get no gradient (they come
   * again unchanged): lets the WebAssembly backend keep the packed weights between calls while it
   * stays the same, and choose its path accordingly (the reference ignores it).
   */
  readonly weightVersion?: number;
}

/**
 * The fused block with the reference kernels, one after another: what the fused WebAssembly
 * block must equal.
 */
export function conv2dBlockForward({ x, weight, bias, conv, relu, pool, out }: Conv2dBlockArgs): void {
  const y = pool === null ? out : new Float32Array(conv.batch * conv.outChannels * conv.outH * conv.outW);
  conv2dForward(x, weight, bias, conv, y);
  if (relu) reluForward(y, y);
  if (pool !== null) out.set(maxPool2dForward(y, pool, false).out);
}
