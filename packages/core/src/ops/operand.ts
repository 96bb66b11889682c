import { Tensor } from '../tensor.js';

/** An operand of the element-wise ops: a tensor, or a number that acts as a 0-D tensor. */
export type Operand = Tensor | number;

/** The tensor an operand stands for (a number becomes a 0-D tensor without gradient). */
export function asTensor(x: Operand): Tensor {
  return typeof x === 'number' ? new Tensor(Float32Array.of(x), []) : x;
}
