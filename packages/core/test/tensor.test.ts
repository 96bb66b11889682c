import { describe, expect, it } from 'vitest';
import { ConvlabError, Parameter, Tensor, add, linear, noGrad, relu, withoutWeights, Linear } from '../src/index.js';
import { gradCheck } from './helpers/gradcheck.js';

describe('Tensor', () => {
  it('infers shapes from nested arrays and round-trips them', () => {
    const t = Tensor.from([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('rejects ragged arrays and wrong value counts', () => {
    expect(() => Tensor.from([[1, 2], [3]])).toThrow(ConvlabError);
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow('shape [2,3] needs 6 values, got 5');
  });

  it('reshape infers -1 and passes gradients through', () => {
    const x = Tensor.from([1, -2, 3, -4, 5, -6], [2, 3], true);
    const y = relu(x.reshape([3, -1]));
    expect(y.shape).toEqual([3, 2]);
    y.backward(Tensor.full([3, 2], 1));
    expect(Array.from(x.grad!.data)).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('accumulates leaf gradients across backward calls like PyTorch', () => {
    const x = Tensor.from([1, 2], [1, 2], true);
    const w = Tensor.from([3, 4], [1, 2], true);
    linear(x, w, null).backward();
    linear(x, w, null).backward();
    expect(Array.from(w.grad!.data)).toEqual([2, 4]);
  });

  it('sums gradients of a tensor used twice', () => {
    const x = Tensor.from([1, 2, 3], [3], true);
    add(x, x).backward(Tensor.full([3], 1));
    expect(Array.from(x.grad!.data)).toEqual([2, 2, 2]);
  });

  it('records nothing inside noGrad', () => {
    const x = Tensor.from([1, 2], [2], true);
    const y = noGrad(() => relu(x));
    expect(y.requiresGrad).toBe(false);
    expect(() => y.backward(Tensor.full([2], 1))).toThrow('does not require gradients');
  });

  it('builds meta parameters inside withoutWeights', () => {
    const layer = withoutWeights(() => new Linear(4096, 4096));
    expect(layer.weight).toBeInstanceOf(Parameter);
    expect(layer.weight.isMeta).toBe(true);
    expect(() => layer.weight.data).toThrow('meta tensor');
  });

  it('linear passes a finite-difference gradient check', () => {
    const x = Tensor.from(Array.from({ length: 12 }, (_, i) => Math.sin(i)), [3, 4]);
    const w = Tensor.from(Array.from({ length: 20 }, (_, i) => Math.cos(i)), [5, 4]);
    const b = Tensor.from([0.1, -0.2, 0.3, 0, 0.5], [5]);
    expect(gradCheck(([a, c, d]) => linear(a!, c!, d!), [x, w, b])).toBeLessThan(1e-2);
  });
});
