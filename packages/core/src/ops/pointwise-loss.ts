import { recordOp } from '../autograd.js';
import { fail, formatShape } from '../errors.js';
import { pointwiseLossBackward, pointwiseLossForward } from '../kernels/dispatch.js';
import type { Shape, Tensor } from '../tensor.js';
import { checkFinite } from './finite.js';
import { reduceLoss, type Reduction } from './reduction.js';

/** A loss computed element by element from an input value x and a target value t (element i). */
export interface PointwiseRule {
  /** The loss of one element. */
  readonly value: (x: number, t: number, i: number) => number;
  /** ∂loss/∂x. */
  readonly dx: (x: number, t: number, i: number) => number;
  /** ∂loss/∂t. */
  readonly dt: (x: number, t: number, i: number) => number;
}

/** How the loss names its input and target in errors (`prediction`, `target`). */
export interface PointwiseNames {
  readonly input: string;
  readonly target: string;
}

/**
 * Shared frame of the element-wise losses (mse, l1Loss, smoothL1Loss, huberLoss, the binary
 * cross-entropies, klDiv): checks that input and target have one shape (no broadcasting, unlike
 * PyTorch's warning path) and finite values, applies `rule` to each element and reduces
 * ('none': the input's shape; 'mean': divided by `meanDivisor`, default the element count).
 */
export function pointwiseLoss(
  where: string,
  input: Tensor,
  target: Tensor,
  reduction: Reduction,
  rule: PointwiseRule,
  names: PointwiseNames = { input: 'prediction', target: 'target' },
  meanDivisor?: number,
): Tensor {
  if (input.rank !== target.rank || input.shape.some((d, i) => d !== target.shape[i])) {
    fail(where, `expected ${names.target} of shape ${formatShape(input.shape)} (the ${names.input}'s), got ${formatShape(target.shape)}`);
  }
  if (input.size === 0) fail(where, `expected at least one element, got shape ${formatShape(input.shape)}`);
  checkFinite(input, names.input, where);
  checkFinite(target, names.target, where);
  const x = input.data;
  const t = target.data;
  const losses = pointwiseLossForward(x, t, rule.value);
  const { output, upstream } = reduceLoss(losses, input.shape, reduction, meanDivisor ?? x.length);
  return recordOp(output, where, [input, target], (g) => {
    const up = (i: number): number => upstream(g, i);
    const gx = pointwiseLossBackward(x, t, up, rule.dx);
    const gt = target.requiresGrad ? pointwiseLossBackward(x, t, up, rule.dt) : null;
    return [gx, gt];
  });
}

/**
 * For a tensor `w` that broadcasts to `shape` (PyTorch's rules: aligned from the last dimension,
 * sizes equal or 1), the index into `w.data` of every element of `shape`, row-major.
 */
export function broadcastIndex(w: Tensor, shape: Shape, arg: string, where: string): Int32Array {
  const offset = shape.length - w.rank;
  if (offset < 0 || w.shape.some((d, k) => d !== 1 && d !== shape[offset + k])) {
    fail(where, `${arg} of shape ${formatShape(w.shape)} does not broadcast to the input's shape ${formatShape(shape)}`);
  }
  const size = shape.reduce((p, d) => p * d, 1);
  const index = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    let rest = i;
    let wi = 0;
    let stride = 1;
    for (let d = shape.length - 1; d >= offset; d--) {
      const coord = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
      const wd = w.shape[d - offset]!;
      if (wd !== 1) wi += coord * stride;
      stride *= wd;
    }
    index[i] = wi;
  }
  return index;
}
