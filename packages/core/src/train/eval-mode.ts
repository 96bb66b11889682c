import { noGrad } from '../autograd.js';
import type { Module } from '../nn/module.js';

/** Runs `fn` in evaluation mode without recording gradients, then restores every module's mode. */
export function inference<T>(model: Module, fn: () => T): T {
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}
