import { checkOptions, opt } from '../options.js';
import type { DataLoader } from '../data/data-loader.js';
import type { Module } from '../nn/module.js';
import { crossEntropy } from '../ops/cross-entropy.js';
import type { Tensor } from '../tensor.js';
import { inference } from './eval-mode.js';
import type { PassResult } from './history.js';
import { accuracy, type Metric } from './metrics.js';

/** A loss: a scalar tensor from the model's output and the labels. */
export type LossFunction = (output: Tensor, labels: Int32Array) => Tensor;

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Default cross-entropy. */
  readonly loss?: LossFunction;
  /** Default `[accuracy]`. */
  readonly metrics?: readonly Metric[];
}

/**
 * Mean loss and metrics of `model` over every batch of `data`, in evaluation mode without
 * gradients (the model's modes are restored afterwards). Outputs holding NaN or ±Infinity make
 * the loss NaN rather than an error, so a diverged model can still be scored.
 * @example evaluate(model, testLoader).metrics.accuracy
 */
export function evaluate(model: Module, data: DataLoader, options: EvaluateOptions = {}): PassResult {
  checkOptions('evaluate', options, { loss: opt.function, metrics: opt.array });
  const loss = options.loss ?? crossEntropy;
  const metrics = options.metrics ?? [accuracy];
  const start = performance.now();
  return inference(model, () => {
    let images = 0;
    let lossSum = 0;
    const sums = new Map(metrics.map((m) => [m.name, 0]));
    for (const { inputs, labels } of data) {
      const output = model.call(inputs);
      lossSum += output.data.every(Number.isFinite) ? loss(output, labels).item() * labels.length : NaN;
      for (const m of metrics) sums.set(m.name, sums.get(m.name)! + m.compute(output, labels) * labels.length);
      images += labels.length;
    }
    return {
      loss: lossSum / images,
      metrics: Object.fromEntries([...sums].map(([name, s]) => [name, s / images])),
      images,
      seconds: (performance.now() - start) / 1000,
    };
  });
}

/** The model's output for `inputs`, in evaluation mode without gradients. */
export function predict(model: Module, inputs: Tensor): Tensor {
  return inference(model, () => model.call(inputs));
}
