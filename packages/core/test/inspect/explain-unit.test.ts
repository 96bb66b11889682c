import { describe, expect, it } from 'vitest';
import {
  AvgPool2d, captureActivations, Conv2d, explainUnit, Flatten, Linear, manualSeed, MaxPool2d, ReLU, Sequential, Tensor, zoo,
  type ConvUnit, type LinearUnit, type PoolUnit, type UnitExplanation,
} from '../../src/index.js';

const asConv = (u: UnitExplanation): ConvUnit => { if (u.kind !== 'conv') throw new Error(`expected a conv unit, got ${u.kind}`); return u; };
const asPool = (u: UnitExplanation): PoolUnit => { if (u.kind === 'conv' || u.kind === 'linear') throw new Error(`expected a pool unit, got ${u.kind}`); return u; };
const asLinear = (u: UnitExplanation): LinearUnit => { if (u.kind !== 'linear') throw new Error(`expected a linear unit, got ${u.kind}`); return u; };

/** Tolerance for a float64 sum against float32 arithmetic: relative to the sum of |terms|. */
const close = (a: number, b: number, scale: number): boolean => Math.abs(a - b) <= 1e-5 * Math.max(1, scale);

describe('explainUnit on LeNet-5: the arithmetic equals the model\'s own activations', () => {
  manualSeed(21);
  const model = zoo.lenet5();
  const image = Tensor.from(Array.from({ length: 32 * 32 }, (_, i) => Math.sin(i * 0.37) * 0.8 + ((i * 7919) % 13) / 26), [1, 32, 32]);
  const acts = captureActivations(model, image.reshape([1, 1, 32, 32]));
  const positions = (n: number): number[] => [...new Set([0, 1, Math.floor(n / 2), n - 2, n - 1])];

  for (const layer of ['conv1', 'conv2']) {
    it(`${layer}: every channel at corners, edges and center`, () => {
      const out = acts.get(layer)!;
      const [, c, h, w] = out.shape as [number, number, number, number];
      for (let ch = 0; ch < c; ch++) {
        for (const row of positions(h)) {
          for (const col of positions(w)) {
            const u = asConv(explainUnit(model, image, { layer, channel: ch, row, col }));
            const k = (ch * h + row) * w + col;
            const scale = u.products.flat(2).reduce((s, v) => s + Math.abs(v), 0) + Math.abs(u.bias);
            expect(u.modelValue).toBe(out.data[k]);
            expect(close(u.preActivation, out.data[k]!, scale)).toBe(true);
            expect(u.activation!.layer).toBe(layer === 'conv1' ? 'relu1' : 'relu2');
            expect(u.activation!.value).toBe(Math.max(0, out.data[k]!));
            expect(u.sum).toBeCloseTo(u.channelSums.reduce((a, b) => a + b, 0), 10);
            expect(u.preActivation).toBe(u.sum + u.bias);
          }
        }
      }
    });
  }

  for (const layer of ['pool1', 'pool2']) {
    it(`${layer}: every channel, every position — the maximum and its place`, () => {
      const out = acts.get(layer)!;
      const src = acts.get(layer === 'pool1' ? 'relu1' : 'relu2')!;
      const [, c, h, w] = out.shape as [number, number, number, number];
      const [, , sh, sw] = src.shape as [number, number, number, number];
      for (let ch = 0; ch < c; ch++) {
        for (let row = 0; row < h; row++) {
          for (let col = 0; col < w; col += 3) {
            const u = asPool(explainUnit(model, image, { layer, channel: ch, row, col }));
            expect(u.kind).toBe('maxpool');
            expect(u.value).toBe(out.data[(ch * h + row) * w + col]);
            expect(u.modelValue).toBe(u.value);
            expect(u.rows).toEqual([2 * row, 2 * row + 1]);
            expect(src.data[(ch * sh + u.argMax!.row) * sw + u.argMax!.col]).toBe(u.value);
          }
        }
      }
    });
  }

  it('conv1 reads the image; its window and kernel are the input pixels and the weights', () => {
    const u = asConv(explainUnit(model, image, { layer: 'conv1', channel: 2, row: 3, col: 7 }));
    expect(u.source).toEqual({ layer: null, type: null, shape: [1, 32, 32] });
    expect(u.rows).toEqual([3, 4, 5, 6, 7]);
    expect(u.cols).toEqual([7, 8, 9, 10, 11]);
    expect(u.window[0]![1]![2]).toBe(image.data[4 * 32 + 9]);
    expect(u.kernel[0]![1]![2]).toBe(model.conv1.weight.data[2 * 25 + 1 * 5 + 2]);
    expect(u.products[0]![1]![2]).toBe(u.window[0]![1]![2]! * u.kernel[0]![1]![2]!);
    expect(u.bias).toBe(model.conv1.bias!.data[2]);
    expect(u.below.length).toBe(25);
  });

  it('chains: conv2 reads pool1, whose maximum is a ReLU of a conv1 unit', () => {
    const u = asConv(explainUnit(model, image, { layer: 'conv2', channel: 5, row: 4, col: 6 }));
    expect(u.source).toEqual({ layer: 'pool1', type: 'MaxPool2d', shape: [6, 14, 14] });
    expect(u.inputChannels).toEqual([0, 1, 2, 3, 4, 5]);
    expect(u.below.length).toBe(6 * 25);
    expect(u.below[0]).toEqual({ channel: 0, row: 4, col: 6 });
    const unit = u.below[31]!;
    const pool = asPool(explainUnit(model, image, { layer: 'pool1', ...unit }));
    expect(pool.value).toBe(u.window[unit.channel]![unit.row - 4]![unit.col - 6]);
    expect(pool.source.layer).toBe('relu1');
    const conv1 = asConv(explainUnit(model, image, { layer: 'conv1', channel: unit.channel, ...pool.argMax! }));
    expect(conv1.activation!.value).toBe(pool.value);
  });

  it('linear units list their largest contributions, placed in the feature maps before the flatten', () => {
    const u = asLinear(explainUnit(model, image, { layer: 'fc1', channel: 7, top: 5 }));
    const out = acts.get('fc1')!;
    expect(u.modelValue).toBe(out.data[7]);
    expect(close(u.preActivation, out.data[7]!, u.inputs)).toBe(true);
    expect(u.contributions.length).toBe(5);
    const mags = u.contributions.map((c) => Math.abs(c.product));
    expect(mags).toEqual([...mags].sort((a, b) => b - a));
    const first = u.contributions[0]!;
    expect(first.position).toEqual({ channel: Math.floor(first.index / 25), row: Math.floor(first.index / 5) % 5, col: first.index % 5 });
    expect(u.positionsIn).toEqual({ layer: 'pool2', type: 'MaxPool2d', shape: [16, 5, 5] });
    expect(first.input).toBe(acts.get('pool2')!.data[first.index]);
    expect(u.activation!.value).toBe(acts.get('relu3')!.data[7]);
    const fc3 = asLinear(explainUnit(model, image, { layer: 'fc3', channel: 0 }));
    expect(fc3.activation).toBe(null);
    expect(fc3.positionsIn).toBe(null);
  });

  it('names bad units and layers', () => {
    expect(() => explainUnit(model, image, { layer: 'conv2', channel: 16, row: 0, col: 0 })).toThrow("explainUnit(layer 'conv2'): channel must be an " +
      "integer in [0, 15] for output [1,16,10,10], got 16");
    expect(() => explainUnit(model, image, { layer: 'conv2', channel: 0 })).toThrow("explainUnit(layer 'conv2'): row must be an integer in [0, 9] for output [1,16,10,10], got -1");
    expect(() => explainUnit(model, image, { layer: 'relu1', channel: 0, row: 0, col: 0 })).toThrow("explainUnit(layer 'relu1'): explains Conv2d, MaxPool2d, AvgPool2d and Linear units, got a ReLU");
  });
});

