import { AvgPool2d, captureActivations, checkOptions, Conv2d, ConvlabError, formatShape, layerArithmetic, MaxPool2d, opt, summary, type Module, type Tensor } from '@convlab/core';
import { featureMapsPayload, type FeatureMapOptions, type LayerActivation } from '../payloads/feature-maps.js';
import { MAX_ARITHMETIC_VALUES, toFloatValue, type FloatValue, type KindPayload, type LayerArithmeticData, type ReceptiveField } from '@convlab/display';
import { shortFloat32 } from '../payloads/float32.js';

/** Options of {@link featureMaps}: which layers, which channels, and the caps. */
export interface FeatureMapsOptions extends FeatureMapOptions {
  /** Module names as in `model.namedModules()` (`'0'`, `'features.3'`); default every module whose output is an image-shaped map. */
  readonly layers?: readonly string[];
  /**
   * Send, for each conv and pooling layer, the numbers behind its units (input, weights, output;
   * at most `MAX_ARITHMETIC_VALUES` per layer), so that clicking a unit opens its step-through
   * (window ⊙ kernel, Σ, bias, activation). Default false.
   */
  readonly stepThrough?: boolean;
}

/** The option types of {@link FeatureMapsOptions}, for `checkOptions` (ranges are checked where they are used). */
const featureMapsOptionTypes = {
  layers: opt.strings, stepThrough: opt.boolean, channels: opt.numbers, page: opt.number,
  maxChannels: opt.number, maxSide: opt.number, maxBytes: opt.number, range: opt.oneOf('layer', 'channel'),
};

/** The payload form of {@link layerArithmetic} for `name`, or null for other layers and layers too large. */
function arithmeticOf(model: Module, module: Module, name: string, input: Tensor): LayerArithmeticData | null {
  if (!(module instanceof Conv2d || module instanceof MaxPool2d || module instanceof AvgPool2d) || name.includes('#')) return null;
  const a = layerArithmetic(model, input, name);
  const size = a.input.length + a.output.length + (a.weight?.length ?? 0) + (a.bias?.length ?? 0);
  if (size > MAX_ARITHMETIC_VALUES) return null;
  const floats = (v: Float32Array): FloatValue[] => Array.from(v, (x) => toFloatValue(shortFloat32(x)));
  return {
    kind: a.kind, source: { ...a.source, shape: [...a.source.shape] }, input: floats(a.input), output: floats(a.output),
    kernelSize: [...a.kernelSize] as [number, number], stride: [...a.stride] as [number, number], padding: [...a.padding] as [number, number],
    dilation: [...a.dilation] as [number, number], groups: a.groups,
    weight: a.weight === null ? null : floats(a.weight), bias: a.bias === null ? null : floats(a.bias),
    activation: a.activation, countIncludePad: a.countIncludePad,
  };
}

/**
 * Each layer's receptive field from the model's summary, by row name. A model the summary cannot
 * analyze (a hand-written `forward`) has none: its feature maps are shown without fields.
 */
function receptiveFields(model: Module, inputShape: readonly number[]): Map<string, ReceptiveField | null> {
  try {
    return new Map(summary(model, inputShape).rows.map((r) => [r.name, r.receptiveField]));
  } catch (e) {
    if (e instanceof ConvlabError) return new Map();
    throw e;
  }
}

/**
 * Runs `model` on one image and returns the feature maps of the chosen layers, with each layer's
 * receptive field (from `summary`), as a payload for {@link display}. Large layers are capped (see `FEATURE_MAP_LIMITS`): a page of at most 64
 * channels, sides block-averaged down to at most 56 pixels, uint8 values with their range.
 * @example display(featureMaps(lenet, image, { layers: ['conv1', 'pool1'] }))
 * @example display(featureMaps(vgg, image, { layers: ['features.28'], page: 2 })) // channels 128–191
 */
export function featureMaps(model: Module, image: Tensor, options: FeatureMapsOptions = {}): KindPayload<'featuremaps'> {
  checkOptions('featureMaps', options, featureMapsOptionTypes);
  if (!(image.rank === 3 || (image.rank === 4 && image.shape[0] === 1))) {
    throw new ConvlabError(`featureMaps: expected one image of shape [C,H,W] or [1,C,H,W], got ${formatShape(image.shape)}`);
  }
  const input = image.rank === 3 ? image.reshape([1, ...image.shape]) : image;
  const activations = captureActivations(model, input);
  const modules = new Map(model.namedModules());
  const moduleOf = (name: string): Module | undefined => modules.get(name.split('#')[0]!);
  const fields = receptiveFields(model, input.shape.slice(1));
  const spatial = (t: Tensor): boolean => t.rank === 4 && t.shape[0] === 1;
  // By default every layer with feature maps; containers are left out (their output is their last child's).
  const names = options.layers ?? [...activations.keys()].filter((n) => spatial(activations.get(n)!) && moduleOf(n)!.namedChildren().length === 0);
  const layers = names.map((name): LayerActivation => {
    const output = activations.get(name);
    if (output === undefined) {
      throw new ConvlabError(`featureMaps: the model has no module '${name}' that ran (modules: ${[...activations.keys()].join(', ')})`);
    }
    const type = moduleOf(name)!.typeName;
    if (!spatial(output)) throw new ConvlabError(`featureMaps: module '${name}' (${type}) outputs ${formatShape(output.shape)}, not feature maps [1,C,H,W]`);
    const arithmetic = options.stepThrough === true ? { arithmetic: arithmeticOf(model, moduleOf(name)!, name, input) } : {};
    return { name, type, output, receptiveField: fields.get(name) ?? null, ...arithmetic };
  });
  return { kind: 'featuremaps', data: featureMapsPayload(input, layers, options) };
}
