import { fail, formatShape } from '../errors.js';
import type { Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';

/** `image` as a batch of one, `[1, C, H, W]`; accepts `[C, H, W]` or `[1, C, H, W]`. */
export function batchOfOne(image: Tensor, where: string): Tensor {
  if (image.rank === 3) return new Tensor(image.data, [1, ...image.shape]);
  if (image.rank === 4 && image.shape[0] === 1) return new Tensor(image.data, image.shape);
  return fail(where, `expected one image of shape [C,H,W] or [1,C,H,W], got ${formatShape(image.shape)}`);
}

/** The module named `name` (as in `model.namedModules()`), or an error listing the names. */
export function findModule(model: Module, name: string, where: string): Module {
  const found = model.namedModules().find(([n]) => n === name && n !== '');
  if (found === undefined) {
    const names = model.namedModules().map(([n]) => n).filter((n) => n !== '');
    return fail(where, `the model has no layer '${name}' (layers: ${names.join(', ')})`);
  }
  return found[1];
}

/** Index of the largest value of `row` (the first one on ties, like the accuracy metric). */
export function argMax(row: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
  return best;
}

/**
 * Runs `fn` with the model in evaluation mode and its parameters not requiring gradients, so a
 * backward pass reaches only the tensors `fn` marks; every mode and flag is restored afterwards
 * and the parameters' `.grad` are left untouched.
 */
export function withFrozenModel<T>(model: Module, fn: () => T): T {
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  const params = model.parameters().map((p) => [p, p.requiresGrad] as const);
  model.eval();
  for (const [p] of params) p.requiresGrad = false;
  try {
    return fn();
  } finally {
    for (const [m, training] of modes) m.training = training;
    for (const [p, requiresGrad] of params) p.requiresGrad = requiresGrad;
  }
}

/** The model's scores `[1, K]` for a batch of one, checked. */
export function scoresOf(output: Tensor, where: string): Float32Array {
  if (output.rank !== 2 || output.shape[0] !== 1) fail(where, `expected the model to output class scores [1, K], got ${formatShape(output.shape)}`);
  return output.data;
}

/** The class to explain: `target` when given (checked against K classes), else the arg-max of `scores`. */
export function resolveTarget(scores: Float32Array, target: number | undefined, where: string): number {
  if (target === undefined) return argMax(scores);
  if (!Number.isInteger(target) || target < 0 || target >= scores.length) {
    fail(where, `target must be a class index in [0, ${scores.length - 1}], got ${target}`);
  }
  return target;
}

/** A one-hot gradient `[1, K]` selecting `target`'s score. */
export function oneHot(k: number, target: number): Tensor {
  const g = new Float32Array(k);
  g[target] = 1;
  return new Tensor(g, [1, k]);
}
