import { describe, expect, it } from 'vitest';
import {
  AdaptiveAvgPool2d, adaptiveWindow, composeField, concatChannels, Conv2d, convParams, ConvlabError, fieldCovers, fieldIsGlobal, Flatten, FlowModule, GlobalAvgPool2d,
  INPUT_FIELD, Linear, MaxPool2d, mergeFields, ReLU, residual, Sequential, summary, withoutWeights, zoo, type Flow, type Module, type ReceptiveField, type SummaryRow,
} from '../../src/index.js';

const rf = (size: number | [number, number], stride: number | [number, number], padding: number | [number, number]): ReceptiveField => {
  const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);
  return { size: pair(size), stride: pair(stride), padding: pair(padding) };
};

/** Name → [receptive field, global] of every row. */
function fields(model: Module, input: number[]): Record<string, [ReceptiveField | null, boolean]> {
  return Object.fromEntries(summary(model, input).rows.map((r) => [r.name, [r.receptiveField, r.global]]));
}

describe('receptive fields (Araujo, Norris & Sim, Distill 2019)', () => {
  it('two stacked 3×3 convs see 5×5, like one 5×5 conv, with fewer parameters (exercise D.2)', () => {
    const two = new Sequential(new Conv2d(1, 1, 3), new Conv2d(1, 1, 3));
    const s = summary(two, [1, 5, 5]);
    expect(s.rows.map((r) => [r.outputShape, r.receptiveField, r.global])).toEqual([
      [[1, 3, 3], rf(3, 1, 0), false],
      [[1, 1, 1], rf(5, 1, 0), true],
    ]);
    expect(summary(new Sequential(new Conv2d(1, 1, 5)), [1, 5, 5]).rows[0]).toMatchObject({ outputShape: [1, 1, 1], receptiveField: rf(5, 1, 0), global: true });
    expect(2 * convParams(64, 64, 3, { bias: false })).toBe(73_728);
    expect(convParams(64, 64, 5, { bias: false })).toBe(102_400);
  });

  it('a 2×2 kernel on 3×3 input, then another 2×2: z sees all 9 inputs (exercise D.1)', () => {
    const s = summary(new Sequential(new Conv2d(1, 1, 2), new Conv2d(1, 1, 2)), [1, 3, 3]);
    expect(s.rows.map((r) => [r.outputShape, r.receptiveField, r.global])).toEqual([
      [[1, 2, 2], rf(2, 1, 0), false],
      [[1, 1, 1], rf(3, 1, 0), true],
    ]);
  });

  it('LeNet-5, layer by layer (hand-checked: r += (k−1)·S, S *= s)', () => {
    expect(fields(withoutWeights(() => zoo.lenet5()), [1, 32, 32])).toEqual({
      conv1: [rf(5, 1, 0), false],
      relu1: [rf(5, 1, 0), false],
      pool1: [rf(6, 2, 0), false],
      conv2: [rf(14, 2, 0), false],
      relu2: [rf(14, 2, 0), false],
      pool2: [rf(16, 4, 0), false],
      flatten: [null, false],
      fc1: [null, true],
      relu3: [null, true],
      fc2: [null, true],
      relu4: [null, true],
      fc3: [null, true],
    });
  });

  it('counts dilation as an effective kernel d·(k−1)+1', () => {
    const model = new Sequential(new Conv2d(1, 1, 3, { dilation: 2 }), new Conv2d(1, 1, 3, { dilation: 4 }), new MaxPool2d(3, { stride: 1, dilation: 2 }));
    expect(summary(model, [1, 32, 32]).rows.map((r) => r.receptiveField)).toEqual([rf(5, 1, 0), rf(13, 1, 0), rf(17, 1, 0)]);
  });

  it('pooling counts like a kernel; padding and strides accumulate (ResNet stem)', () => {
    const stem = new Sequential(new Conv2d(3, 64, 7, { stride: 2, padding: 3 }), new ReLU(), new MaxPool2d(3, { stride: 2, padding: 1 }), new Conv2d(64, 64, 3, { padding: 1 }));
    expect(summary(stem, [3, 224, 224]).rows.map((r) => r.receptiveField)).toEqual([rf(7, 2, 3), rf(7, 2, 3), rf(11, 4, 5), rf(19, 4, 9)]);
  });

  it('keeps the axes apart, and uses the top/left padding of an uneven "same"', () => {
    const model = new Sequential(new Conv2d(1, 1, [3, 5], { stride: [2, 1], padding: [1, 2] }), new Conv2d(1, 1, 4, { padding: 'same' }));
    expect(summary(model, [1, 20, 20]).rows.map((r) => [r.outputShape, r.receptiveField])).toEqual([
      [[1, 10, 20], rf([3, 5], [2, 1], [1, 2])],
      [[1, 10, 20], rf([9, 8], [2, 1], [3, 3])],
    ]);
  });

  it('says a fully connected layer sees the whole input only when the map\'s units cover it', () => {
    const dense = new Sequential(new Conv2d(1, 2, 3), new Flatten(), new Linear(2 * 4 * 4, 3));
    expect(fields(dense, [1, 6, 6])).toEqual({ '0': [rf(3, 1, 0), false], '1': [null, false], '2': [null, true] });
    // A 1×1 conv with stride 2 skips every other pixel: the FC after it does not see them.
    const gaps = new Sequential(new Conv2d(1, 2, 1, { stride: 2 }), new Flatten(), new Linear(2 * 3 * 3, 3));
    expect(fields(gaps, [1, 6, 6])).toEqual({ '0': [rf(1, 2, 0), false], '1': [null, false], '2': [null, false] });
    const gap = new Sequential(new Conv2d(1, 2, 3), new GlobalAvgPool2d());
    expect(fields(gap, [1, 6, 6])['1']).toEqual([null, true]);
  });

  it('adaptive pooling: a regular window when the sizes allow, else no field', () => {
    expect(adaptiveWindow(14, 7)).toEqual({ regular: [2, 2], whole: false });
    expect(adaptiveWindow(4, 3)).toEqual({ regular: [2, 1], whole: false });
    expect(adaptiveWindow(7, 1)).toEqual({ regular: [7, 7], whole: true });
    expect(adaptiveWindow(5, 3)).toEqual({ regular: null, whole: false });
    expect(adaptiveWindow(1, 6)).toEqual({ regular: null, whole: true });
    const uneven = new Sequential(new Conv2d(1, 1, 1), new AdaptiveAvgPool2d(3), new Flatten(), new Linear(9, 2));
    expect(fields(uneven, [1, 5, 5])).toEqual({ '0': [rf(1, 1, 0), false], '1': [null, false], '2': [null, false], '3': [null, true] });
    const even = new Sequential(new Conv2d(1, 1, 3, { padding: 1 }), new AdaptiveAvgPool2d(2));
    expect(fields(even, [1, 8, 8])['1']).toEqual([rf(6, 4, 1), false]);
    // VGG-16: pool5 (r = 212, P = 90: one pixel of padding per conv, times the stride before it)
    // is 8×8 at 256×256, and 8 → 7 windows are regular (size 2, step 1); at 288×288 it is 9×9,
    // and 9 → 7 windows are not (sizes 2, 2, 2, 3, 2, 2, 2).
    const at256 = fields(withoutWeights(() => zoo.vgg16()), [3, 256, 256]);
    expect(at256['features.30']).toEqual([rf(212, 32, 90), false]);
    expect(at256['avgpool']).toEqual([rf(244, 32, 90), false]);
    const at288 = fields(withoutWeights(() => zoo.vgg16()), [3, 288, 288]);
    expect(at288['avgpool']).toEqual([null, false]);
    expect(at288['classifier.0']).toEqual([null, true]);
  });

  it('marks layers whose every unit sees the whole image', () => {
    const s = fields(withoutWeights(() => zoo.resnet50()), [3, 224, 224]);
    // Only the 3×3 convs grow the field: stem 11 (S 4, P 5); layer1 +3·2·4; layer2 +2·4 then +3·2·8;
    // layer3 +2·8 then +5·2·16; layer4 +2·16 then +2·2·32 = 427, P = 213. The 7×7 average pool
    // adds 6·32: its single unit sees rows −213 … 405, all of the 224.
    expect(s['layer4.2.add']).toEqual([rf(427, 32, 213), false]);
    expect(s['avgpool']).toEqual([rf(619, 224, 213), true]);
    expect(s['fc']).toEqual([null, true]);
  });

  it('composeField and mergeFields, the two rules behind every row', () => {
    const conv = composeField(INPUT_FIELD, [7, 7], [2, 2], [3, 3]);
    expect(conv).toEqual(rf(7, 2, 3));
    expect(composeField(conv, [3, 3], [2, 2], [1, 1])).toEqual(rf(11, 4, 5));
    expect(composeField(conv, [3, 1], [1, 2], [1, 0])).toEqual(rf([11, 7], [2, 4], [5, 3]));
    expect(mergeFields([rf(7, 2, 3), rf(1, 2, 0), rf(5, 2, 2)], 'add')).toEqual(rf(7, 2, 3));
    expect(mergeFields([rf([7, 1], 2, [3, 0]), rf([1, 5], 2, [0, 2])], 'add')).toEqual(rf([7, 5], 2, [3, 2]));
    expect(() => mergeFields([rf(3, 1, 1), rf(3, 2, 1)], 'add')).toThrow(/^add: paths are not aligned/);
  });

  it('fieldCovers and fieldIsGlobal', () => {
    expect(fieldCovers(rf(3, 2, 1), [5, 5], [10, 10])).toBe(true);
    expect(fieldCovers(rf(3, 2, 1), [4, 4], [10, 10])).toBe(false);
    expect(fieldCovers(rf(1, 2, 0), [5, 5], [10, 10])).toBe(false);
    expect(fieldIsGlobal(rf(5, 1, 0), [1, 1], [5, 5])).toBe(true);
    expect(fieldIsGlobal(rf(5, 1, 0), [2, 2], [6, 6])).toBe(false);
    expect(fieldIsGlobal(rf([5, 3], 1, 0), [1, 1], [5, 5])).toBe(false);
  });
});

