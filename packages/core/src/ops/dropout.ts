import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';

/** TODO(helper) inverted dropout; identity when !training */
export function dropout(x: Tensor, p: number, training: boolean, generator?: Generator): Tensor {
  void x; void p; void training; void generator;
  throw new Error('dropout: not implemented yet');
}
