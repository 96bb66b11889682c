import { checkOptions, ConvlabError, formatShape, opt, type GradCam, type Saliency, type Tensor } from '@convlab/core';
import type { AttributionData, AttributionMap } from '@convlab/display';
import { quantizePlanes } from './quantize.js';

/** Options of {@link attributionPayload}. */
export interface AttributionPayloadOptions {
  /** Class names, to label the maps; default the class index. */
  readonly classes?: readonly string[];
  readonly caption?: string;
}

/**
 * The display payload of saliency and Grad-CAM results for one input image: each map is laid over
 * the image (its `map`, or Grad-CAM's `upsampled`), side by side, with an opacity control.
 * @example display(attributionPayload(image, [saliency(lenet, image), gradCam(lenet, image, { layer: 'conv2' })], { classes: FASHION_MNIST_CLASSES }))
 */
export function attributionPayload(image: Tensor, results: readonly (Saliency | GradCam)[], options: AttributionPayloadOptions = {}): { kind: 'attribution'; data: AttributionData } {
  checkOptions('attributionPayload', options, { classes: opt.strings, caption: opt.string });
  const shape = image.rank === 4 && image.shape[0] === 1 ? image.shape.slice(1) : image.shape;
  if (shape.length !== 3 || (shape[0] !== 1 && shape[0] !== 3)) throw new ConvlabError(`attributionPayload: expected one image [C,H,W] with 1 or 3 channels, got ${formatShape(image.shape)}`);
  const [c, h, w] = shape as [number, number, number];
  const maps = results.map((r): AttributionMap => {
    const isCam = 'upsampled' in r;
    const plane = isCam ? r.upsampled : r.map;
    if (plane.shape[0] !== h || plane.shape[1] !== w) throw new ConvlabError(`attributionPayload: a ${isCam ? 'Grad-CAM' : 'saliency'} map of ` +
      `${formatShape(plane.shape)} does not match the image's ${h}×${w}`);
    return {
      method: isCam ? 'gradcam' : 'saliency', target: r.target, label: options.classes?.[r.target] ?? String(r.target),
      layer: isCam ? r.layer : null, score: r.score, map: quantizePlanes(plane.data, [1, h, w]),
    };
  });
  return { kind: 'attribution', data: { image: quantizePlanes(image.data, [c, h, w]), caption: options.caption ?? '', maps } };
}
