import type { Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';
import { batchOfOne, oneHot, resolveTarget, scoresOf, withFrozenModel } from './model-access.js';
import { checkOptions, opt } from '../options.js';

/** Options of {@link saliency}. */
export interface SaliencyOptions {
  /** Class whose score is explained; default the predicted class (arg-max). */
  readonly target?: number;
}

/** A vanilla-gradient saliency map (Simonyan, Vedaldi & Zisserman 2014). */
export interface Saliency {
  readonly target: number;
  /** The target's logit (the model's raw score, before any softmax). */
  readonly score: number;
  /** `∂score/∂input`, `[C, H, W]`. */
  readonly grad: Tensor;
  /** `max_c |grad[c, y, x]|`, `[H, W]`. */
  readonly map: Tensor;
}

/**
 * How much each input pixel moves the target class's score: the gradient of the score (the
 * logit) with respect to the image, in evaluation mode. The model's parameters, modes and
 * gradients are left as they were.
 * @example saliency(lenet, image).map // [32, 32]
 */
export function saliency(model: Module, image: Tensor, options: SaliencyOptions = {}): Saliency {
  checkOptions('saliency', options, { target: opt.number });
  const where = 'saliency';
  const x = batchOfOne(image, where);
  const [, c, h, w] = x.shape as [number, number, number, number];
  return withFrozenModel(model, () => {
    const input = new Tensor(x.data.slice(), x.shape, true);
    const output = model.call(input);
    const scores = scoresOf(output, where);
    const target = resolveTarget(scores, options.target, where);
    output.backward(oneHot(scores.length, target));
    const grad = input.grad?.data ?? new Float32Array(input.size);
    const map = new Float32Array(h * w);
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < h * w; i++) map[i] = Math.max(map[i]!, Math.abs(grad[ch * h * w + i]!));
    }
    return { target, score: scores[target]!, grad: new Tensor(grad, [c, h, w]), map: new Tensor(map, [h, w]) };
  });
}
