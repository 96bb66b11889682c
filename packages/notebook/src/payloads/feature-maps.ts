import { ConvlabError, formatShape, type Tensor } from '@convlab/core';
import type { ChannelSelection, FeatureMapLayer, FeatureMapsData, LayerArithmeticData, ReceptiveField } from '@convlab/display';
import { downsampleFactor, quantizePlanes } from './quantize.js';

/**
 * The default caps of a feature-map display: at most 64 channels per layer, stored sides of at
 * most 56 pixels (larger maps are block-averaged: 224 → 56 by 4, 112 → 56 by 2), the input image at
 * most 224 pixels a side, and at most 1 MiB of quantized bytes in all (≈1.4 MB of base64 JSON).
 * When the layers would exceed the byte cap, every layer keeps the same, smaller number of channels.
 */
export const FEATURE_MAP_LIMITS = { maxChannels: 64, maxSide: 56, maxBytes: 1_048_576 } as const;

/** Longest side kept of the input image. */
export const INPUT_MAX_SIDE = 224;

/** One layer's activation for the input image, as captured by `captureActivations`. */
export interface LayerActivation {
  readonly name: string;
  /** Module class name, e.g. `Conv2d`. */
  readonly type: string;
  /** `[1, C, H, W]` or `[C, H, W]`. */
  readonly output: Tensor;
  readonly receptiveField: ReceptiveField | null;
  /** The numbers behind each unit, for the step-through (conv and pooling layers, when asked for). */
  readonly arithmetic?: LayerArithmeticData | null;
}

/** Which channels to show and how to scale them. */
export interface FeatureMapOptions {
  /** Show exactly these channels of every layer (indices beyond a layer's channel count are an error). */
  readonly channels?: readonly number[];
  /** Page of channels to show when `channels` is not given: page n holds channels n·size … (default 0). */
  readonly page?: number;
  readonly maxChannels?: number;
  readonly maxSide?: number;
  readonly maxBytes?: number;
  /** Scale each channel to its own range (`'channel'`, default) or one range per layer. */
  readonly range?: 'layer' | 'channel';
}

/** `[C, H, W]` of a one-image activation, or an error naming the layer. */
function imageShape(where: string, t: Tensor): [number, number, number] {
  const s = t.shape;
  if (s.length === 4 && s[0] === 1) return [s[1]!, s[2]!, s[3]!];
  if (s.length === 3) return [s[0]!, s[1]!, s[2]!];
  throw new ConvlabError(`${where}: expected one image's activation of shape [1,C,H,W] or [C,H,W], got ${formatShape(s)}`);
}

/**
 * Builds the `featuremaps` payload for `input` and the given layer activations, applying the caps
 * (see {@link FEATURE_MAP_LIMITS}): channel page or selection, then block-average downsampling to
 * `maxSide`, then, if the bytes still exceed `maxBytes`, the same smaller channel count for all
 * layers (the page size shrinks with it). Values are uint8-quantized with their ranges recorded.
 */
export function featureMapsPayload(input: Tensor, layers: readonly LayerActivation[], options: FeatureMapOptions = {}): FeatureMapsData {
  const limits = {
    maxChannels: options.maxChannels ?? FEATURE_MAP_LIMITS.maxChannels,
    maxSide: options.maxSide ?? FEATURE_MAP_LIMITS.maxSide,
    maxBytes: options.maxBytes ?? FEATURE_MAP_LIMITS.maxBytes,
  };
  for (const [key, v] of Object.entries(limits)) {
    if (!Number.isInteger(v) || v < 1) throw new ConvlabError(`featureMaps: ${key} must be a positive integer, got ${v}`);
  }
  const page = options.page ?? 0;
  if (!Number.isInteger(page) || page < 0) throw new ConvlabError(`featureMaps: page must be a non-negative integer, got ${page}`);
  if (layers.length === 0) throw new ConvlabError('featureMaps: no layers to show');

  const inputShape = imageShape('featureMaps input', input);
  const inputF = downsampleFactor(inputShape[1], inputShape[2], INPUT_MAX_SIDE);
  const inputBytes = inputShape[0] * Math.ceil(inputShape[1] / inputF) * Math.ceil(inputShape[2] / inputF);

  const plans = layers.map((layer) => {
    const shape = imageShape(`featureMaps layer '${layer.name}' (${layer.type})`, layer.output);
    const bad = options.channels?.find((ch) => !Number.isInteger(ch) || ch < 0 || ch >= shape[0]);
    if (bad !== undefined) throw new ConvlabError(`featureMaps layer '${layer.name}' (${layer.type}): channel ${bad} does not exist (the layer has ${shape[0]} channels)`);
    const f = downsampleFactor(shape[1], shape[2], limits.maxSide);
    return { layer, shape, f, pixels: Math.ceil(shape[1] / f) * Math.ceil(shape[2] / f) };
  });
  const wanted = options.channels === undefined ? limits.maxChannels : Math.min(limits.maxChannels, new Set(options.channels).size);
  const bytesFor = (k: number): number => plans.reduce((sum, p) => sum + Math.min(k, p.shape[0]) * p.pixels, inputBytes);
  let k = wanted;
  while (k > 0 && bytesFor(k) > limits.maxBytes) k--;
  if (k === 0) {
    throw new ConvlabError(`featureMaps: ${layers.length} layers do not fit in ${limits.maxBytes} bytes even with one channel each (${bytesFor(1)} bytes); show fewer layers or raise maxBytes`);
  }

  if (options.channels === undefined && plans.every((p) => page * Math.min(k, p.shape[0]) >= p.shape[0])) {
    const most = Math.max(...plans.map((p) => Math.ceil(p.shape[0] / Math.min(k, p.shape[0]))));
    throw new ConvlabError(`featureMaps: page ${page} does not exist (the layers have at most ${most} pages of channels)`);
  }

  return {
    input: { shape: inputShape, image: quantizePlanes(input.data, inputShape, { downsample: inputF, range: 'layer' }) },
    layers: plans.map(({ layer, shape, f }): FeatureMapLayer => {
      const channels = selectChannels(shape[0], k, page, options.channels);
      return {
        name: layer.name,
        type: layer.type,
        shape,
        channels,
        maps: quantizePlanes(layer.output.data, shape, { channels: channels.included, downsample: f, range: options.range ?? 'channel' }),
        receptiveField: layer.receptiveField,
        ...(layer.arithmetic === undefined ? {} : { arithmetic: layer.arithmetic }),
      };
    }),
    limits,
  };
}

/**
 * The first `k` of the explicit channels (sorted), or page `page` of size `k` — the last page for
 * a layer with fewer pages than `page + 1` (the recorded page index says which).
 */
function selectChannels(total: number, k: number, page: number, explicit: readonly number[] | undefined): ChannelSelection {
  if (explicit !== undefined) {
    return { included: [...new Set(explicit)].sort((a, b) => a - b).slice(0, k), total, page: null };
  }
  const size = Math.min(k, total);
  const count = Math.ceil(total / size);
  const index = Math.min(page, count - 1);
  const included = Array.from({ length: Math.min(size, total - index * size) }, (_, i) => index * size + i);
  return { included, total, page: { index, count, size } };
}
