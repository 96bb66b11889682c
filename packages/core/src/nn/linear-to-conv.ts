import { fail, formatShape } from '../errors.js';
import { Conv2d } from './conv2d.js';
import type { Linear } from './linear.js';
import { Parameter, withoutWeights } from './parameter.js';

/**
 * The convolution that computes what `linear` computes on a flattened `[C, H, W]` map: `out`
 * filters of size C×H×W (`Conv2d(C, out, [H, W])`), or 1×1 filters for an input vector `[F]`
 * (`Conv2d(F, out, 1)`, so that a following FC layer runs at every pixel). Linear's weight
 * `[out, C·H·W]` and the conv's `[out, C, H, W]` hold the same numbers in the same order
 * (flatten is row-major), so the conv's weight is a view of the linear's values and its bias is
 * the linear's bias: no copy, even for VGG-16's 102,760,448 fc6 weights. On the `[C, H, W]` input
 * it gives `[out, 1, 1]` equal to the linear's `[out]`; on a larger map it slides, giving a map of
 * outputs.
 *
 * @example linearToConv(vgg.classifier.layers[0] as Linear, [512, 7, 7]) // Conv2d(512, 4096, kernel_size=(7, 7))
 */
export function linearToConv(linear: Linear, inputShape: readonly number[]): Conv2d {
  const where = `linearToConv(${linear.label})`;
  if ((inputShape.length !== 3 && inputShape.length !== 1) || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    fail(where, `inputShape must be [C, H, W] or [F] with positive integers, got ${JSON.stringify(inputShape)}`);
  }
  const [c, h, w] = inputShape.length === 3 ? (inputShape as [number, number, number]) : [inputShape[0]!, 1, 1];
  if (c * h * w !== linear.inFeatures) {
    fail(where, `inputShape ${formatShape(inputShape)} holds ${c * h * w} values but the layer takes ${linear.inFeatures} features`);
  }
  const conv = withoutWeights(() => new Conv2d(c, linear.outFeatures, [h, w], { bias: linear.bias !== null }));
  const weight = new Parameter(linear.weight.isMeta ? null : linear.weight.data, [linear.outFeatures, c, h, w]);
  weight.requiresGrad = linear.weight.requiresGrad;
  return Object.assign(conv, { weight, bias: linear.bias });
}
