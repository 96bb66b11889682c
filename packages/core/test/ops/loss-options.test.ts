import { describe, expect, it } from 'vitest';
import {
  Tensor,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  huberLoss,
  klDiv,
  l1Loss,
  mse,
  nllLoss,
  smoothL1Loss,
  type KlDivOptions,
} from '../../src/index.js';
import { loadTorchCases, relativeMaxError, type TorchCase } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const wave = (shape: number[], phase: number, scale = 1.5): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return Tensor.from(Array.from({ length: n }, (_, i) => Math.sin(i * 0.77 + phase) * scale), shape);
};
/** The case's options: its args (minus bookkeeping) plus the tensors they name (weight, posWeight). */
function optionsOf(c: TorchCase): Record<string, unknown> {
  const { tensorOptions, ...rest } = c.args as { tensorOptions: string[] } & Record<string, unknown>;
  return { ...rest, ...Object.fromEntries(tensorOptions.map((k) => [k, c.tensors[k]])) };
}

type Loss = (x: Tensor, target: Tensor, options: never) => Tensor;
const pointwise: Record<string, Loss> = {
  mse,
  l1_loss: l1Loss,
  smooth_l1_loss: smoothL1Loss,
  huber_loss: huberLoss,
  binary_cross_entropy: binaryCrossEntropy,
  binary_cross_entropy_with_logits: binaryCrossEntropyWithLogits,
  kl_div: klDiv as Loss,
};

describe('loss options match PyTorch', () => {
  const classCases = loadTorchCases('loss_class_options');
  const pointCases = loadTorchCases('loss_pointwise');

  it('covers every reduction, weights, ignoreIndex, label smoothing, probabilities and spatial inputs', () => {
    expect(classCases.length).toBe(29);
    expect(pointCases.length).toBe(39);
    const ce = classCases.filter((c) => c.op === 'cross_entropy');
    expect(new Set(ce.map((c) => c.args.reduction))).toEqual(new Set(['none', 'mean', 'sum']));
    expect(ce.filter((c) => c.tensors.target !== undefined).length).toBe(6);
    expect(ce.filter((c) => c.args.labelSmoothing !== undefined).length).toBeGreaterThanOrEqual(6);
    expect(classCases.filter((c) => c.op === 'nll_loss' && c.tensors.weight !== undefined).length).toBeGreaterThanOrEqual(4);
    expect(classCases.filter((c) => c.tensors.x!.rank === 4).length).toBeGreaterThanOrEqual(5);
    expect(new Set(pointCases.map((c) => c.op))).toEqual(new Set(Object.keys(pointwise)));
    expect(pointCases.filter((c) => c.tensors.posWeight !== undefined).length).toBe(3);
  });

  it.each(classCases.map((c, i) => [c.name, c, i] as const))('%s', (_, c, i) => {
    const x = leaf(c.tensors.x!);
    const options = optionsOf(c);
    const probabilities = c.tensors.target === undefined ? null : leaf(c.tensors.target);
    // Labels alternate between a Tensor and a plain array, both accepted.
    const labels = c.tensors.labels === undefined ? null : i % 2 === 0 ? c.tensors.labels : Array.from(c.tensors.labels.data);
    const loss = c.op === 'cross_entropy' ? crossEntropy(x, probabilities ?? labels!, options) : nllLoss(x, labels!, options);
    expect(loss.shape).toEqual(c.tensors.out!.shape);
    expect(relativeMaxError(loss, c.tensors.out!)).toBeLessThanOrEqual(1e-5);
    loss.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(1e-5);
    if (probabilities !== null) expect(relativeMaxError(probabilities.grad!, c.tensors.grad_target!)).toBeLessThanOrEqual(1e-5);
  });

  it.each(pointCases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const x = leaf(c.tensors.x!);
    const target = leaf(c.tensors.target!);
    const loss = pointwise[c.op]!(x, target, optionsOf(c) as never);
    expect(loss.shape).toEqual(c.tensors.out!.shape);
    expect(relativeMaxError(loss, c.tensors.out!)).toBeLessThanOrEqual(1e-5);
    loss.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(1e-5);
    expect(relativeMaxError(target.grad!, c.tensors.grad_target!)).toBeLessThanOrEqual(1e-5);
  });
});

