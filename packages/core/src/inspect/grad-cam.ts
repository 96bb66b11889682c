import { fail, formatShape } from '../errors.js';
import type { Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';
import { resizeBilinear } from './bilinear.js';
import { batchOfOne, findModule, oneHot, resolveTarget, scoresOf, withFrozenModel } from './model-access.js';
import { checkOptions, opt } from '../options.js';

/** Options of {@link gradCam}. */
export interface GradCamOptions {
  /** Name of the layer whose feature maps are weighed, as in `model.namedModules()` (`conv2`, `layer4`). */
  readonly layer: string;
  /** Class whose score is explained; default the predicted class. */
  readonly target?: number;
}

/** A Grad-CAM map (Selvaraju et al. 2017) of one layer for one class. */
export interface GradCam {
  readonly target: number;
  readonly layer: string;
  /** The target's logit. */
  readonly score: number;
  /** `α_k`: the spatial mean of `∂score/∂A_k`, one per channel of the layer. */
  readonly weights: readonly number[];
  /** `ReLU(Σ_k α_k A_k)` at the layer's resolution `[h, w]`, not normalized. */
  readonly cam: Tensor;
  /** `cam` resized to the input's `[H, W]` (bilinear, align corners false). */
  readonly upsampled: Tensor;
}

/**
 * Which parts of the image the layer's feature maps `A` (`[K, h, w]`) use for the target class:
 * the maps weighted by the mean gradient of the target's score over each map, summed, and
 * rectified. Works on any layer with feature-map output (conv, pooling, ReLU, a residual block)
 * of Sequential, Flow and hand-written models; the layer must run once per forward pass. The
 * model's parameters, modes and gradients are left as they were.
 * @example gradCam(lenet, image, { layer: 'conv2' }).upsampled // [32, 32]
 */
export function gradCam(model: Module, image: Tensor, options: GradCamOptions): GradCam {
  checkOptions('gradCam', options, { layer: opt.string, target: opt.number });
  const where = `gradCam(layer '${options.layer}')`;
  const x = batchOfOne(image, where);
  const layer = findModule(model, options.layer, where);
  return withFrozenModel(model, () => {
    const calls: Tensor[] = [];
    // Nothing before the layer records gradients (the parameters are frozen, the image needs
    // none), so its output becomes the leaf that collects ∂score/∂A.
    const handle = layer.registerForwardHook((_m, _input, output) => {
      calls.push(output);
      if (calls.length === 1) output.requiresGrad = true;
    });
    let output: Tensor;
    try {
      output = model.call(new Tensor(x.data, x.shape));
    } finally {
      handle.remove();
    }
    if (calls.length !== 1) fail(where, calls.length === 0 ? `layer '${options.layer}' did not run in the forward pass` : `layer '${options.layer}' ran ${calls.length} times ` +
      `in one forward pass; choose a layer that runs once`);
    const maps = calls[0]!;
    if (maps.rank !== 4 || maps.shape[0] !== 1) fail(where, `layer '${options.layer}' (${layer.typeName}) outputs ${formatShape(maps.shape)}, not feature maps [1,C,H,W]`);
    const scores = scoresOf(output, where);
    const target = resolveTarget(scores, options.target, where);
    output.backward(oneHot(scores.length, target));
    const [, k, h, w] = maps.shape as [number, number, number, number];
    const a = maps.data;
    const g = maps.grad?.data ?? new Float32Array(maps.size);
    const plane = h * w;
    const weights: number[] = [];
    const cam = new Float64Array(plane);
    for (let ch = 0; ch < k; ch++) {
      let s = 0;
      for (let i = 0; i < plane; i++) s += g[ch * plane + i]!;
      const alpha = s / plane;
      weights.push(alpha);
      for (let i = 0; i < plane; i++) cam[i] += alpha * a[ch * plane + i]!;
    }
    const rectified = Float32Array.from(cam, (v) => Math.max(0, v));
    const [inH, inW] = x.shape.slice(2) as [number, number];
    return {
      target, layer: options.layer, score: scores[target]!, weights,
      cam: new Tensor(rectified, [h, w]),
      upsampled: new Tensor(resizeBilinear(rectified, h, w, inH, inW), [inH, inW]),
    };
  });
}
