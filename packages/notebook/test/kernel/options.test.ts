import { ImageDataset, Tensor, confusionMatrix, filters, zoo } from '@convlab/core';
import { describe, expect, it } from 'vitest';
import { attributionPayload, check, confusionPayload, display, featureMaps, filtersPayload, liveLayerHealth, liveTraining, quantizePlanes, rich, samples } from '../../src/index.js';

describe('the notebook functions check their options objects like the library does', () => {
  const image = Tensor.zeros([1, 32, 32]);

  it('display and rich: name and as', () => {
    expect(() => display(image, { title: 'x' } as never)).toThrow('display: unknown option title (known options: name, as)');
    expect(() => display(image, { As: 'image' } as never)).toThrow('display: unknown option As, did you mean as?');
    expect(() => display(image, { as: 'heatmap' } as never)).toThrow("display: option as must be 'image' or 'values', got \"heatmap\" (a string)");
    expect(() => rich(image, { name: 3 } as never)).toThrow('rich: option name must be a string, got 3');
  });

  it('featureMaps: PyTorch-style names get the camelCase one, types are named', () => {
    const lenet = zoo.lenet5();
    expect(() => featureMaps(lenet, image, { step_through: true } as never)).toThrow('featureMaps: unknown option step_through, did you mean stepThrough?');
    expect(() => featureMaps(lenet, image, { max_channels: 4 } as never)).toThrow('featureMaps: unknown option max_channels, did you mean maxChannels?');
    expect(() => featureMaps(lenet, image, { layers: 'conv1' } as never)).toThrow('featureMaps: option layers must be an array of strings, got "conv1" (a string)');
    expect(() => featureMaps(lenet, image, { layers: [0] } as never)).toThrow('featureMaps: option layers must be an array of strings, got [0] (an array)');
    expect(() => featureMaps(lenet, image, { range: 'global' } as never)).toThrow("featureMaps: option range must be 'layer' or 'channel', got \"global\" (a string)");
    expect(featureMaps(lenet, image, { layers: ['conv1'], maxChannels: 2 }).data.layers[0]!.name).toBe('conv1');
  });

  it('check and liveTraining', () => {
    expect(() => check('A1', 1, 1, { tol: 0.1 } as never)).toThrow("check 'A1': unknown option tol (known options: tolerance)");
    expect(() => check('A1', 1, 1, { tolerance: '0.1' } as never)).toThrow("check 'A1': option tolerance must be a number, got \"0.1\" (a string)");
    expect(() => check('A1', 1, 1, { atol: 0.1 } as never)).toThrow("check 'A1': unknown option atol (known options: tolerance)");
    expect(() => liveTraining({ updates_per_second: 2 } as never)).toThrow('liveTraining: unknown option updates_per_second, did you mean updatesPerSecond?');
    expect(() => liveTraining({ updatesPerSecond: '2' } as never)).toThrow('liveTraining: option updatesPerSecond must be a number, got "2" (a string)');
  });

  it('samples', () => {
    const data = new ImageDataset(new Uint8Array(8), Int32Array.from([0, 1]), [1, 2, 2]);
    expect(() => samples(data, { n: 2 } as never)).toThrow('samples: unknown option n (known options: count, classes, columns)');
    expect(() => samples(data, { classes: 'cat' } as never)).toThrow('samples: option classes must be an array, got "cat" (a string)');
  });

  it('the inspection payloads', () => {
    const data = new ImageDataset(new Uint8Array(2 * 32 * 32), Int32Array.from([0, 1]), [1, 32, 32]);
    const cm = confusionMatrix(zoo.lenet5(), data);
    expect(() => confusionPayload(cm, null, { examples_per_cell: 2 } as never)).toThrow('confusionPayload: unknown option examples_per_cell, did you mean examplesPerCell?');
    expect(() => attributionPayload(Tensor.zeros([1, 32, 32]), [], { title: 'x' } as never)).toThrow('attributionPayload: unknown option title (known options: classes, caption)');
  });

  it('filter grids, layer health and quantized planes', () => {
    const lenet = zoo.lenet5();
    const conv1 = filters(lenet, 'conv1');
    expect(() => filtersPayload(conv1, { Mode: 'norms' } as never)).toThrow("filtersPayload(layer 'conv1'): unknown option Mode, did you mean mode?");
    expect(() => filtersPayload(conv1, { mode: 'gray' } as never)).toThrow("filtersPayload(layer 'conv1'): option mode must be 'rgb', 'channels' or 'norms', got \"gray\" (a string)");
    expect(() => filtersPayload(conv1, { outputs: 3 } as never)).toThrow("filtersPayload(layer 'conv1'): option outputs must be an array of numbers, got 3");
    expect(() => liveLayerHealth(lenet, { max_records: 10 } as never)).toThrow('layerStats: unknown option max_records, did you mean maxRecords?');
    expect(() => quantizePlanes(new Float32Array(4), [1, 2, 2], { downsample: 1.5 } as never)).toThrow('quantizePlanes: option downsample must be an integer, got 1.5');
    expect(quantizePlanes(new Float32Array([0, 1, 2, 3]), [1, 2, 2], { range: 'layer' }).data).toBe(Buffer.from([0, 85, 170, 255]).toString('base64'));
  });
});
