import { LeakyReLU, ReLU, Sigmoid, Tanh } from '../nn/activation.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import { inference } from '../train/eval-mode.js';
import type { FollowingActivation, SourceLayer } from './explain-unit.js';

/** One module call seen by the forward hooks. */
export interface LayerCall {
  readonly name: string;
  readonly module: Module;
  readonly input: Tensor;
  readonly output: Tensor;
}

/** Every module call of one forward pass (children before their containers). */
export function traceCalls(model: Module, x: Tensor): LayerCall[] {
  const calls: LayerCall[] = [];
  const handles = model.namedModules().filter(([name]) => name !== '')
    .map(([name, module]) => module.registerForwardHook((_m, input, output) => calls.push({ name, module, input, output })));
  try {
    inference(model, () => model.call(x));
  } finally {
    for (const h of handles) h.remove();
  }
  return calls;
}

const isLeaf = (call: LayerCall): boolean => call.module.namedChildren().length === 0;

/** The call that produced `call`'s input (a leaf module where one did), or null for the model input. */
export function producerOf(calls: readonly LayerCall[], at: number): LayerCall | null {
  const producers = calls.slice(0, at).filter((c) => c.output === calls[at]!.input);
  return producers.find(isLeaf) ?? producers[producers.length - 1] ?? null;
}

export function sourceOf(producer: LayerCall | null, input: Tensor): SourceLayer {
  return { layer: producer?.name ?? null, type: producer?.module.typeName ?? null, shape: input.shape.slice(1) };
}

const ACTIVATIONS = [ReLU, LeakyReLU, Sigmoid, Tanh];

/** The activation module applied right to `call`'s output, if any, and its value at flat index `k`. */
export function activationAfter(calls: readonly LayerCall[], at: number, k: number): FollowingActivation | null {
  const next = calls.slice(at + 1).find((c) => c.input === calls[at]!.output && ACTIVATIONS.some((A) => c.module instanceof A));
  return next === undefined ? null : { layer: next.name, type: next.module.typeName, value: next.output.data[k]! };
}

