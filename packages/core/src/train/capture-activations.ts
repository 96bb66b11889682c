import type { HookHandle, Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import { inference } from './eval-mode.js';

/**
 * Runs `model` on `input` (evaluation mode, no gradients) and returns the output of every
 * sub-module by its dotted name (`features.0`, `layer1.0.relu`, …), in the order they ran.
 * A module that runs several times in one forward pass (a ReLU reused inside a block) appears
 * once per call, as `name`, `name#2`, … . Forward hooks collect the outputs and are removed
 * afterwards; the model's weights and modes are left as they were.
 * @example captureActivations(lenet, image).get('0')?.shape // [1, 6, 28, 28]: conv1's feature maps
 */
export function captureActivations(model: Module, input: Tensor): Map<string, Tensor> {
  const captured = new Map<string, Tensor>();
  const handles: HookHandle[] = model.namedModules()
    .filter(([name]) => name !== '')
    .map(([name, module]) => module.registerForwardHook((_m, _input, output) => {
      let key = name;
      for (let k = 2; captured.has(key); k++) key = `${name}#${k}`;
      captured.set(key, output);
    }));
  try {
    inference(model, () => model.call(input));
  } finally {
    for (const h of handles) h.remove();
  }
  return captured;
}
