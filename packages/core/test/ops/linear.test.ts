import { describe, expect, it } from 'vitest';
import { ConvlabError, Tensor, linear } from '../../src/index.js';
import { loadTorchCases, relativeMaxError } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);

describe('linear matches PyTorch', () => {
  const cases = loadTorchCases('linear');
  it('covers layers with and without bias', () => {
    expect(cases.length).toBe(7);
    expect(cases.filter((c) => c.args.bias === false).length).toBe(2);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const [x, w] = [leaf(c.tensors.x!), leaf(c.tensors.weight!)];
    const b = c.tensors.bias === undefined ? null : leaf(c.tensors.bias);
    const y = linear(x, w, b);
    expect(relativeMaxError(y, c.tensors.out!)).toBeLessThanOrEqual(1e-4);
    y.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(1e-4);
    expect(relativeMaxError(w.grad!, c.tensors.grad_weight!)).toBeLessThanOrEqual(1e-4);
    if (b !== null) expect(relativeMaxError(b.grad!, c.tensors.grad_bias!)).toBeLessThanOrEqual(1e-4);
  });
});

describe('linear', () => {
  it('computes x·Wᵀ + b exactly and its three gradients', () => {
    const x = Tensor.from([[1, 2], [3, 4]], undefined, true);
    const w = Tensor.from([[1, 0], [0, 1], [1, 1]], undefined, true);
    const b = Tensor.from([10, 20, 30], undefined, true);
    const y = linear(x, w, b);
    expect(y.toArray()).toEqual([[11, 22, 33], [13, 24, 37]]);
    y.backward(Tensor.from([[1, 0, 1], [0, 1, 0]]));
    expect(x.grad!.toArray()).toEqual([[2, 1], [0, 1]]);
    expect(w.grad!.toArray()).toEqual([[1, 2], [3, 4], [1, 2]]);
    expect(b.grad!.toArray()).toEqual([1, 1, 1]);
  });
  it('passes a gradient check without bias', () => {
    const x = Tensor.from(Array.from({ length: 8 }, (_, i) => Math.sin(i)), [2, 4]);
    const w = Tensor.from(Array.from({ length: 12 }, (_, i) => Math.cos(i)), [3, 4]);
    expect(gradCheck(([a, c]) => linear(a!, c!, null), [x, w])).toBeLessThan(1e-2);
  });
  it('rejects wrong ranks, feature mismatches and bad bias shapes', () => {
    const w = Tensor.zeros([3, 4]);
    expect(() => linear(Tensor.zeros([2, 5]), w, null)).toThrow(ConvlabError);
    expect(() => linear(Tensor.zeros([2, 5]), w, null, 'Linear(4→3)')).toThrow('Linear(4→3): expected input with 4 features, got 5 (input shape [2,5])');
    expect(() => linear(Tensor.zeros([2, 1, 4]), w, null)).toThrow('linear: expected a 2-D input [N, 4], got shape [2,1,4] (flatten it first)');
    expect(() => linear(Tensor.zeros([2, 4]), Tensor.zeros([12]), null)).toThrow('linear: expected a 2-D weight [out, in], got shape [12]');
    expect(() => linear(Tensor.zeros([2, 4]), w, Tensor.zeros([4]))).toThrow('linear: expected a bias of shape [3], got [4]');
  });
});
