import { describe, expect, it } from 'vitest';
import {
  AdaptiveAvgPool2d, Conv2d, ConvlabError, Dropout, Flatten, FlowModule, fullyConvolutional, Generator, GlobalAvgPool2d, Identity, Linear, linearToConv,
  MaxPool2d, noGrad, ReLU, Sequential, Softmax, summary, Tensor, withoutWeights, zoo, type Flow, type Module,
} from '../../src/index.js';
import { relativeMaxError } from '../helpers/fixtures.js';

function random(shape: number[], seed: number): Tensor {
  const g = new Generator(seed);
  const t = Tensor.zeros(shape);
  const v = t.data;
  for (let i = 0; i < v.length; i++) v[i] = g.normal();
  return t;
}

/** `x[:, :, top:top+h, left:left+w]` of a `[1, C, H, W]` tensor. */
function crop(x: Tensor, top: number, left: number, h: number, w: number): Tensor {
  const [, c, hh, ww] = x.shape as [number, number, number, number];
  const out = Tensor.zeros([1, c, h, w]);
  for (let k = 0; k < c; k++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out.data[(k * h + i) * w + j] = x.data[(k * hh + top + i) * ww + left + j]!;
  return out;
}

/** Column `[:, :, i, j]` of a `[1, C, H, W]` tensor, as `[1, C]`. */
function pixel(x: Tensor, i: number, j: number): Tensor {
  const [, c, h, w] = x.shape as [number, number, number, number];
  return Tensor.from(Array.from({ length: c }, (_, k) => x.data[(k * h + i) * w + j]!), [1, c]);
}

describe('linearToConv', () => {
  it('an FC layer on a 5×3×3 map with 4096 outputs is a conv with 4096 filters of 5×3×3 (exercise A.4)', () => {
    const fc = new Linear(5 * 3 * 3, 4096);
    const conv = linearToConv(fc, [5, 3, 3]);
    expect(conv.toString()).toBe('Conv2d(5, 4096, kernel_size=(3, 3), stride=(1, 1))');
    expect(conv.weight.shape).toEqual([4096, 5, 3, 3]);
    expect(conv.weight.data).toBe(fc.weight.data);
    expect(conv.bias).toBe(fc.bias);
    const x = random([2, 5, 3, 3], 1);
    noGrad(() => {
      const y = conv.call(x);
      expect(y.shape).toEqual([2, 4096, 1, 1]);
      expect(relativeMaxError(y.reshape([2, 4096]), fc.call(x.reshape([2, 45])))).toBeLessThan(1e-6);
    });
  });

  it('VGG-16: fc6 on the 512×7×7 map == a 7×7 conv with 4096 filters (random weights, one image)', () => {
    const fc6 = new Linear(512 * 7 * 7, 4096);
    const conv = linearToConv(fc6, [512, 7, 7]);
    expect(conv.weight.size).toBe(7 * 7 * 512 * 4096);
    const x = random([1, 512, 7, 7], 2);
    // At batch 1 the Linear sums each output as one dot product and the conv on the matrix tile, in
    // another order: 25,088 float32 terms apart by rounding, within the PyTorch fixtures' tolerance.
    noGrad(() => expect(relativeMaxError(conv.call(x).reshape([1, 4096]), fc6.call(x.reshape([1, 25088])))).toBeLessThan(1e-5));
  });

  it('after a vector it is a 1×1 conv: the FC layer applied at every pixel (exercise B.9)', () => {
    const fc = new Linear(3, 2);
    const conv = linearToConv(fc, [3]);
    expect(conv.toString()).toBe('Conv2d(3, 2, kernel_size=(1, 1), stride=(1, 1))');
    const x = random([1, 3, 4, 5], 3);
    noGrad(() => {
      const y = conv.call(x);
      expect(y.shape).toEqual([1, 2, 4, 5]);
      for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) expect(relativeMaxError(pixel(y, i, j), fc.call(pixel(x, i, j)))).toBeLessThan(1e-6);
    });
  });

  it('keeps models without weights without weights, and checks the shape', () => {
    const meta = withoutWeights(() => new Linear(400, 120, { bias: false }));
    const conv = linearToConv(meta, [16, 5, 5]);
    expect(conv.weight.isMeta).toBe(true);
    expect(conv.bias).toBeNull();
    expect(() => linearToConv(meta, [16, 5, 4])).toThrow(ConvlabError);
    expect(() => linearToConv(meta, [16, 5, 4])).toThrow('linearToConv(Linear(400→120)): inputShape [16,5,4] holds 320 values but the layer takes 400 features');
    expect(() => linearToConv(meta, [20, 20])).toThrow('linearToConv(Linear(400→120)): inputShape must be [C, H, W] or [F] with positive integers, got [20,20]');
  });
});

