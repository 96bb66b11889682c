import { describe, expect, it } from 'vitest';
import { ConvlabError, Tensor, crossEntropy, logSoftmax, mse, nllLoss, type Reduction } from '../../src/index.js';
import { loadTorchCases, relativeMaxError, type TorchCase } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const reductionOf = (c: TorchCase): Reduction => c.args.reduction as Reduction;

describe('losses match PyTorch', () => {
  const cases = loadTorchCases('losses');
  it('covers cross-entropy, NLL and MSE with both reductions', () => {
    expect(cases.length).toBe(18);
    for (const op of ['cross_entropy', 'nll_loss', 'mse']) {
      expect(new Set(cases.filter((c) => c.op === op).map(reductionOf))).toEqual(new Set(['mean', 'sum']));
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const x = leaf(c.tensors.x!);
    const target = c.tensors.target === undefined ? null : leaf(c.tensors.target);
    const labels = c.args.labels as number[];
    const loss =
      c.op === 'cross_entropy' ? crossEntropy(x, labels, reductionOf(c))
      : c.op === 'nll_loss' ? nllLoss(x, labels, reductionOf(c))
      : mse(x, target!, reductionOf(c));
    expect(loss.shape).toEqual([]);
    expect(relativeMaxError(loss, c.tensors.out!)).toBeLessThanOrEqual(1e-4);
    loss.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(1e-4);
    if (target !== null) expect(relativeMaxError(target.grad!, c.tensors.grad_target!)).toBeLessThanOrEqual(1e-4);
  });
});

describe('crossEntropy', () => {
  it('is log C for uniform logits, and sums with reduction sum', () => {
    const logits = Tensor.zeros([2, 4]);
    expect(crossEntropy(logits, [0, 3]).item()).toBe(Math.fround(Math.log(4)));
    expect(crossEntropy(logits, [0, 3], 'sum').item()).toBe(Math.fround(2 * Math.log(4)));
  });

  it('has gradient (softmax − one-hot)/N', () => {
    const logits = Tensor.from([[0, Math.log(3)], [0, 0]], undefined, true);
    crossEntropy(logits, [0, 1]).backward();
    expect(logits.grad!.toArray()).toEqual([[(0.25 - 1) / 2, 0.75 / 2], [0.25, -0.25]].map((r) => r.map(Math.fround)));
  });

  it('equals nllLoss of logSoftmax, and stays finite for huge logits', () => {
    const logits = Tensor.from([[2, -1, 0.5], [0.1, 0.2, 3]]);
    expect(crossEntropy(logits, [2, 0]).item()).toBeCloseTo(nllLoss(logSoftmax(logits, 1), [2, 0]).item(), 6);
    expect(crossEntropy(Tensor.from([[1e4, 0, -1e4]]), [1]).item()).toBe(1e4);
  });

  it('passes gradient checks (mean and sum)', () => {
    const x = Tensor.from(Array.from({ length: 15 }, (_, i) => Math.sin(i) * 2), [3, 5]);
    expect(gradCheck(([a]) => crossEntropy(a!, [4, 0, 2]), [x])).toBeLessThan(1e-2);
    expect(gradCheck(([a]) => crossEntropy(a!, [1, 1, 3], 'sum'), [x])).toBeLessThan(1e-2);
  });
});

describe('nllLoss', () => {
  it('is minus the mean picked log-probability', () => {
    const x = Tensor.from([[-1, -2], [-3, -4]], undefined, true);
    const loss = nllLoss(x, [1, 0]);
    expect(loss.item()).toBe(2.5);
    loss.backward();
    expect(x.grad!.toArray()).toEqual([[0, -0.5], [-0.5, 0]]);
    expect(nllLoss(x, [1, 0], 'sum').item()).toBe(5);
  });

  it('passes a gradient check', () => {
    const x = Tensor.from(Array.from({ length: 12 }, (_, i) => -Math.abs(Math.cos(i))), [4, 3]);
    expect(gradCheck(([a]) => nllLoss(a!, [0, 2, 1, 2]), [x])).toBeLessThan(1e-2);
  });
});

describe('mse', () => {
  it('averages squared differences and sends 2·(p − t)/M to the prediction, the opposite to the target', () => {
    const p = Tensor.from([[1, 2], [3, 4]], undefined, true);
    const t = Tensor.from([[1, 0], [5, 4]], undefined, true);
    const loss = mse(p, t);
    expect(loss.shape).toEqual([]);
    expect(loss.item()).toBe(2);
    loss.backward();
    expect(p.grad!.toArray()).toEqual([[0, 1], [-1, 0]]);
    expect(t.grad!.toArray()).toEqual([[-0, -1], [1, -0]]);
    expect(mse(p, t, 'sum').item()).toBe(8);
  });

  it('passes a gradient check for both inputs', () => {
    const p = Tensor.from(Array.from({ length: 12 }, (_, i) => Math.sin(i)), [2, 2, 3]);
    const t = Tensor.from(Array.from({ length: 12 }, (_, i) => Math.cos(i)), [2, 2, 3]);
    expect(gradCheck(([a, b]) => mse(a!, b!, 'sum'), [p, t])).toBeLessThan(1e-2);
  });
});

describe('loss errors', () => {
  const logits = Tensor.zeros([3, 4]);
  it('rejects labels out of range, non-integer labels and the wrong number of labels', () => {
    expect(() => crossEntropy(logits, [0, 4, 1])).toThrow(ConvlabError);
    expect(() => crossEntropy(logits, [0, 4, 1])).toThrow('crossEntropy: label 1 is 4, expected an integer in [0, 3]');
    expect(() => nllLoss(logits, [0, -1, 1])).toThrow('nllLoss: label 1 is -1, expected an integer in [0, 3]');
    expect(() => crossEntropy(logits, [0, 1, 2.5])).toThrow('crossEntropy: label 2 is 2.5, expected an integer in [0, 3]');
    expect(() => crossEntropy(logits, Int32Array.from([0, 1]))).toThrow('crossEntropy: expected 3 labels (one per sample), got 2');
  });

  it('rejects NaN and ±Infinity, naming the loss and the first bad position', () => {
    const bad = Tensor.zeros([3, 4]);
    bad.data[6] = Number.NaN;
    bad.data[9] = Number.POSITIVE_INFINITY;
    expect(() => crossEntropy(bad, [0, 1, 2])).toThrow('crossEntropy: expected finite logits, got NaN at [1,2] (logits shape [3,4])');
    expect(() => nllLoss(bad, [0, 1, 2])).toThrow('nllLoss: expected finite log-probabilities, got NaN at [1,2] (log-probabilities shape [3,4])');
    const inf = Tensor.zeros([2, 3]);
    inf.data[4] = Number.NEGATIVE_INFINITY;
    expect(() => mse(Tensor.zeros([2, 3]), inf)).toThrow('mse: expected finite target, got -Infinity at [1,1] (target shape [2,3])');
    expect(() => mse(inf, Tensor.zeros([2, 3]))).toThrow('mse: expected finite prediction, got -Infinity at [1,1] (prediction shape [2,3])');
  });

  it('rejects wrong ranks, mismatched shapes, empty inputs and unknown reductions', () => {
    expect(() => crossEntropy(Tensor.zeros([4]), [0])).toThrow('crossEntropy: expected logits of shape [N, C] or [N, C, d1, …], got [4]');
    expect(() => crossEntropy(Tensor.zeros([2, 3, 4]), [0, 1])).toThrow('crossEntropy: expected 8 labels (one per position of [2,4]), got 2');
    expect(() => nllLoss(Tensor.zeros([4]), [0])).toThrow('nllLoss: expected log-probabilities of shape [N, C] or [N, C, d1, …], got [4]');
    expect(() => crossEntropy(Tensor.zeros([0, 3]), [])).toThrow('crossEntropy: expected at least one sample and one class, got logits shape [0,3]');
    expect(() => mse(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))).toThrow('mse: expected target of shape [2,3] (the prediction\'s), got [3,2]');
    expect(() => mse(Tensor.zeros([6]), Tensor.zeros([6, 1]))).toThrow('mse: expected target of shape [6] (the prediction\'s), got [6,1]');
    expect(() => mse(Tensor.zeros([0]), Tensor.zeros([0]))).toThrow('mse: expected at least one element, got shape [0]');
    expect(() => crossEntropy(logits, [0, 1, 2], 'avg' as Reduction)).toThrow('crossEntropy: option reduction must be \'none\', \'mean\' or \'sum\', got "avg" (a string)');
  });
});
