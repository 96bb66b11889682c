import type { Checker } from './checker.js';
import { checkPlanes, checkReceptiveField, type QuantizedPlanes, type ReceptiveField } from './common.js';
import { checkArithmetic, type LayerArithmeticData } from './unit-arithmetic.js';

/**
 * `application/vnd.convlab.featuremaps.v1+json`: the activations of one or more layers for one
 * input image, uint8-quantized and capped in size (see {@link FeatureMapLimits}).
 */
export interface FeatureMapsData {
  /** The network input (one image, `[channels, height, width]`, 1 or 3 channels). */
  readonly input: FeatureMapInput;
  readonly layers: readonly FeatureMapLayer[];
  /** The caps that were applied when the payload was built, so a renderer can state them. */
  readonly limits: FeatureMapLimits;
}

export interface FeatureMapInput {
  /** Full shape `[channels, height, width]` before any downsampling. */
  readonly shape: readonly [number, number, number];
  readonly image: QuantizedPlanes;
}

export interface FeatureMapLayer {
  /** Dotted module name, e.g. `features.0`. */
  readonly name: string;
  /** Class name of the module, e.g. `Conv2d`. */
  readonly type: string;
  /** Full activation shape `[channels, height, width]` for this input. */
  readonly shape: readonly [number, number, number];
  /** Which channels {@link maps} holds. */
  readonly channels: ChannelSelection;
  /** The selected channels, in `channels.included` order: `maps.shape[0] === channels.included.length`. */
  readonly maps: QuantizedPlanes;
  /** Receptive field of one unit of this layer in the input, or null if unknown. */
  readonly receptiveField: ReceptiveField | null;
  /**
   * Conv and pooling layers, when asked for (`featureMaps(…, { stepThrough: true })`): the numbers to
   * redo any unit's arithmetic, so that clicking a unit opens its step-through. Absent or null otherwise.
   */
  readonly arithmetic?: LayerArithmeticData | null;
}

/**
 * Channel paging: `included` lists the channel indices held (ascending), `total` is the layer's
 * channel count. `page` is set when the channels are a page of `size` consecutive channels
 * (`index` counts from 0 of `count` pages) and null when they were chosen explicitly.
 */
export interface ChannelSelection {
  readonly included: readonly number[];
  readonly total: number;
  readonly page: { readonly index: number; readonly count: number; readonly size: number } | null;
}

export interface FeatureMapLimits {
  /** Most channels kept per layer. */
  readonly maxChannels: number;
  /** Longest stored side in pixels; larger maps are block-averaged down by an integer factor. */
  readonly maxSide: number;
  /** Most quantized bytes in the whole payload (before base64). */
  readonly maxBytes: number;
}

export function checkFeatureMaps(c: Checker, path: string, value: unknown): value is FeatureMapsData {
  if (!c.object(path, value)) return false;
  const ok: boolean[] = [];
  const input = value['input'];
  if (c.object(`${path}.input`, input)) {
    ok.push(c.integers(`${path}.input.shape`, input['shape'], 3, 1), checkPlanes(c, `${path}.input.image`, input['image']));
  } else ok.push(false);
  ok.push(c.each(`${path}.layers`, value['layers'], (p, layer) => checkLayer(c, p, layer)));
  const limits = value['limits'];
  if (c.object(`${path}.limits`, limits)) {
    ok.push(c.integer(`${path}.limits.maxChannels`, limits['maxChannels'], 1), c.integer(`${path}.limits.maxSide`, limits['maxSide'], 1), c.integer(`${path}.limits.maxBytes`, limits['maxBytes'], 1));
  } else ok.push(false);
  return ok.every(Boolean);
}

function checkLayer(c: Checker, path: string, layer: unknown): boolean {
  if (!c.object(path, layer)) return false;
  const shapeOk = c.integers(`${path}.shape`, layer['shape'], 3, 1);
  const ok = [
    shapeOk,
    c.string(`${path}.name`, layer['name']),
    c.string(`${path}.type`, layer['type']),
    layer['receptiveField'] === null || checkReceptiveField(c, `${path}.receptiveField`, layer['receptiveField']),
    layer['arithmetic'] === undefined || layer['arithmetic'] === null || checkArithmetic(c, `${path}.arithmetic`, layer['arithmetic'], shapeOk ? layer['shape'] as number[] : null),
  ];
  const channels = layer['channels'];
  const channelsOk = c.object(`${path}.channels`, channels) && checkChannels(c, `${path}.channels`, channels);
  const mapsOk = checkPlanes(c, `${path}.maps`, layer['maps']);
  ok.push(channelsOk, mapsOk);
  if (shapeOk && channelsOk) {
    const total = (layer['shape'] as number[])[0];
    const sel = channels as { total: number; included: number[] };
    ok.push(c.require(`${path}.channels.total`, sel.total === total, `expected ${String(total)} (shape[0]), got ${sel.total}`));
    ok.push(c.require(`${path}.channels.included`, sel.included.every((i) => i < sel.total), `channel indices must be below ${sel.total}`));
    if (mapsOk) {
      const stored = (layer['maps'] as QuantizedPlanes).shape[0];
      ok.push(c.require(`${path}.maps.shape[0]`, stored === sel.included.length, `expected ${sel.included.length} (channels included), got ${stored}`));
    }
  }
  return ok.every(Boolean);
}

function checkChannels(c: Checker, path: string, channels: { readonly [key: string]: unknown }): boolean {
  const ok = [c.integer(`${path}.total`, channels['total'], 1)];
  const included = channels['included'];
  if (c.integers(`${path}.included`, included, null)) {
    ok.push(c.require(`${path}.included`, included.length > 0 && included.every((v, i) => i === 0 || v > included[i - 1]!), 'expected at least one channel index, strictly ascending'));
  } else ok.push(false);
  const page = channels['page'];
  if (page !== null) {
    if (c.object(`${path}.page`, page)) {
      ok.push(c.integer(`${path}.page.index`, page['index']), c.integer(`${path}.page.count`, page['count'], 1), c.integer(`${path}.page.size`, page['size'], 1));
      if (typeof page['index'] === 'number' && typeof page['count'] === 'number') {
        ok.push(c.require(`${path}.page.index`, page['index'] < page['count'], `page ${page['index']} does not exist among ${page['count']} pages`));
      }
    } else ok.push(false);
  }
  return ok.every(Boolean);
}