/** A classifier for 2×12×12 images with unpadded convs, so that every window of a larger image is classified exactly as a crop. */
class Tiny extends FlowModule {
  features = new Sequential(new Conv2d(2, 4, 3), new ReLU(), new MaxPool2d(2), new Conv2d(4, 6, 3), new ReLU());
  flatten = new Flatten();
  classifier = new Sequential(new Linear(6 * 3 * 3, 8), new ReLU(), new Dropout(0.5), new Linear(8, 5));
  flow(): Flow {
    return [this.features, this.flatten, this.classifier];
  }
}

describe('fullyConvolutional', () => {
  it('gives the same scores at the original size and a map of window scores on a larger image', () => {
    const model = new Tiny().eval();
    const fcn = fullyConvolutional(model, [2, 12, 12]);
    expect(fcn.typeName).toBe('Tiny');
    expect(fcn.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['features.0.weight', [4, 2, 3, 3]], ['features.0.bias', [4]], ['features.3.weight', [6, 4, 3, 3]], ['features.3.bias', [6]],
      ['classifier.0.weight', [8, 6, 3, 3]], ['classifier.0.bias', [8]], ['classifier.3.weight', [5, 8, 1, 1]], ['classifier.3.bias', [5]],
    ]);
    expect(model.classifier.layers[0]).toBeInstanceOf(Linear);
    noGrad(() => {
      const x = random([1, 2, 12, 12], 4);
      expect(relativeMaxError(fcn.call(x).reshape([1, 5]), model.call(x))).toBeLessThan(1e-6);
      const big = random([1, 2, 16, 18], 5);
      const map = fcn.call(big);
      expect(map.shape).toEqual([1, 5, 3, 4]);
      // Network stride 2 (the max pool): score (i, j) classifies the 12×12 crop at (2i, 2j).
      for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(relativeMaxError(pixel(map, i, j), model.call(crop(big, 2 * i, 2 * j, 12, 12)))).toBeLessThan(1e-5);
    });
  });

  it('turns global average pooling into the pooling it performs at the original size', () => {
    const model = new Sequential(new Conv2d(2, 4, 3), new ReLU(), new GlobalAvgPool2d(), new Linear(4, 3));
    const fcn = fullyConvolutional(model, [2, 6, 6]);
    expect(fcn.toString().split('\n').slice(3, 5).map((l) => l.trim())).toEqual(['(2): AvgPool2d(kernel_size=(4, ' +
      '4), stride=(4, 4), padding=0)', '(3): Conv2d(4, 3, kernel_size=(1, 1), stride=(1, 1))']);
    noGrad(() => {
      const big = random([1, 2, 10, 10], 6);
      const map = fcn.call(big);
      expect(map.shape).toEqual([1, 3, 2, 2]);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(relativeMaxError(pixel(map, i, j), model.call(crop(big, 4 * i, 4 * j, 6, 6)))).toBeLessThan(1e-5);
    });
  });

  it('converts VGG-16: fc6 becomes 7×7, fc7 and fc8 1×1, and 384×384 images give 6×6 score maps', () => {
    const vgg = withoutWeights(() => zoo.vgg16());
    const fcn = fullyConvolutional(vgg, [3, 224, 224]);
    expect(fcn.namedParameters().slice(-6).map(([n, p]) => [n, p.shape])).toEqual([
      ['classifier.0.weight', [4096, 512, 7, 7]], ['classifier.0.bias', [4096]],
      ['classifier.3.weight', [4096, 4096, 1, 1]], ['classifier.3.bias', [4096]],
      ['classifier.6.weight', [1000, 4096, 1, 1]], ['classifier.6.bias', [1000]],
    ]);
    const rows = summary(fcn, [3, 384, 384]).rows;
    expect(rows.slice(-9).map((r) => [r.name, r.type, r.outputShape])).toEqual([
      ['avgpool', 'Identity', [512, 12, 12]],
      ['flatten', 'Identity', [512, 12, 12]],
      ['classifier.0', 'Conv2d', [4096, 6, 6]],
      ['classifier.1', 'ReLU', [4096, 6, 6]],
      ['classifier.2', 'Dropout', [4096, 6, 6]],
      ['classifier.3', 'Conv2d', [4096, 6, 6]],
      ['classifier.4', 'ReLU', [4096, 6, 6]],
      ['classifier.5', 'Dropout', [4096, 6, 6]],
      ['classifier.6', 'Conv2d', [1000, 6, 6]],
    ]);
    expect(rows.at(-1)!.receptiveField).toEqual({ size: [404, 404], stride: [32, 32], padding: [90, 90] });
    expect(summary(fcn, [3, 224, 224]).totals.params).toBe(138_357_544);
    expect(new Map(fcn.namedChildren()).get('features')).toBe(vgg.features);
  });

  it('converts ResNet-18 (CIFAR size): the same scores at 32×32, a 2×2 map at 64×64', () => {
    const model = zoo.resnet18({ numClasses: 10 }).eval();
    const fcn = fullyConvolutional(model, [3, 32, 32]);
    noGrad(() => {
      const x = random([1, 3, 32, 32], 7);
      expect(relativeMaxError(fcn.call(x).reshape([1, 10]), model.call(x))).toBeLessThan(1e-5);
      expect(fcn.call(random([1, 3, 64, 64], 8)).shape).toEqual([1, 10, 2, 2]);
    });
    const at224 = summary(fullyConvolutional(withoutWeights(() => zoo.resnet18()), [3, 224, 224]), [3, 448, 448]).rows;
    expect(at224.slice(-3).map((r) => [r.name, r.type, r.outputShape])).toEqual([['avgpool', 'AvgPool2d', [512, 2, 2]], ['flatten', 'Identity', [512, 2, 2]], ['fc', 'Conv2d', [1000, 2, 2]]]);
  });

  it('converts NIN\'s global average pooling, and GoogLeNet\'s head', () => {
    const fcn = fullyConvolutional(withoutWeights(() => zoo.nin()), [3, 224, 224]);
    expect(summary(fcn, [3, 224, 224]).rows.at(-1)).toMatchObject({ name: 'avgpool', type: 'AvgPool2d', outputShape: [1000, 1, 1] });
    expect(summary(fcn, [3, 416, 416]).rows.at(-1)!.outputShape).toEqual([1000, 2, 2]);
    const googlenet = summary(fullyConvolutional(withoutWeights(() => zoo.googlenet()), [3, 224, 224]), [3, 448, 448]).rows;
    expect(googlenet.slice(-4).map((r) => [r.name, r.type, r.outputShape])).toEqual([
      ['avgpool', 'AvgPool2d', [1024, 2, 2]], ['flatten', 'Identity', [1024, 2, 2]], ['dropout', 'Dropout', [1024, 2, 2]], ['fc', 'Conv2d', [1000, 2, 2]],
    ]);
  });

  it('refuses heads it cannot convert', () => {
    const where = (m: Module, input: number[]): string => {
      try {
        fullyConvolutional(m, input);
      } catch (e) {
        expect(e).toBeInstanceOf(ConvlabError);
        return (e as Error).message;
      }
      throw new Error('expected a ConvlabError');
    };
    expect(where(new Sequential(new Linear(4, 2)), [4])).toBe("fullyConvolutional(Sequential): 0 (Linear): its input [4] is a vector from the model's input, not a map");
    expect(where(new Sequential(new Conv2d(1, 1, 1), new AdaptiveAvgPool2d(3), new Flatten(), new Linear(9, 2)), [1, 5, 5])).toBe(
      'fullyConvolutional(Sequential): 1 (AdaptiveAvgPool2d): its windows from 5×5 to 3×3 are uneven, so it has no fixed-pooling equivalent',
    );
    expect(where(new Sequential(new Conv2d(1, 1, 1), new Flatten(), new Linear(4, 3), new Softmax(-1)), [1, 2, 2])).toBe(
      'fullyConvolutional(Sequential): 3 (Softmax): only Linear layers, element-wise activations, softmax over dim 1, dropout, flatten and pooling can follow the first Linear layer',
    );
    expect(fullyConvolutional(new Sequential(new Conv2d(1, 1, 1), new Flatten(), new Linear(4, 3), new Softmax(1)), [1, 2, 2]).toString()).toContain('(1): Identity()');
    expect(new Identity().toString()).toBe('Identity()');
  });
});
