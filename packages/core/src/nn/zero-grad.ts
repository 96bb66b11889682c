import { checkOptions, opt } from '../options.js';
import type { Parameter } from './parameter.js';

/** Options of `zeroGrad`, PyTorch's `zero_grad(set_to_none=…)`. */
export interface ZeroGradOptions {
  /** Set `.grad` to null (default true); false fills it with zeros in place and keeps its buffer. */
  readonly setToNone?: boolean;
}

/** Clears the gradients of `params` as {@link ZeroGradOptions} says; `where` names the caller in errors. */
export function zeroGradients(params: Iterable<Parameter>, options: ZeroGradOptions, where: string): void {
  const setToNone = checkOptions(where, options, { setToNone: opt.boolean }).setToNone ?? true;
  for (const p of params) {
    const grad = p.peekGrad();
    if (setToNone) p.grad = null;
    else if (grad !== null) {
      grad.readValues().fill(0);
      grad.markModified();
    }
  }
}
