import type { Conv2dOptions } from '../shape/conv-geometry.js';
import type { Tensor } from '../tensor.js';

/** 2-D cross-correlation (PyTorch's conv2d). TODO(helper): implement forward + backward. */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions = {}, where = 'conv2d'): Tensor {
  void x; void weight; void bias; void options;
  throw new Error(`${where}: not implemented yet`);
}