/** A block with a 2×2 max pool on one path and a strided 1×1 conv on the other: same shapes, shifted centres. */
class Misaligned extends FlowModule {
  pool = new MaxPool2d(2);
  conv = new Conv2d(4, 4, 1, { stride: 2 });
  flow(): Flow {
    return residual(this.pool, this.conv);
  }
}

class Stacked extends FlowModule {
  conv = new Conv2d(4, 4, 3);
  flow(): Flow {
    return concatChannels([this.conv, []]);
  }
}

class Mismatched extends FlowModule {
  conv = new Conv2d(4, 4, 3);
  flow(): Flow {
    return residual(this.conv);
  }
}

describe('receptive fields of residual networks', () => {
  it('takes the largest field over the paths of a sum (ResNet-18, torchvision layout)', () => {
    const s = summary(withoutWeights(() => zoo.resnet18()), [3, 224, 224]);
    const row = (name: string): ReceptiveField | null => s.rows.filter((r) => r.name === name).at(-1)!.receptiveField;
    expect(row('layer2.0.bn2')).toEqual(rf(67, 8, 33));
    expect(row('layer2.0.downsample.1')).toEqual(rf(43, 8, 21));
    expect(row('layer2.0.add')).toEqual(rf(67, 8, 33));
    expect(row('layer1.1.add')).toEqual(rf(43, 4, 21));
    const relus = s.rows.filter((r) => r.name === 'layer4.1.relu').map((r) => r.receptiveField);
    expect(relus).toEqual([rf(371, 32, 185), rf(435, 32, 217)]);
  });

  it('refuses paths that are not aligned, naming the sum and both fields', () => {
    expect(() => summary(new Misaligned(), [4, 8, 8])).toThrow(ConvlabError);
    expect(() => summary(new Misaligned(), [4, 8, 8])).toThrow(
      'summary: add (Add): paths are not aligned (their units\' fields have different strides or centres), so the receptive field is undefined: ' +
        'path 1 has size 2×2, stride 2×2, padding 0×0, path 2 has size 1×1, stride 2×2, padding 0×0',
    );
    const nested = new Sequential(new Conv2d(4, 4, 1), new Misaligned());
    expect(() => summary(nested, [4, 8, 8])).toThrow(/^summary: 1\.add \(Add\): paths are not aligned/);
  });

  it('refuses paths whose shapes differ', () => {
    expect(() => summary(new Mismatched(), [4, 8, 8])).toThrow('summary: add (Add): paths give different shapes: [4,6,6] (path 1) and [4,8,8] (path 2)');
    expect(() => summary(new Stacked(), [4, 8, 8])).toThrow('summary: cat (Concat): paths must agree in all but channels: [4,6,6] (path 1) and [4,8,8] (path 2)');
  });

  it('stacks the channels of Inception branches and takes their largest field (GoogLeNet)', () => {
    const s = summary(withoutWeights(() => zoo.googlenet()), [3, 224, 224]);
    const row = (name: string): SummaryRow => s.rows.find((r) => r.name === name)!;
    // Stem: conv 7/2/3 → 7, S 2, P 3; pool 3/2 → 11, S 4; 3×3 conv → 19, P 7; pool 3/2 → 27, S 8.
    expect(row('maxpool2').receptiveField).toEqual(rf(27, 8, 7));
    expect(row('inception3a.branch1.relu').receptiveField).toEqual(rf(27, 8, 7));
    expect(row('inception3a.branch2.1.relu').receptiveField).toEqual(rf(43, 8, 15));
    expect(row('inception3a.branch4.1.relu').receptiveField).toEqual(rf(43, 8, 15));
    expect(row('inception3a.cat')).toMatchObject({ type: 'Concat', arguments: '4 paths', depth: 2, outputShape: [64 + 128 + 32 + 32, 28, 28], receptiveField: rf(43, 8, 15) });
    expect(summary(withoutWeights(() => zoo.googlenet()), [3, 224, 224], { depth: 1 }).rows.map((r) => r.outputShape[0]).slice(5, 16)).toEqual([
      256, 480, 480, 512, 512, 512, 528, 832, 832, 832, 1024,
    ]);
  });
});
