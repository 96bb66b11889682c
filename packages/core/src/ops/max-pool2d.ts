import type { Pool2dOptions } from '../shape/pool-geometry.js';
import type { Tensor } from '../tensor.js';

/** TODO(helper) */
export function maxPool2d(x: Tensor, options: Pool2dOptions, where = 'maxPool2d'): Tensor {
  void x; void options;
  throw new Error(`${where}: not implemented yet`);
}
