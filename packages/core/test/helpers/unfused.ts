import { noGrad, type Module, type Tensor } from '../../src/index.js';

/** Runs `model` under noGrad with a no-op hook on every layer, so that nothing is fused, and returns its output's values. */
export function unfused(model: Module, x: Tensor): Float32Array {
  const handles = model.namedModules().map(([, m]) => m.registerForwardHook(() => undefined));
  try {
    return noGrad(() => model.call(x)).data;
  } finally {
    for (const h of handles) h.remove();
  }
}
