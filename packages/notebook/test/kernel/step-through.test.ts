import { AvgPool2d, Conv2d, explainUnit, manualSeed, ReLU, Sequential, Tensor, zoo } from '@convlab/core';
import { unitFromArithmetic, validate } from '@convlab/display';
import { describe, expect, it } from 'vitest';
import { featureMaps } from '../../src/kernel/feature-maps.js';
import { unitPayload } from '../../src/payloads/unit.js';

describe('featureMaps(…, { stepThrough: true })', () => {
  it("sends each conv and pooling layer's arithmetic; redone from it, every unit equals explainUnit", () => {
    manualSeed(12);
    const model = zoo.lenet5();
    const image = Tensor.from(Array.from({ length: 1024 }, (_, i) => Math.cos(i * 0.29) * 0.7), [1, 32, 32]);
    const maps = featureMaps(model, image, { layers: ['conv1', 'relu1', 'pool1', 'conv2', 'pool2'], stepThrough: true });
    expect(validate('featuremaps', maps.data).ok).toBe(true);
    expect(maps.data.layers.map((l) => l.arithmetic?.kind ?? null)).toEqual(['conv', null, 'maxpool', 'conv', 'maxpool']);
    expect(maps.data.layers[3]!.arithmetic!.source).toEqual({ layer: 'pool1', type: 'MaxPool2d', shape: [6, 14, 14] });
    for (const layer of maps.data.layers.filter((l) => l.arithmetic)) {
      const [c, h, w] = layer.shape;
      for (let channel = 0; channel < c; channel += 3) {
        for (const [row, col] of [[0, 0], [h - 1, w - 1], [Math.floor(h / 2), 1]] as const) {
          const browser = unitFromArithmetic(layer.name, layer.type, layer.shape, layer.arithmetic!, { channel, row, col });
          expect(browser).toEqual(unitPayload(explainUnit(model, image, { layer: layer.name, channel, row, col })).data);
        }
      }
    }
    expect(featureMaps(model, image, { layers: ['conv1'] }).data.layers[0]!.arithmetic).toBeUndefined();
  });

  it('covers padding, stride, dilation, groups and average pooling', () => {
    manualSeed(2);
    const model = new Sequential(new Conv2d(4, 6, 3, { padding: 2, stride: 2, dilation: 2, groups: 2 }), new ReLU(), new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }));
    const image = Tensor.from(Array.from({ length: 4 * 9 * 9 }, (_, i) => Math.sin(i * 0.4)), [4, 9, 9]);
    const maps = featureMaps(model, image, { layers: ['0', '2'], stepThrough: true });
    for (const layer of maps.data.layers) {
      const [c, h, w] = layer.shape;
      for (let channel = 0; channel < c; channel++) {
        for (let row = 0; row < h; row++) {
          for (let col = 0; col < w; col++) {
            expect(unitFromArithmetic(layer.name, layer.type, layer.shape, layer.arithmetic!, { channel, row, col }))
              .toEqual(unitPayload(explainUnit(model, image, { layer: layer.name, channel, row, col })).data);
          }
        }
      }
    }
  });
});
