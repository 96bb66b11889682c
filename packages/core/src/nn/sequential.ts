import type { Tensor } from '../tensor.js';
import { planSteps, runPlan } from './plan.js';
import { Module } from './module.js';

/**
 * Runs its children in order; they are named `'0'`, `'1'`, … like PyTorch's, so a VGG's first
 * conv weight is `features.0.weight`.
 * @example new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2))
 */
export class Sequential extends Module {
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    layers.forEach((layer, i) => this.addModule(String(i), layer));
  }

  /** Each layer in turn, as planned (fusible runs such as Conv2d → ReLU run as one op: see `explainPlan`). */
  forward(x: Tensor): Tensor {
    return runPlan(planSteps(this.layers), x, (layer, y) => layer.call(y));
  }
}