describe('loss options: gradient checks', () => {
  it('crossEntropy with weight, ignoreIndex and smoothing, on labels and on probabilities', () => {
    const x = wave([3, 4, 2], 0.3);
    const weight = Tensor.from([0.5, 1, 2, 1.5]);
    const labels = Tensor.from([[0, 3], [-1, 2], [1, 1]]);
    expect(gradCheck(([a]) => crossEntropy(a!, labels, { weight, ignoreIndex: -1, labelSmoothing: 0.2 }), [x])).toBeLessThan(1e-2);
    expect(gradCheck(([a]) => crossEntropy(a!, labels, { ignoreIndex: -1, reduction: 'none' }), [x])).toBeLessThan(1e-2);
    const t = Tensor.from(Array.from({ length: 24 }, (_, i) => ((i * 7) % 5) / 10), [3, 4, 2]);
    expect(gradCheck(([a, b]) => crossEntropy(a!, b!, { weight, labelSmoothing: 0.1 }), [x, t])).toBeLessThan(1e-2);
  });

  it('nllLoss with weight and ignoreIndex', () => {
    const x = wave([4, 3], 1);
    expect(gradCheck(([a]) => nllLoss(a!, [2, 255, 0, 1], { weight: Tensor.from([1, 2, 3]), ignoreIndex: 255 }), [x])).toBeLessThan(1e-2);
  });

  it('the point-wise losses, for both inputs', () => {
    const x = wave([2, 5], 0.2);
    const t = wave([2, 5], 1.9, 1);
    const probs = Tensor.from(Array.from({ length: 10 }, (_, i) => 0.1 + 0.08 * i), [2, 5]);
    const soft = Tensor.from(Array.from({ length: 10 }, (_, i) => 0.05 + 0.09 * ((i * 3) % 10)), [2, 5]);
    const eps = { eps: 1e-3 };
    expect(gradCheck(([a, b]) => l1Loss(a!, b!, 'sum'), [x, t], eps)).toBeLessThan(1e-2);
    expect(gradCheck(([a, b]) => smoothL1Loss(a!, b!, { beta: 0.7 }), [x, t], eps)).toBeLessThan(1e-2);
    expect(gradCheck(([a, b]) => huberLoss(a!, b!, { delta: 0.6, reduction: 'none' }), [x, t], eps)).toBeLessThan(1e-2);
    expect(gradCheck(([a, b]) => binaryCrossEntropy(a!, b!, { weight: Tensor.from([1, 2, 1, 0.5, 1]) }), [probs, soft], eps)).toBeLessThan(1e-2);
    expect(gradCheck(([a, b]) => binaryCrossEntropyWithLogits(a!, b!, { posWeight: Tensor.from([1, 2, 3, 0.5, 1]) }), [x, soft])).toBeLessThan(1e-2);
    const options: KlDivOptions = { reduction: 'batchmean' };
    expect(gradCheck(([a, b]) => klDiv(a!, b!, options), [x, soft])).toBeLessThan(1e-2);
    expect(gradCheck(([a, b]) => klDiv(a!, b!, { logTarget: true, reduction: 'sum' }), [x, t])).toBeLessThan(1e-2);
  });
});

