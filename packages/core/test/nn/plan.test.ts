import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as block from '../../src/ops/conv2d-block.js';
import { unfused } from '../helpers/unfused.js';
import {
  Conv2d, explainPlan, Flatten, FUSIONS, Linear, MaxPool2d, ReLU, SGD, Sequential, Tensor, captureActivations, crossEntropy, manualSeed, noGrad, zoo,
} from '../../src/index.js';

// conv2dBlock wrapped in a spy that still runs it, to see which calls were fused.
vi.mock('../../src/ops/conv2d-block.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/ops/conv2d-block.js')>();
  return { ...original, conv2dBlock: vi.fn(original.conv2dBlock) };
});
const fused = vi.mocked(block.conv2dBlock);

const images = (n: number, size: number, channels = 1): Tensor =>
  Tensor.from(Array.from({ length: n * channels * size * size }, (_, i) => Math.sin(i * 0.37) * 2), [n, channels, size, size]);

beforeEach(() => {
  fused.mockClear();
  manualSeed(3);
});

describe('inference fuses Conv2d → ReLU → MaxPool2d', () => {
  it('runs LeNet-5 under noGrad as two fused blocks with the unfused result bit for bit', () => {
    const model = zoo.lenet5();
    const x = images(5, 32);
    const reference = unfused(model, x);
    expect(fused).not.toHaveBeenCalled();
    const y = noGrad(() => model.call(x));
    expect(fused).toHaveBeenCalledTimes(2);
    expect(fused.mock.calls.map((c) => [c[4].relu, c[4].maxPool?.kernelSize, c[5]?.conv])).toEqual([
      [true, [2, 2], 'Conv2d(1→6, kernelSize 5)'],
      [true, [2, 2], 'Conv2d(6→16, kernelSize 5)'],
    ]);
    expect(y.shape).toEqual([5, 10]);
    expect(Array.from(y.data)).toEqual(Array.from(reference));
  });

  it('fuses inside a Sequential, Conv2d → MaxPool2d without a ReLU too (Caffe LeNet)', () => {
    const seq = new Sequential(new Conv2d(1, 4, 3, { padding: 1 }), new ReLU(), new Conv2d(4, 4, 3), new MaxPool2d(2), new Flatten(), new Linear(4 * 3 * 3, 2));
    const x = images(3, 8);
    const reference = unfused(seq, x);
    const y = noGrad(() => seq.call(x));
    expect(fused.mock.calls.map((c) => [c[4].relu, c[4].maxPool === null])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(Array.from(y.data)).toEqual(Array.from(reference));
    const caffe = zoo.lenetCaffe();
    const digits = images(2, 28);
    const caffeReference = unfused(caffe, digits);
    expect(Array.from(noGrad(() => caffe.call(digits)).data)).toEqual(Array.from(caffeReference));
  });

  it('fuses only Conv2d → ReLU when a gradient will be recorded, and the pooling too for frozen layers', () => {
    const seq = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new MaxPool2d(2), new Conv2d(2, 2, 1), new MaxPool2d(2));
    const x = images(2, 10);
    seq.call(x);
    expect(fused.mock.calls.map((c) => [c[4].relu, c[4].maxPool === null])).toEqual([[true, true]]);
    fused.mockClear();
    for (const p of seq.parameters()) p.requiresGrad = false;
    seq.call(x);
    expect(fused.mock.calls.map((c) => [c[4].relu, c[4].maxPool === null])).toEqual([
      [true, false],
      [false, false],
    ]);
  });

  it('trains LeNet-5 to the same losses and weights bit for bit as with every layer run by itself', () => {
    const x = images(8, 32);
    const labels = Int32Array.from({ length: 8 }, (_, i) => (i * 3) % 10);
    const train = (separate: boolean): { losses: number[]; weights: Float32Array[] } => {
      manualSeed(5);
      const model = zoo.lenet5();
      // A hook on each ReLU keeps its conv from fusing with it.
      if (separate) for (const m of [model.relu1, model.relu2]) m.registerForwardHook(() => undefined);
      const optimizer = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) {
        optimizer.zeroGrad();
        const loss = crossEntropy(model.call(x), labels);
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      }
      return { losses, weights: model.parameters().map((p) => p.data) };
    };
    const separate = train(true);
    expect(fused).not.toHaveBeenCalled();
    const together = train(false);
    expect(fused).toHaveBeenCalledTimes(6);
    expect(together.losses).toEqual(separate.losses);
    expect(together.weights).toEqual(separate.weights);
    expect(separate.losses[2]).toBeLessThan(separate.losses[0]!);
  });

  it('never fuses a layer with a forward hook, so captureActivations sees every layer', () => {
    const model = zoo.lenet5();
    const x = images(2, 32);
    const captured = captureActivations(model, x);
    expect(fused).not.toHaveBeenCalled();
    expect([...captured.keys()].slice(0, 3)).toEqual(['conv1', 'relu1', 'pool1']);
    expect(captured.get('relu1')!.shape).toEqual([2, 6, 28, 28]);
    const handle = model.pool2.registerForwardHook(() => undefined);
    noGrad(() => model.call(x));
    // conv1 → relu1 → pool1 whole; conv2 → relu2 without the hooked pool2.
    expect(fused.mock.calls.map((c) => c[4].maxPool === null)).toEqual([false, true]);
    handle.remove();
  });

  it('does not fuse subclasses, whose forward may do something else', () => {
    class Identity extends ReLU {
      override forward(x: Tensor): Tensor {
        return x;
      }
    }
    const seq = new Sequential(new Conv2d(1, 2, 3), new Identity());
    const y = noGrad(() => seq.call(images(1, 5)));
    expect(fused).not.toHaveBeenCalled();
    expect(y.data.some((v) => v < 0)).toBe(true);
  });
});