describe('explainUnit with padding, stride, dilation, groups and average pooling', () => {
  manualSeed(8);
  const model = new Sequential(
    new Conv2d(4, 6, 3, { padding: 2, stride: 2, dilation: 2, groups: 2 }),
    new ReLU(),
    new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
    new AvgPool2d(2, { padding: 1, countIncludePad: false }),
    new MaxPool2d(3, { stride: 1, padding: 1 }),
    new Flatten(),
    new Linear(6 * 3 * 3, 2),
  );
  const x = Tensor.from(Array.from({ length: 4 * 11 * 11 }, (_, i) => Math.cos(i * 0.21)), [4, 11, 11]);
  const acts = captureActivations(model, x.reshape([1, 4, 11, 11]));

  it('every unit of every layer equals the model', () => {
    for (const layer of ['0', '2', '3', '4']) {
      const out = acts.get(layer)!;
      const [, c, h, w] = out.shape as [number, number, number, number];
      for (let ch = 0; ch < c; ch++) {
        for (let row = 0; row < h; row++) {
          for (let col = 0; col < w; col++) {
            const u = explainUnit(model, x, { layer, channel: ch, row, col });
            const want = out.data[(ch * h + row) * w + col]!;
            const got = u.kind === 'conv' ? u.preActivation : u.kind === 'linear' ? NaN : u.value;
            expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-5);
          }
        }
      }
    }
  });

  it('a padded conv window reads zeros outside the input; a group reads its own channels', () => {
    const u = asConv(explainUnit(model, x, { layer: '0', channel: 4, row: 0, col: 0 }));
    expect(u.rows).toEqual([-2, 0, 2]);
    expect(u.cols).toEqual([-2, 0, 2]);
    expect(u.inputChannels).toEqual([2, 3]);
    expect(u.window[0]![0]).toEqual([0, 0, 0]);
    expect(u.window[1]![1]![1]).toBe(x.data[3 * 121]);
    expect(u.below).toEqual([2, 3].flatMap((channel) => [0, 2].flatMap((row) => [0, 2].map((col) => ({ channel, row, col })))));
  });

  it("average pooling divides by PyTorch's divisor and marks padding as null", () => {
    const a = asPool(explainUnit(model, x, { layer: '2', channel: 0, row: 0, col: 0 }));
    expect(a.kind).toBe('avgpool');
    expect(a.window[0]).toEqual([null, null, null]);
    expect(a.divisor).toBe(9);
    const b = asPool(explainUnit(model, x, { layer: '3', channel: 1, row: 0, col: 0 }));
    expect(b.divisor).toBe(1);
    expect(b.argMax).toBe(null);
  });
});
