import { fail, formatShape } from '../errors.js';
import type { Shape, Tensor } from '../tensor.js';

/** The multi-index of row-major position `flat` in `shape`, formatted like a shape: `[2,5]`. */
export function formatIndex(flat: number, shape: Shape): string {
  const index: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(rest % shape[d]!);
    rest = Math.floor(rest / shape[d]!);
  }
  return formatShape(index);
}

/**
 * Throws unless every value of `x` is finite, naming the first NaN or ±Infinity and where it is:
 * a loss must fail loudly rather than return a silent NaN.
 * @example "crossEntropy: expected finite logits, got NaN at [3,1] (logits shape [8,10])"
 */
export function checkFinite(x: Tensor, arg: string, where: string): void {
  const v = x.data;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) fail(where, `expected finite ${arg}, got ${v[i]} at ${formatIndex(i, x.shape)} (${arg} shape ${formatShape(x.shape)})`);
  }
}
