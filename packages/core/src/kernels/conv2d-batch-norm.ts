import type { Conv2dGeometry } from '../shape/conv-geometry.js';
import { batchNormForward, type BatchNormForwardArgs } from './batch-norm2d.js';
import { conv2dForward } from './im2col.js';

/** The convolution of a fused conv → batch norm (→ ReLU); the batch norm's `y` is the block's output. */
export interface Conv2dCall {
  readonly x: Float32Array;
  readonly weight: Float32Array;
  readonly bias: Float32Array | null;
  readonly geometry: Conv2dGeometry;
}

/**
 * `y = batchNorm(conv2d(x, weight) + bias)` (rectified when `norm.relu`) with the reference
 * kernels, one after another: what the fused WebAssembly block must equal. The conv's output is
 * written into `norm.y` and normalized there.
 */
export function conv2dBatchNormForward(conv: Conv2dCall, norm: BatchNormForwardArgs): void {
  conv2dForward(conv.x, conv.weight, conv.bias, conv.geometry, norm.y);
  batchNormForward(norm.y, norm);
}
