import { describe, expect, it } from 'vitest';
import { ConvlabError, Tensor, batchNorm2d, noGrad } from '../../src/index.js';
import { loadTorchCases, relativeMaxError } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const wave = (shape: number[], k = 1): Tensor =>
  Tensor.from(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(i * 1.3 * k) * 2 + (i % 3)), shape);

describe('batchNorm2d matches PyTorch', () => {
  const cases = loadTorchCases('batch_norm2d');
  it('covers training and eval, with and without affine parameters', () => {
    expect(cases.length).toBe(13);
    expect(cases.filter((c) => c.args.training === false).length).toBe(3);
    expect(cases.filter((c) => c.args.affine === false).length).toBe(3);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const t = c.tensors;
    const x = leaf(t.x!);
    const weight = t.weight === undefined ? null : leaf(t.weight);
    const bias = t.bias === undefined ? null : leaf(t.bias);
    const [runningMean, runningVar] = [t.running_mean!.clone(), t.running_var!.clone()];
    const options = { training: c.args.training as boolean, momentum: c.args.momentum as number, eps: c.args.eps as number };
    const y = batchNorm2d(x, runningMean, runningVar, weight, bias, options);
    expect(relativeMaxError(y, t.out!)).toBeLessThanOrEqual(1e-4);
    expect(relativeMaxError(runningMean, t.running_mean_after!)).toBeLessThanOrEqual(1e-4);
    expect(relativeMaxError(runningVar, t.running_var_after!)).toBeLessThanOrEqual(1e-4);
    y.backward(t.grad_out!);
    expect(relativeMaxError(x.grad!, t.grad_x!)).toBeLessThanOrEqual(1e-4);
    if (weight !== null) expect(relativeMaxError(weight.grad!, t.grad_weight!)).toBeLessThanOrEqual(1e-4);
    if (bias !== null) expect(relativeMaxError(bias.grad!, t.grad_bias!)).toBeLessThanOrEqual(1e-4);
  });
});

describe('batchNorm2d', () => {
  it('normalizes with the biased batch variance and updates running stats with the unbiased one', () => {
    // One channel holding 1, 2, 3, 4: mean 2.5, biased variance 1.25, unbiased 5/3.
    const x = Tensor.from([1, 2, 3, 4], [2, 1, 1, 2]);
    const runningMean = Tensor.zeros([1]);
    const runningVar = Tensor.full([1], 1);
    const y = batchNorm2d(x, runningMean, runningVar, null, null, { training: true, eps: 0 });
    const s = Math.sqrt(1.25);
    expect(Array.from(y.data)).toEqual([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s].map(Math.fround));
    expect(runningMean.data[0]).toBe(Math.fround(0.1 * 2.5));
    expect(runningVar.data[0]).toBe(Math.fround(0.9 + 0.1 * (5 / 3)));
  });

  it('uses the running statistics in eval mode and leaves them alone', () => {
    const x = Tensor.from([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const runningMean = Tensor.from([1, 2]);
    const runningVar = Tensor.from([4, 0.25]);
    const y = batchNorm2d(x, runningMean, runningVar, Tensor.from([2, 1]), Tensor.from([0, -1]), { training: false, eps: 0 });
    expect(Array.from(y.data)).toEqual([0, 1, 2, 3, 5, 7, 9, 11]);
    expect(Array.from(runningMean.data)).toEqual([1, 2]);
    expect(Array.from(runningVar.data)).toEqual([4, 0.25]);
  });

  it('still updates running statistics inside noGrad (inference in training mode)', () => {
    const runningMean = Tensor.zeros([1]);
    noGrad(() => batchNorm2d(Tensor.from([2, 4], [2, 1, 1, 1]), runningMean, null, null, null, { training: true, momentum: 0.5 }));
    expect(runningMean.data[0]).toBe(1.5);
  });

  it('passes gradient checks in training (through the batch statistics) and in eval', () => {
    const x = wave([3, 2, 2, 3]);
    const [w, b] = [Tensor.from([1.5, 0.7]), Tensor.from([0.2, -0.4])];
    expect(gradCheck(([a, c, d]) => batchNorm2d(a!, null, null, c!, d!, { training: true }), [x, w, b])).toBeLessThan(1e-2);
    expect(gradCheck(([a]) => batchNorm2d(a!, null, null, null, null, { training: true }), [wave([2, 3, 1, 2], 2)])).toBeLessThan(1e-2);
    const [rm, rv] = [Tensor.from([0.5, -1]), Tensor.from([2, 0.5])];
    expect(gradCheck(([a, c, d]) => batchNorm2d(a!, rm, rv, c!, d!, { training: false }), [x, w, b])).toBeLessThan(1e-2);
  });

  it('rejects wrong rank, channel mismatch, too few values and missing running stats', () => {
    const stats = (): [Tensor, Tensor] => [Tensor.zeros([3]), Tensor.full([3], 1)];
    expect(() => batchNorm2d(Tensor.zeros([4, 3]), ...stats(), null, null, { training: true })).toThrow(ConvlabError);
    expect(() => batchNorm2d(Tensor.zeros([4, 3]), ...stats(), null, null, { training: true }, 'BatchNorm2d(3)')).toThrow(
      'BatchNorm2d(3): expected a 4-D input [N, C, H, W], got shape [4,3]',
    );
    expect(() => batchNorm2d(Tensor.zeros([2, 4, 3, 3]), ...stats(), null, null, { training: true }, 'BatchNorm2d(3)')).toThrow(
      'BatchNorm2d(3): expected input with 3 channels, got 4 (input shape [2,4,3,3])',
    );
    expect(() => batchNorm2d(Tensor.zeros([2, 3, 3, 3]), ...stats(), Tensor.zeros([4]), null, { training: true })).toThrow(
      'batchNorm2d: expected weight of shape [3], got [4]',
    );
    expect(() => batchNorm2d(Tensor.zeros([1, 3, 1, 1]), ...stats(), null, null, { training: true })).toThrow(
      'batchNorm2d: training needs more than one value per channel to estimate a variance, got input shape [1,3,1,1]',
    );
    expect(() => batchNorm2d(Tensor.zeros([2, 3, 1, 1]), null, null, null, null, { training: false })).toThrow(
      'batchNorm2d: eval mode needs the running mean and variance, got none',
    );
    expect(() => batchNorm2d(Tensor.zeros([2, 3, 1, 1]), ...stats(), null, null, { training: true, momentum: 1.5 })).toThrow(
      'batchNorm2d: momentum must be in [0, 1], got 1.5',
    );
  });
});
