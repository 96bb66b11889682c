import { describe, expect, it } from 'vitest';
import { linear, maxPool2d, MAX_TENSOR_ELEMENTS, Tensor, type Pool2dOptions } from '../src/index.js';

describe('clear errors instead of raw TypeErrors and RangeErrors (issue 16 item 13)', () => {
  it('maxPool2d with a number instead of options', () => {
    const x = Tensor.zeros([1, 1, 4, 4]);
    expect(() => maxPool2d(x, 2 as unknown as Pool2dOptions)).toThrow('maxPool2d: options must be an object like { kernelSize, stride }, got 2');
  });

  it('linear without a bias, as torch.nn.functional.linear', () => {
    const y = linear(Tensor.from([[1, 2]]), Tensor.from([[3, 4], [5, 6]]));
    expect(Array.from(y.data)).toEqual([11, 17]);
  });

  it('negative and non-integer sizes', () => {
    expect(() => Tensor.zeros([-1, 2])).toThrow('Tensor.zeros: shape [-1,2] must hold non-negative integers');
    expect(() => Tensor.full([1.5], 0)).toThrow('Tensor.full: shape [1.5] must hold non-negative integers');
  });

  it('values that are not numbers', () => {
    expect(() => Tensor.from(['a'] as unknown as number[], [1])).toThrow('Tensor.from: value 0 is "a", expected a number');
    expect(() => Tensor.from([1, null] as unknown as number[], [2])).toThrow('Tensor.from: value 1 is null, expected a number');
  });

  it('a size guard with the op named', () => {
    expect(MAX_TENSOR_ELEMENTS).toBe(2 ** 30);
    expect(() => Tensor.full([2 ** 31], 1)).toThrow('Tensor.full: shape [2147483648] holds 2147483648 elements, more than the limit of 1073741824 (4 GiB of float32)');
    expect(() => Tensor.zeros([2 ** 20, 2 ** 20])).toThrow('Tensor.zeros: shape [1048576,1048576] holds 1099511627776 elements, more than the limit');
    expect(Tensor.meta([2 ** 20, 2 ** 20]).size).toBe(2 ** 40);
  });
});
