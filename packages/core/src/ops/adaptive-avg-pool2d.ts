import type { IntPair } from '../shape/pair.js';
import type { Tensor } from '../tensor.js';

/** TODO(helper) */
export function adaptiveAvgPool2d(x: Tensor, outputSize: IntPair, where = 'adaptiveAvgPool2d'): Tensor {
  void x; void outputSize;
  throw new Error(`${where}: not implemented yet`);
}