describe('loss options: exact values and errors', () => {
  it('ignored labels add nothing and leave the mean over the others', () => {
    const logits = Tensor.zeros([3, 4]);
    expect(crossEntropy(logits, [0, -100, 3]).item()).toBe(Math.fround(Math.log(4)));
    expect(crossEntropy(logits, [0, -100, 3], 'none').toArray()).toEqual([Math.log(4), 0, Math.log(4)].map(Math.fround));
    expect(nllLoss(Tensor.from([[-1, -2], [-3, -4]]), Tensor.from([1, 0]), { weight: Tensor.from([3, 1]) }).item()).toBe((2 + 9) / 4);
  });

  it('names the loss, the argument, what was expected and what came', () => {
    const logits = Tensor.zeros([2, 3]);
    expect(() => crossEntropy(logits, [0, 1], { reduction: 'avg' as 'mean' })).toThrow(
      'crossEntropy: option reduction must be \'none\', \'mean\' or \'sum\', got "avg" (a string)',
    );
    expect(() => crossEntropy(logits, [0, 1], { label_smoothing: 0.1 } as never)).toThrow(
      'crossEntropy: unknown option label_smoothing, did you mean labelSmoothing?',
    );
    expect(() => crossEntropy(logits, [0, 1], { smoothing: 0.1 } as never)).toThrow(
      'crossEntropy: unknown option smoothing (known options: reduction, weight, ignoreIndex, labelSmoothing)',
    );
    expect(() => crossEntropy(logits, [0, 1], { labelSmoothing: 1.5 })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got 1.5');
    expect(() => crossEntropy(logits, [0, 1], { weight: Tensor.full([2], 1) })).toThrow('crossEntropy: expected weight of shape [3] (one per class), got [2]');
    expect(() => crossEntropy(logits, [0, 7], { ignoreIndex: 255 })).toThrow('crossEntropy: label 1 is 7, expected an integer in [0, 2] or ignoreIndex 255');
    expect(() => crossEntropy(logits, Tensor.zeros([2, 1]))).toThrow(
      'crossEntropy: expected labels of shape [2] or class probabilities of shape [2,3], got [2,1]',
    );
    expect(() => crossEntropy(logits, Tensor.zeros([2, 3]), { ignoreIndex: 0 })).toThrow(
      'crossEntropy: ignoreIndex cannot be used with class-probability targets, got ignoreIndex 0',
    );
    expect(() => crossEntropy(Tensor.zeros([1, 3, 2]), Tensor.from([[0, 5]]))).toThrow('crossEntropy: label at [0,1] is 5, expected an integer in [0, 2]');
    expect(() => nllLoss(logits, Tensor.zeros([2, 3]))).toThrow(
      "nllLoss: expected integer labels of shape [2], got a Tensor of the input's shape [2,3] (class probabilities need crossEntropy)",
    );
    expect(() => nllLoss(logits, [0, 1], { weight: [1, 2, 3] } as never)).toThrow('nllLoss: option weight must be a Tensor or null, got [1,2,3] (an array)');
    expect(() => binaryCrossEntropy(Tensor.from([0.5, 1.2]), Tensor.zeros([2]))).toThrow(
      'binaryCrossEntropy: expected probabilities in [0, 1], got 1.2000000476837158 at [1] (input shape [2])',
    );
    expect(() => binaryCrossEntropyWithLogits(Tensor.zeros([2, 3]), Tensor.zeros([2, 3]), { pos_weight: Tensor.full([3], 1) } as never)).toThrow(
      'binaryCrossEntropyWithLogits: unknown option pos_weight, did you mean posWeight?',
    );
    expect(() => binaryCrossEntropyWithLogits(Tensor.zeros([2, 3]), Tensor.zeros([2, 3]), { posWeight: Tensor.full([2], 1) })).toThrow(
      "binaryCrossEntropyWithLogits: posWeight of shape [2] does not broadcast to the input's shape [2,3]",
    );
    expect(() => smoothL1Loss(Tensor.zeros([2]), Tensor.zeros([2]), { beta: -1 })).toThrow('smoothL1Loss: beta must be a finite number ≥ 0, got -1');
    expect(() => huberLoss(Tensor.zeros([2]), Tensor.zeros([2]), { delta: 0 })).toThrow('huberLoss: delta must be a finite number > 0, got 0');
    expect(() => klDiv(Tensor.zeros([2]), Tensor.zeros([2]), { log_target: true } as never)).toThrow('klDiv: unknown option log_target, did you mean logTarget?');
    expect(() => l1Loss(Tensor.zeros([2]), Tensor.zeros([3]))).toThrow("l1Loss: expected target of shape [2] (the prediction's), got [3]");
    expect(() => mse(Tensor.zeros([2]), Tensor.zeros([2]), 5 as never)).toThrow('mse: options must be an object like { reduction }, got 5');
  });
});
