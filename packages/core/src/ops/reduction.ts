import { Tensor, type Shape } from '../tensor.js';
import { lossSum } from '../kernels/dispatch.js';
import { opt } from '../options.js';

/**
 * How a loss combines its per-element values, PyTorch's `reduction`: `'none'` keeps them (the
 * output has the per-element shape), `'mean'` (default) divides their sum by a count (or, for
 * class-weighted losses, by the total weight), `'sum'` adds them up (a scalar `[]`).
 */
export type Reduction = 'none' | 'mean' | 'sum';

/** The option type of `reduction`, for {@link checkOptions}. */
export const reductionOption = opt.oneOf('none', 'mean', 'sum');

/**
 * Applies `reduction` to per-element losses `values` (shape `shape`), dividing by `denominator`
 * for `'mean'`. Returns the output tensor and `upstream(g, i)`: the gradient reaching element i
 * from the output's gradient `g` (`g[i]`, `g[0]/denominator` or `g[0]`).
 */
export function reduceLoss(
  values: Float64Array,
  shape: Shape,
  reduction: Reduction,
  denominator: number,
): { readonly output: Tensor; readonly upstream: (g: Float32Array, i: number) => number } {
  if (reduction === 'none') return { output: new Tensor(Float32Array.from(values), shape), upstream: (g, i) => g[i]! };
  const total = lossSum(values);
  const scale = reduction === 'mean' ? 1 / denominator : 1;
  return { output: new Tensor(Float32Array.of(total * scale), []), upstream: (g) => g[0]! * scale };
}
