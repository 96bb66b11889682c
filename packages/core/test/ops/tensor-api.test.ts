import { describe, expect, it } from 'vitest';
import { add, arange, cat, expand, indexSelect, manualSeed, matmul, nn, F, optim, data, randn, randint, split, sum, tensor, Tensor, zeros, DataLoader, Conv2d, SGD } from '../../src/index.js';

describe('reading values', () => {
  const x = arange(24).reshape([2, 3, 4]);

  it('at() reads one value, negative indices from the end', () => {
    expect(x.at(1, 2, 3)).toBe(23);
    expect(x.at(-1, 0, -2)).toBe(14);
    expect(tensor(2.5).at()).toBe(2.5);
  });

  it('tolist() gives nested arrays, item() the single value', () => {
    expect(tensor([[1, 2], [3, 4]]).tolist()[1][0]).toBe(3);
    expect(x.sum().item()).toBe(276);
  });

  it('names the index that does not fit', () => {
    expect(() => x.at(0, 0)).toThrow('Tensor.at: expected 3 indices for shape [2,3,4], got 2 ([0,0])');
    expect(() => x.at(0, 3, 0)).toThrow('Tensor.at: index 3 is out of range for dim 1 of size 3 (shape [2,3,4])');
  });
});

describe('autograd helpers', () => {
  it('clone passes gradients, detach and requiresGrad_ make leaves', () => {
    const a = tensor([1, 2, 3]).requiresGrad_();
    a.clone().mul(a).sum().backward();
    expect(a.grad?.tolist()).toEqual([2, 4, 6]);
    expect(a.detach().requiresGrad).toBe(false);
    expect(() => a.mul(2).requiresGrad_(false)).toThrow('requiresGrad_: cannot turn off gradients of a tensor computed by an op (use detach())');
  });

  it('gradients through broadcasting come back in each operand\'s shape', () => {
    const a = zeros([2, 1, 3], { requiresGrad: true });
    const b = zeros([4, 1], { requiresGrad: true });
    add(a, b).backward(Tensor.full([2, 4, 3], 1));
    expect(a.grad?.shape).toEqual([2, 1, 3]);
    expect(a.grad?.tolist()).toEqual([[[4, 4, 4]], [[4, 4, 4]]]);
    expect(b.grad?.tolist()).toEqual([[6], [6], [6], [6]]);
  });
});

describe('errors name the op, the argument, what was expected and what came', () => {
  it.each([
    [() => add(zeros([2, 3]), zeros([4])), 'add: shapes [2,3] and [4] do not broadcast (size 3 vs 4 at dim -1)'],
    [() => matmul(zeros([2, 3]), zeros([4, 5])), 'matmul: inner dims differ: [2,3] · [4,5] needs 3 = 4'],
    [() => matmul(zeros([2, 2, 3]), zeros([3, 3, 1])), 'matmul: shapes [2] and [3] do not broadcast (size 2 vs 3 at dim -1)'],
    [() => sum(zeros([2, 3]), 2), 'sum: dim 2 is out of range for a 2-D tensor (expected -2..1)'],
    [() => sum(zeros([2, 3]), [0, -2]), 'sum: dim [0,-2] names a dimension twice'],
    [() => zeros([2, 3]).reshape([-1, -1]), 'reshape: only one dim may be -1, got [-1,-1]'],
    [() => zeros([2, 3]).reshape([4, -1]), 'reshape: cannot reshape [2,3] (6 values) to [4,-1]'],
    [() => expand(zeros([2, 3]), [4, 3]), 'expand: cannot expand shape [2,3] to [4,3] (only size-1 dims can grow, -1 keeps a size)'],
    [() => indexSelect(zeros([2, 3]), 1, [3]), 'indexSelect: index 3 is out of range for dim 1 of size 3 (shape [2,3])'],
    [() => split(zeros([5]), [2, 2]), 'split: sizes [2,2] must add up to 5, the size of dim 0 (shape [5])'],
    [() => cat([zeros([2, 3]), zeros([2, 4])]), 'cat: shapes must agree except along dim 0, got [2,3] and [2,4]'],
    [() => zeros([2, 3]).clamp(), 'clamp: expected at least one of min and max'],
    [() => F.pad(zeros([2, 3]), [1]), 'pad: expected whole-number (before, after) pairs for at most 2 dims, got [1]'],
    [() => randint(3, 3, [2]), 'randint: expected whole numbers low < high, got low 3 and high 3'],
    [() => zeros([2, -1]), 'zeros: shape must be a list of non-negative whole numbers, got [2,-1]'],
  ])('%#', (fn, message) => {
    expect(fn).toThrow(message);
  });
});

describe('factories are seeded', () => {
  it('repeat after manualSeed', () => {
    manualSeed(3);
    const first = randn([4]).tolist();
    manualSeed(3);
    expect(randn([4]).tolist()).toEqual(first);
  });
});

describe('namespaces mirror PyTorch with the same objects as the flat names', () => {
  it('nn, F, optim and data', () => {
    expect(nn.Conv2d).toBe(Conv2d);
    expect(optim.SGD).toBe(SGD);
    expect(data.DataLoader).toBe(DataLoader);
    expect(nn.functional).toBe(F);
    expect(Object.keys(F)).toContain('crossEntropy');
  });
});