describe('explainPlan', () => {
  it('prints the fused runs of LeNet-5 and what runs instead while training', () => {
    expect(explainPlan(zoo.lenet5())).toBe([
      'LeNet5',
      '  conv1 Conv2d + relu1 ReLU + pool1 MaxPool2d: fused conv2d+relu+maxPool2d (recording gradients: conv2d+relu)',
      '  conv2 Conv2d + relu2 ReLU + pool2 MaxPool2d: fused conv2d+relu+maxPool2d (recording gradients: conv2d+relu)',
      '  flatten Flatten',
      '  fc1 Linear',
      '  relu3 ReLU',
      '  fc2 Linear',
      '  relu4 ReLU',
      '  fc3 Linear',
    ].join('\n'));
  });

  it('nests containers and merges, naming every module as namedModules does', () => {
    const seq = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new Sequential(new Conv2d(4, 4, 3), new MaxPool2d(2)), new Flatten());
    expect(explainPlan(seq)).toBe([
      'Sequential',
      '  0 Conv2d + 1 ReLU: fused conv2d+relu',
      '  2 Sequential',
      '    2.0 Conv2d + 2.1 MaxPool2d: fused conv2d+maxPool2d (recording gradients: each alone)',
      '  3 Flatten',
    ].join('\n'));
    // In eval mode the batch norms fold into the convs (training runs conv2d+batchNorm2d: see conv2d-batch-norm.test.ts).
    const folded = (name: string, instead: string): string => `fused conv2d+${name} (recording gradients: conv2d+${instead})`;
    expect(explainPlan(zoo.resnet18().eval()).split('\n').slice(0, 14)).toEqual([
      'ResNet',
      `  conv1 Conv2d + bn1 BatchNorm2d + relu ReLU + maxpool MaxPool2d: ${folded('foldedBatchNorm2d+relu+maxPool2d', 'batchNorm2d+relu+maxPool2d')}`,
      '  layer1 Sequential',
      '    layer1.0 BasicBlock',
      '      add: add of 2 paths',
      '        path 1',
      `          layer1.0.conv1 Conv2d + layer1.0.bn1 BatchNorm2d + layer1.0.relu ReLU: ${folded('foldedBatchNorm2d+relu', 'batchNorm2d+relu')}`,
      `          layer1.0.conv2 Conv2d + layer1.0.bn2 BatchNorm2d: ${folded('foldedBatchNorm2d', 'batchNorm2d')}`,
      '        path 2: identity',
      '      layer1.0.relu ReLU',
      '    layer1.1 BasicBlock',
      '      add: add of 2 paths',
      '        path 1',
      `          layer1.1.conv1 Conv2d + layer1.1.bn1 BatchNorm2d + layer1.1.relu ReLU: ${folded('foldedBatchNorm2d+relu', 'batchNorm2d+relu')}`,
    ]);
  });

  it('lists every fusible pattern in one table, longest first', () => {
    expect(FUSIONS.map((f) => [f.name, f.layers.map((l) => l.name), f.recordsGradient, f.evalOnly])).toEqual([
      ['conv2d+foldedBatchNorm2d+relu+maxPool2d', ['Conv2d', 'BatchNorm2d', 'ReLU', 'MaxPool2d'], false, true],
      ['conv2d+foldedBatchNorm2d+relu', ['Conv2d', 'BatchNorm2d', 'ReLU'], false, true],
      ['conv2d+foldedBatchNorm2d', ['Conv2d', 'BatchNorm2d'], false, true],
      ['conv2d+batchNorm2d+relu+maxPool2d', ['Conv2d', 'BatchNorm2d', 'ReLU', 'MaxPool2d'], true, false],
      ['conv2d+batchNorm2d+relu', ['Conv2d', 'BatchNorm2d', 'ReLU'], true, false],
      ['conv2d+batchNorm2d', ['Conv2d', 'BatchNorm2d'], true, false],
      ['conv2d+relu+maxPool2d', ['Conv2d', 'ReLU', 'MaxPool2d'], false, false],
      ['conv2d+relu', ['Conv2d', 'ReLU'], true, false],
      ['conv2d+maxPool2d', ['Conv2d', 'MaxPool2d'], false, false],
    ]);
  });
});
