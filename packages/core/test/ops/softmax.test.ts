import { describe, expect, it } from 'vitest';
import { ConvlabError, Tensor, logSoftmax, softmax } from '../../src/index.js';
import { loadTorchCases, relativeMaxError } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const ops = { softmax, log_softmax: logSoftmax } as const;

describe('softmax and logSoftmax match PyTorch', () => {
  const cases = loadTorchCases('softmax');
  it('covers both ops along every kind of dim', () => {
    expect(cases.length).toBe(22);
    expect(new Set(cases.map((c) => c.args.dim))).toEqual(new Set([0, 1, 2, -1]));
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const x = leaf(c.tensors.x!);
    const y = ops[c.op as keyof typeof ops](x, c.args.dim as number);
    expect(relativeMaxError(y, c.tensors.out!)).toBeLessThanOrEqual(1e-4);
    y.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(1e-4);
  });
});

describe('softmax', () => {
  it('gives exact probabilities along the chosen dim', () => {
    const x = Tensor.from([[0, Math.log(2)], [Math.log(3), 0]]);
    expect(softmax(x, 1).toArray()).toEqual([[1 / 3, 2 / 3], [3 / 4, 1 / 4]].map((r) => r.map(Math.fround)));
    expect(softmax(x, 0).toArray()).toEqual([[1 / 4, 2 / 3], [3 / 4, 1 / 3]].map((r) => r.map(Math.fround)));
    expect(softmax(x, -2).toArray()).toEqual(softmax(x, 0).toArray());
  });
  it('is stable for huge logits (no overflow to NaN)', () => {
    expect(Array.from(softmax(Tensor.from([[1000, 1000, -1000]]), 1).data)).toEqual([0.5, 0.5, 0]);
  });
  it('passes gradient checks along dims 0, 1 and 3', () => {
    const x = Tensor.from(Array.from({ length: 2 * 3 * 2 * 4 }, (_, i) => Math.sin(i * 1.7) * 2), [2, 3, 2, 4]);
    for (const dim of [0, 1, 3]) expect(gradCheck(([a]) => softmax(a!, dim), [x])).toBeLessThan(1e-2);
  });
});

describe('logSoftmax', () => {
  it('keeps very negative log-probabilities exact', () => {
    expect(Array.from(logSoftmax(Tensor.from([[0, -200]]), 1).data)).toEqual([0, -200]);
    expect(Array.from(logSoftmax(Tensor.from([2, 2, 2, 2]), 0).data)).toEqual(Array(4).fill(Math.fround(-Math.log(4))));
  });
  it('passes gradient checks along dims 1 and -1', () => {
    const x = Tensor.from(Array.from({ length: 3 * 5 * 2 }, (_, i) => Math.cos(i * 0.9) * 3), [3, 5, 2]);
    for (const dim of [1, -1]) expect(gradCheck(([a]) => logSoftmax(a!, dim), [x])).toBeLessThan(1e-2);
  });
});

describe('softmax errors', () => {
  it('rejects a dim out of range, a fractional dim and a scalar', () => {
    const x = Tensor.zeros([4, 10]);
    expect(() => softmax(x, 2)).toThrow(ConvlabError);
    expect(() => softmax(x, 2)).toThrow('softmax: dim must be an integer in [-2, 1] for input shape [4,10], got 2');
    expect(() => logSoftmax(x, -3)).toThrow('logSoftmax: dim must be an integer in [-2, 1] for input shape [4,10], got -3');
    expect(() => softmax(x, 0.5)).toThrow('got 0.5');
    expect(() => softmax(Tensor.from([1], []), 0)).toThrow('softmax: expected a tensor with at least one dimension, got a scalar (shape [])');
  });
});
