// Element-wise losses: the loss of each element from input x and target t, and its gradients.

/** A function of one element: input value, target value, element index. */
export type ElementRule = (x: number, t: number, i: number) => number;

/** `loss[i] = value(x[i], t[i], i)`, in float64. */
export function pointwiseLossForward(x: Float32Array, t: Float32Array, value: ElementRule): Float64Array {
  const losses = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) losses[i] = value(x[i]!, t[i]!, i);
  return losses;
}

/** `g[i] = upstream(i) · derivative(x[i], t[i], i)`: the gradient of one operand. */
export function pointwiseLossBackward(
  x: Float32Array, t: Float32Array, upstream: (i: number) => number, derivative: ElementRule,
): Float32Array {
  const g = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) g[i] = upstream(i) * derivative(x[i]!, t[i]!, i);
  return g;
}

/** `Σ_i values[i]` in float64, in index order (the 'sum' and 'mean' reductions of a loss). */
export function lossSum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}
