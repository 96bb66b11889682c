import { describe, expect, it } from 'vitest';
import { ConvlabError, Tensor, leakyRelu, relu, sigmoid, tanh } from '../../src/index.js';
import { loadTorchCases, relativeMaxError, type TorchCase } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const ops: Record<string, (x: Tensor, c: TorchCase) => Tensor> = {
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => tanh(x),
  relu: (x) => relu(x),
  leaky_relu: (x, c) => leakyRelu(x, c.args.negative_slope as number),
};

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
/** Values in ±[0.1, 2.1]: far enough from 0 that ReLU-like kinks stay outside the difference step. */
const awayFromZero = (shape: number[]): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return Tensor.from(Array.from({ length: n }, (_, i) => (i % 3 === 1 ? -1 : 1) * (0.1 + ((i * 0.37) % 2))), shape);
};

describe('activations match PyTorch', () => {
  const cases = loadTorchCases('elementwise').filter((c) => c.op in ops);
  it('has a fixture for every activation', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(ops)));
    expect(cases.length).toBe(17);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const x = leaf(c.tensors.x!);
    const y = ops[c.op]!(x, c);
    expect(relativeMaxError(y, c.tensors.out!)).toBeLessThanOrEqual(1e-4);
    y.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(1e-4);
  });
});

describe('sigmoid', () => {
  it('gives exact values and saturates without overflow', () => {
    const y = sigmoid(Tensor.from([0, Math.log(3), -Math.log(3), 1000, -1000]));
    expect(Array.from(y.data)).toEqual([0.5, 0.75, 0.25, 1, 0].map(Math.fround));
  });
  it('passes a gradient check', () => {
    expect(gradCheck(([x]) => sigmoid(x!), [awayFromZero([2, 3, 4])])).toBeLessThan(1e-2);
  });
});

describe('tanh', () => {
  it('gives exact values', () => {
    expect(Array.from(tanh(Tensor.from([0, Math.atanh(0.5), -Math.atanh(0.25), 50])).data)).toEqual([0, 0.5, -0.25, 1]);
  });
  it('has derivative 1 − tanh² (1 at zero, 0.75 where tanh is 0.5)', () => {
    const x = Tensor.from([0, Math.atanh(0.5)], [2], true);
    tanh(x).backward(Tensor.full([2], 1));
    expect(Array.from(x.grad!.data)).toEqual([1, 0.75]);
  });
  it('passes a gradient check', () => {
    expect(gradCheck(([x]) => tanh(x!), [awayFromZero([3, 5])])).toBeLessThan(1e-2);
  });
});

describe('leakyRelu', () => {
  it('scales negatives by the slope, default 0.01, and routes gradients the same way', () => {
    const x = Tensor.from([-2, -0.5, 0, 3], [4], true);
    const y = leakyRelu(x);
    expect(Array.from(y.data)).toEqual([-0.02, -0.005, 0, 3].map(Math.fround));
    y.backward(Tensor.from([1, 2, 3, 4]));
    expect(Array.from(x.grad!.data)).toEqual([0.01, 0.02, 0.03, 4].map(Math.fround));
    expect(Array.from(leakyRelu(Tensor.from([-4, 4]), 0.25).data)).toEqual([-1, 4]);
  });
  it('passes a gradient check', () => {
    expect(gradCheck(([x]) => leakyRelu(x!, 0.2), [awayFromZero([2, 2, 3, 3])])).toBeLessThan(1e-2);
  });
  it('rejects a non-finite slope', () => {
    expect(() => leakyRelu(Tensor.from([1]), Number.NaN)).toThrow(ConvlabError);
    expect(() => leakyRelu(Tensor.from([1]), Number.NaN)).toThrow('leakyRelu: negativeSlope must be a finite number, got NaN');
  });
});

describe('relu', () => {
  it('passes a gradient check', () => {
    expect(gradCheck(([x]) => relu(x!), [awayFromZero([4, 5])])).toBeLessThan(1e-2);
  });
});
