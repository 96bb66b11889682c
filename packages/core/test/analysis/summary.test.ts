import { describe, expect, it } from 'vitest';
import {
  Conv2d, ConvlabError, Flatten, FlowModule, Linear, Module, ReLU, registerLayerRule, Sequential, summary, withoutWeights, zoo,
  type Flow, type SummaryRow, type Tensor,
} from '../../src/index.js';

const lenet = (): zoo.LeNet5 => withoutWeights(() => zoo.lenet5());

describe('summary', () => {
  it('gives LeNet-5 one row per layer call with shapes, parameters, MACs and memory per sample', () => {
    const s = summary(lenet(), [1, 32, 32]);
    expect(s.model).toBe('LeNet5');
    expect(s.inputShape).toEqual([1, 32, 32]);
    expect(s.rows[0]).toEqual({
      name: 'conv1', depth: 1, type: 'Conv2d', arguments: '1, 6, kernel_size=(5, 5), stride=(1, 1)',
      inputShape: [1, 32, 32], outputShape: [6, 28, 28],
      params: 156, trainable: 156, share: 156 / 61_706,
      macs: 6 * 28 * 28 * 25, activationBytes: 6 * 28 * 28 * 4,
      receptiveField: { size: [5, 5], stride: [1, 1], padding: [0, 0] }, global: false,
    } satisfies SummaryRow);
    const cols = (r: SummaryRow): unknown[] => [r.name, r.type, r.inputShape, r.outputShape, r.params, r.macs, r.activationBytes];
    expect(s.rows.map(cols)).toEqual([
      ['conv1', 'Conv2d', [1, 32, 32], [6, 28, 28], 156, 117_600, 18_816],
      ['relu1', 'ReLU', [6, 28, 28], [6, 28, 28], 0, 0, 18_816],
      ['pool1', 'MaxPool2d', [6, 28, 28], [6, 14, 14], 0, 0, 4_704],
      ['conv2', 'Conv2d', [6, 14, 14], [16, 10, 10], 2_416, 240_000, 6_400],
      ['relu2', 'ReLU', [16, 10, 10], [16, 10, 10], 0, 0, 6_400],
      ['pool2', 'MaxPool2d', [16, 10, 10], [16, 5, 5], 0, 0, 1_600],
      ['flatten', 'Flatten', [16, 5, 5], [400], 0, 0, 1_600],
      ['fc1', 'Linear', [400], [120], 48_120, 48_000, 480],
      ['relu3', 'ReLU', [120], [120], 0, 0, 480],
      ['fc2', 'Linear', [120], [84], 10_164, 10_080, 336],
      ['relu4', 'ReLU', [84], [84], 0, 0, 336],
      ['fc3', 'Linear', [84], [10], 850, 840, 40],
    ]);
    expect(s.totals).toEqual({ params: 61_706, trainable: 61_706, nonTrainable: 0, paramBytes: 246_824, macs: 416_520, activationBytes: 60_008 });
    expect(s.rows.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 12);
  });

  it('folds blocks deeper than `depth` into one row whose figures add up', () => {
    const model = withoutWeights(() => zoo.resnet18());
    const full = summary(model, [3, 224, 224]);
    const one = summary(model, [3, 224, 224], { depth: 1 });
    const two = summary(model, [3, 224, 224], { depth: 2 });
    expect(one.rows.map((r) => r.name)).toEqual(['conv1', 'bn1', 'relu', 'maxpool', 'layer1', 'layer2', 'layer3', 'layer4', 'avgpool', 'flatten', 'fc']);
    expect(two.rows.map((r) => r.name).slice(4, 12)).toEqual(['layer1.0', 'layer1.1', 'layer2.0', 'layer2.1', 'layer3.0', 'layer3.1', 'layer4.0', 'layer4.1']);
    expect(two.rows[6]).toMatchObject({ depth: 2, type: 'BasicBlock', inputShape: [64, 56, 56], outputShape: [128, 28, 28], arguments: '' });
    const inside = full.rows.filter((r) => r.name.startsWith('layer2.0.'));
    expect(inside.map((r) => r.name)).toEqual([
      'layer2.0.conv1', 'layer2.0.bn1', 'layer2.0.relu', 'layer2.0.conv2', 'layer2.0.bn2', 'layer2.0.downsample.0', 'layer2.0.downsample.1', 'layer2.0.add', 'layer2.0.relu',
    ]);
    for (const key of ['params', 'trainable', 'macs', 'activationBytes'] as const) {
      expect(two.rows[6]![key]).toBe(inside.reduce((a, r) => a + r[key], 0));
    }
    expect(two.rows[6]!.params).toBe(230_144);
    expect(two.rows[6]!.receptiveField).toEqual(full.rows.find((r) => r.name === 'layer2.0.add')!.receptiveField);
    expect(full.rows.find((r) => r.name === 'layer2.0.downsample.0')!.depth).toBe(4);
    expect(full.rows.find((r) => r.name === 'layer2.0.add')).toMatchObject({ depth: 3, type: 'Add', arguments: '2 paths', params: 0, macs: 0 });
    expect(one.totals).toEqual(full.totals);
    expect(two.totals).toEqual(full.totals);
    expect(full.totals.activationBytes).toBe(full.rows.reduce((a, r) => a + r.activationBytes, 0));
  });

  it('separates trainable from frozen parameters', () => {
    const model = lenet();
    model.conv1.weight.requiresGrad = false;
    const s = summary(model, [1, 32, 32]);
    expect(s.rows[0]).toMatchObject({ params: 156, trainable: 6 });
    expect(s.totals).toMatchObject({ params: 61_706, trainable: 61_556, nonTrainable: 150 });
  });

  it('counts a module used twice once for parameters and twice for MACs', () => {
    const conv = new Conv2d(2, 2, 3, { padding: 1 });
    const s = summary(new Sequential(conv, new ReLU(), conv), [2, 4, 4]);
    expect(s.rows.map((r) => [r.name, r.params, r.macs])).toEqual([['0', 38, 576], ['1', 0, 0], ['2', 0, 576]]);
    expect(s.totals.params).toBe(38);
  });

  it('summarizes a vector model from a [F] input', () => {
    const mlp = new Sequential(new Linear(784, 100), new ReLU(), new Linear(100, 10));
    const s = summary(mlp, [784]);
    expect(s.rows.map((r) => [r.outputShape, r.receptiveField, r.global])).toEqual([[[100], null, true], [[100], null, true], [[10], null, true]]);
    expect(s.totals.macs).toBe(79_400);
  });

  it('needs no weights: VGG-16 and ResNet-50 built without weights are summarized with every parameter left a meta tensor', () => {
    // How fast that is (milliseconds) is measured by `npm run bench` (summary() checks), not here.
    const vgg = withoutWeights(() => zoo.vgg16());
    const resnet = withoutWeights(() => zoo.resnet50());
    expect(summary(vgg, [3, 224, 224]).totals.params).toBe(138_357_544);
    expect(summary(resnet, [3, 224, 224]).totals.params).toBe(25_557_032);
    expect([...vgg.parameters(), ...resnet.parameters()].every((p) => p.isMeta)).toBe(true);
  });
});

