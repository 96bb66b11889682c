import type { Pool2dOptions } from '../shape/pool-geometry.js';
import type { Tensor } from '../tensor.js';

/** Average pooling options: dilation is not supported (as in PyTorch). */
export interface AvgPool2dOptions extends Omit<Pool2dOptions, 'dilation'> {
  /** Count padded zeros in the divisor. Default true (PyTorch). */
  readonly countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  readonly divisorOverride?: number;
}

/** TODO(helper) */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions, where = 'avgPool2d'): Tensor {
  void x; void options;
  throw new Error(`${where}: not implemented yet`);
}
