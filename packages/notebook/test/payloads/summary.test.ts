import { Conv2d, Flatten, MaxPool2d, ReLU, Sequential, summary, Tensor, withoutWeights, zoo } from '@convlab/core';
import { describe, expect, it } from 'vitest';
import { bundle } from '../../src/bundle.js';
import { featureMaps } from '../../src/kernel/feature-maps.js';
import { summaryPayload } from '../../src/payloads/summary.js';
import { validate } from '@convlab/display';

describe('summaryPayload', () => {
  it("carries core's summary rows and totals for LeNet-5", () => {
    const p = summaryPayload(summary(zoo.lenet5(), [1, 32, 32]));
    expect(validate('summary', p).ok).toBe(true);
    expect(p.inputShape).toEqual([1, 32, 32]);
    expect(p.rows[2]).toEqual({
      name: 'pool1', depth: 1, type: 'MaxPool2d', arguments: 'kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False',
      outputShape: [6, 14, 14], params: 0, trainable: 0, share: 0, macs: 0, activationBytes: 6 * 14 * 14 * 4,
      receptiveField: { size: [6, 6], stride: [2, 2], padding: [0, 0] }, global: false,
    });
    expect(p.totals).toEqual({ params: 61706, trainable: 61706, macs: 416520, activationBytes: 60_008 });
    expect(p.columns).toEqual(['type', 'outputSize', 'numParams', 'paramsPercent', 'multAdds', 'activationMemory', 'receptiveField']);
  });

  it('carries the chosen columns into every fallback', () => {
    const lenet = zoo.lenet5();
    lenet.fc3.weight.requiresGrad_(false);
    const p = summaryPayload(summary(lenet, [1, 32, 32], { colNames: ['numParams', 'trainable', 'activationMemory'] }));
    expect(validate('summary', p).ok).toBe(true);
    const b = bundle({ kind: 'summary', data: p });
    expect(b['text/plain'].split('\n').slice(0, 6)).toEqual([
      'LeNet5 on input [1, 32, 32]',
      'Layer    Params  Trainable  Activation memory',
      '─'.repeat(45),
      'conv1       156  yes                 18.4 KiB',
      'relu1         0  —                   18.4 KiB',
      'pool1         0  —                    4.6 KiB',
    ]);
    expect(b['text/plain']).toContain('fc3         850  partly                  40 B');
    expect(b['text/plain'].split('\n').slice(-2)).toEqual(['Params size (float32): 241.0 KiB', 'Activation memory (float32, per sample): 58.6 KiB']);
    const html = b['text/html'];
    expect([...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1])).toEqual(['Layer', 'Params', 'Trainable', 'Activation memory']);
    expect(html).toContain('>partly</td>');
  });

  it('summarizes VGG-16 without weights into a valid bundle', () => {
    const p = summaryPayload(summary(withoutWeights(() => zoo.vgg16()), [3, 224, 224]));
    expect(validate('summary', p).ok).toBe(true);
    expect(p.rows.length).toBe(40);
    const text = bundle({ kind: 'summary', data: p })['text/plain'];
    expect(text.split('\n').slice(-6)).toEqual([
      'Total params: 138,357,544',
      'Trainable params: 138,357,544',
      'Non-trainable params: 0',
      'Multiply-adds (MACs): 15.47 G',
      'Params size (float32): 527.8 MiB',
      'Activation memory (float32, per sample): 109.5 MiB',
    ]);
  });
});

describe('featureMaps', () => {
  const model = new Sequential(new Conv2d(1, 2, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2));
  const image = Tensor.from(Float32Array.from({ length: 36 }, (_, i) => i / 35), [1, 6, 6]);

  it("shows every spatial layer by default, with its type and the summary's receptive field", () => {
    const { kind, data } = featureMaps(model, image);
    expect(kind).toBe('featuremaps');
    expect(validate('featuremaps', data).ok).toBe(true);
    expect(data.input.shape).toEqual([1, 6, 6]);
    expect(data.layers.map((l) => [l.name, l.type, l.shape, l.receptiveField])).toEqual([
      ['0', 'Conv2d', [2, 6, 6], { size: [3, 3], stride: [1, 1], padding: [1, 1] }],
      ['1', 'ReLU', [2, 6, 6], { size: [3, 3], stride: [1, 1], padding: [1, 1] }],
      ['2', 'MaxPool2d', [2, 3, 3], { size: [4, 4], stride: [2, 2], padding: [1, 1] }],
    ]);
  });

  it('leaves containers out of the default layers', () => {
    const nested = new Sequential(new Sequential(new Conv2d(1, 2, 3), new ReLU()), new MaxPool2d(2));
    expect(featureMaps(nested, image).data.layers.map((l) => l.name)).toEqual(['0.0', '0.1', '1']);
  });

  it('names the layer when it cannot show it', () => {
    expect(() => featureMaps(model, image, { layers: ['5'] })).toThrow("featureMaps: the model has no module '5' that ran (modules: 0, 1, 2)");
    const flat = new Sequential(new Conv2d(1, 2, 3), new Flatten());
    expect(() => featureMaps(flat, image, { layers: ['1'] })).toThrow("featureMaps: module '1' (Flatten) outputs [1,32], not feature maps [1,C,H,W]");
    expect(() => featureMaps(new Sequential(new Conv2d(1, 2, 3)), Tensor.from(new Float32Array(32), [2, 1, 4, 4])))
      .toThrow('featureMaps: expected one image of shape [C,H,W] or [1,C,H,W], got [2,1,4,4]');
  });
});