class HandWritten extends Module {
  conv = new Conv2d(1, 1, 3);
  forward(x: Tensor): Tensor {
    return this.conv.call(x);
  }
}

class Swish extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

class Stranger extends FlowModule {
  conv = new Conv2d(1, 1, 3);
  flow(): Flow {
    return [this.conv, new ReLU()];
  }
}

describe('summary errors', () => {
  const error = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ConvlabError);
      return (e as Error).message;
    }
    throw new Error('expected a ConvlabError');
  };

  it('names the layer and the shapes when the input is too small or has the wrong shape', () => {
    const vgg = withoutWeights(() => zoo.vgg16());
    expect(error(() => summary(vgg, [3, 16, 16]))).toBe('summary: features.30 (MaxPool2d): kernel 2×2 is larger than the padded input 1×1 (input shape [1,512,1,1])');
    // AlexNet at 32×32: 32 → conv 11/4 → 7 → pool 3/2 → 3 → conv → 3 → pool → 1 → convs → 1 → pool 3 fails.
    expect(error(() => summary(withoutWeights(() => zoo.alexnet()), [3, 32, 32]))).toBe(
      'summary: features.12 (MaxPool2d): kernel 3×3 is larger than the padded input 1×1 (input shape [1,256,1,1])',
    );
    expect(error(() => summary(lenet(), [1, 28, 28]))).toBe('summary: fc1 (Linear): expected input [400], got [256]');
    expect(error(() => summary(lenet(), [3, 32, 32]))).toBe('summary: conv1 (Conv2d): expected input with 1 channels, got 3 (input shape [1,3,32,32])');
    expect(error(() => summary(new Sequential(new Linear(12, 2)), [3, 2, 2]))).toBe('summary: 0 (Linear): expected input [12], got [3,2,2] (flatten it first)');
  });

  it('refuses modules whose data flow it cannot see, and explains how to describe them', () => {
    expect(error(() => summary(new HandWritten(), [1, 8, 8]))).toBe(
      'summary: (HandWritten): cannot follow a hand-written forward without running data; describe the data flow with a FlowModule (or use Sequential)',
    );
    expect(error(() => summary(new Sequential(new Conv2d(1, 1, 3), new Swish()), [1, 8, 8]))).toBe(
      'summary: 1 (Swish): no shape rule for Swish: build it from known layers, Sequential and FlowModule, or describe it with registerLayerRule',
    );
    expect(error(() => summary(new Stranger(), [1, 8, 8]))).toBe('summary: (Stranger): its flow() uses a ReLU that is not one of its children');
  });

  it('learns new layer types from registerLayerRule', () => {
    class Halve extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    registerLayerRule(Halve, {
      analyze: (_layer, input) => ({ output: [input[0]!, input[1]! / 2, input[2]! / 2], macs: 7, field: { kind: 'window', kernel: [2, 2], stride: [2, 2], padding: [0, 0] } }),
    });
    const s = summary(new Sequential(new Conv2d(1, 1, 3), new Halve(), new Flatten()), [1, 6, 6]).rows;
    expect(s[1]).toMatchObject({ type: 'Halve', outputShape: [1, 2, 2], macs: 7, receptiveField: { size: [4, 4], stride: [2, 2], padding: [0, 0] } });
  });

  it('checks its arguments', () => {
    expect(error(() => summary(lenet(), [32, 32]))).toBe('summary of LeNet5: inputShape must be [C, H, W] or [F] with positive integers, got [32,32]');
    expect(error(() => summary(lenet(), [1, 0, 32]))).toBe('summary of LeNet5: inputShape must be [C, H, W] or [F] with positive integers, got [1,0,32]');
    expect(error(() => summary(lenet(), [1, 32, 32], { depth: 0 }))).toBe('summary of LeNet5: depth must be a positive integer, got 0');
  });
});
