import { Tensor } from '@convlab/core';
import { describe, expect, it } from 'vitest';
import { featureMapsPayload, type LayerActivation } from '../../src/payloads/feature-maps.js';
import { validate } from '@convlab/display';
import { storedBytes } from '../helpers/bytes.js';

const tensor = (shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return Tensor.from(Float32Array.from({ length: n }, (_, i) => (i % 13) - 6), shape);
};
const layer = (name: string, shape: number[], type = 'Conv2d'): LayerActivation => ({ name, type, output: tensor(shape), receptiveField: null });
const image = tensor([1, 1, 4, 4]);

describe('featureMapsPayload', () => {
  it('shows a page of channels and records which', () => {
    const p0 = featureMapsPayload(image, [layer('conv', [1, 10, 4, 4])], { maxChannels: 4 });
    expect(p0.layers[0]!.channels).toEqual({ included: [0, 1, 2, 3], total: 10, page: { index: 0, count: 3, size: 4 } });
    expect(p0.layers[0]!.maps.shape).toEqual([4, 4, 4]);
    const p2 = featureMapsPayload(image, [layer('conv', [1, 10, 4, 4])], { maxChannels: 4, page: 2 });
    expect(p2.layers[0]!.channels).toEqual({ included: [8, 9], total: 10, page: { index: 2, count: 3, size: 4 } });
    expect(validate('featuremaps', p2).ok).toBe(true);
  });

  it('shows the last page of a layer with fewer pages than asked', () => {
    const p = featureMapsPayload(image, [layer('wide', [1, 10, 4, 4]), layer('narrow', [1, 3, 4, 4])], { maxChannels: 4, page: 1 });
    expect(p.layers[1]!.channels).toEqual({ included: [0, 1, 2], total: 3, page: { index: 0, count: 1, size: 3 } });
    expect(() => featureMapsPayload(image, [layer('narrow', [1, 3, 4, 4])], { page: 1 }))
      .toThrow('featureMaps: page 1 does not exist (the layers have at most 1 pages of channels)');
  });

  it('shows explicitly chosen channels, sorted and without repeats', () => {
    const p = featureMapsPayload(image, [layer('conv', [1, 10, 4, 4])], { channels: [5, 1, 5] });
    expect(p.layers[0]!.channels).toEqual({ included: [1, 5], total: 10, page: null });
    expect(p.layers[0]!.maps.range).toBe('channel');
    expect(() => featureMapsPayload(image, [layer('conv', [1, 10, 4, 4])], { channels: [10] }))
      .toThrow("featureMaps layer 'conv' (Conv2d): channel 10 does not exist (the layer has 10 channels)");
  });

  it('stores the chosen channel values', () => {
    const out = Tensor.from([0, 0, 0, 0, 1, 2, 3, 4], [1, 2, 2, 2]);
    const p = featureMapsPayload(image, [{ name: 'x', type: 'ReLU', output: out, receptiveField: null }], { channels: [1] });
    expect(p.layers[0]!.maps).toMatchObject({ shape: [1, 2, 2], min: [1], max: [4] });
    expect(storedBytes(p.layers[0]!.maps)).toEqual([0, 85, 170, 255]);
  });

  it('downsamples maps larger than maxSide and keeps the input up to 224 pixels', () => {
    const p = featureMapsPayload(tensor([1, 3, 224, 224]), [layer('conv1', [1, 2, 112, 112])], { maxSide: 56 });
    expect(p.input.image).toMatchObject({ shape: [3, 224, 224], downsample: 1 });
    expect(p.layers[0]!.maps).toMatchObject({ shape: [2, 56, 56], downsample: 2 });
    expect(p.limits).toEqual({ maxChannels: 64, maxSide: 56, maxBytes: 1_048_576 });
  });

  it('gives every layer the same smaller channel count when the bytes exceed the cap', () => {
    // input 16 bytes; 3 channels of both layers: 16 + 3·16 + 3·4 = 76 bytes, 4 channels: 96.
    const layers = [layer('a', [1, 8, 4, 4]), layer('b', [1, 8, 2, 2])];
    const p = featureMapsPayload(image, layers, { maxBytes: 76 });
    expect(p.layers.map((l) => l.channels.included)).toEqual([[0, 1, 2], [0, 1, 2]]);
    expect(p.layers[0]!.channels.page).toEqual({ index: 0, count: 3, size: 3 });
    expect(p.limits.maxBytes).toBe(76);
    expect(() => featureMapsPayload(image, layers, { maxBytes: 30 }))
      .toThrow('featureMaps: 2 layers do not fit in 30 bytes even with one channel each (36 bytes); show fewer layers or raise maxBytes');
  });

  it('rejects activations that are not one image\'s feature maps, and bad caps', () => {
    expect(() => featureMapsPayload(image, [layer('fc', [1, 10], 'Linear')]))
      .toThrow("featureMaps layer 'fc' (Linear): expected one image's activation of shape [1,C,H,W] or [C,H,W], got [1,10]");
    expect(() => featureMapsPayload(image, [layer('a', [1, 2, 2, 2])], { maxSide: 0 })).toThrow('featureMaps: maxSide must be a positive integer, got 0');
    expect(() => featureMapsPayload(image, [])).toThrow('featureMaps: no layers to show');
  });
});
