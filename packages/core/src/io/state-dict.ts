import { fail, formatShape } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';

/**
 * A model's state: every parameter and buffer under its PyTorch name (`conv1.weight`,
 * `features.0.bias`, `bn1.running_mean`, …), as detached copies, in registration order.
 * @example stateDict(model).get('0.weight')?.shape // [6, 1, 5, 5]
 */
export function stateDict(model: Module): Map<string, Tensor> {
  const entries = [...model.namedParameters(), ...model.namedBuffers()];
  const meta = entries.find(([, t]) => t.isMeta);
  if (meta !== undefined) fail('stateDict', `'${meta[0]}' has no values (model built without weights)`);
  return new Map(entries.map(([name, t]) => [name, t.clone()]));
}

/**
 * Copies `state` into the model's parameters and buffers in place (optimizers holding them stay
 * valid). Names and shapes must match exactly; otherwise nothing is copied and the error lists
 * every missing name, every unexpected name and every shape mismatch.
 */
export function loadStateDict(model: Module, state: ReadonlyMap<string, Tensor>): void {
  const targets = new Map<string, Tensor>([...model.namedParameters(), ...model.namedBuffers()]);
  const missing = [...targets.keys()].filter((name) => !state.has(name));
  const unexpected = [...state.keys()].filter((name) => !targets.has(name));
  const mismatched: string[] = [];
  for (const [name, target] of targets) {
    const source = state.get(name);
    if (source !== undefined && source.shape.join() !== target.shape.join()) {
      mismatched.push(`${name}: model has ${formatShape(target.shape)}, state has ${formatShape(source.shape)}`);
    }
  }
  if (missing.length + unexpected.length + mismatched.length > 0) {
    const lines = [
      ...(missing.length > 0 ? [`missing (${missing.length}): ${missing.join(', ')}`] : []),
      ...(unexpected.length > 0 ? [`unexpected (${unexpected.length}): ${unexpected.join(', ')}`] : []),
      ...(mismatched.length > 0 ? [`shape mismatch (${mismatched.length}): ${mismatched.join('; ')}`] : []),
    ];
    fail(`loadStateDict(${model.typeName})`, `the state does not fit the model:\n  ${lines.join('\n  ')}`);
  }
  const meta = [...targets].find(([, t]) => t.isMeta);
  if (meta !== undefined) fail(`loadStateDict(${model.typeName})`, `'${meta[0]}' has no values (model built without weights)`);
  for (const [name, target] of targets) target.writeValues().set(state.get(name)!.data);
}
