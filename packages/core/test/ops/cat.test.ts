import { describe, expect, it } from 'vitest';
import { cat, ConvlabError, Tensor } from '../../src/index.js';
import { gradCheck } from '../helpers/gradcheck.js';

const range = (shape: number[], start = 0): Tensor => Tensor.from(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => start + i), shape);

describe('cat', () => {
  it('stacks channels of [N, C, H, W] tensors in order', () => {
    const a = range([2, 1, 1, 2]);
    const b = range([2, 2, 1, 2], 100);
    const y = cat([a, b], 1);
    expect(y.shape).toEqual([2, 3, 1, 2]);
    expect(y.toArray()).toEqual([
      [[[0, 1]], [[100, 101]], [[102, 103]]],
      [[[2, 3]], [[104, 105]], [[106, 107]]],
    ]);
  });

  it('joins along any dimension, negative ones counted from the end', () => {
    expect(cat([range([2, 2]), range([2, 1], 10)], -1).toArray()).toEqual([[0, 1, 10], [2, 3, 11]]);
    expect(cat([range([1, 2]), range([2, 2], 10)], 0).toArray()).toEqual([[0, 1], [10, 11], [12, 13]]);
  });

  it('hands each input its slice of the gradient', () => {
    const err = gradCheck(([a, b, c]) => cat([a!, b!, c!], 1), [range([2, 3, 2, 2]), range([2, 1, 2, 2], 5), range([2, 2, 2, 2], -3)]);
    expect(err).toBeLessThan(1e-3);
    const a = new Tensor(new Float32Array(2), [1, 2], true);
    const b = new Tensor(new Float32Array(1), [1, 1], true);
    cat([a, b], 1).backward(Tensor.from([[1, 2, 3]]));
    expect([a.grad!.toArray(), b.grad!.toArray()]).toEqual([[[1, 2]], [[3]]]);
  });

  it('names the shapes that do not fit', () => {
    expect(() => cat([range([2, 3, 4, 4]), range([2, 3, 4, 5])], 1)).toThrow(ConvlabError);
    expect(() => cat([range([2, 3, 4, 4]), range([2, 3, 4, 5])], 1, 'inception3a.cat')).toThrow('inception3a.cat: shapes must agree except along dim 1, got [2,3,4,4] and [2,3,4,5]');
    expect(() => cat([range([2, 3])], 2)).toThrow('cat: dim 2 is out of range for shape [2,3]');
    expect(() => cat([])).toThrow('cat: expected at least one tensor');
  });
});
