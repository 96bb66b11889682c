import { checkOptions, opt } from '../options.js';
import { DataLoader } from '../data/data-loader.js';
import { fail } from '../errors.js';
import { randomLayers } from '../nn/dropout.js';
import type { Module } from '../nn/module.js';
import { crossEntropy } from '../ops/cross-entropy.js';
import { formatIndex } from '../ops/finite.js';
import { LRScheduler } from '../optim/lr-scheduler.js';
import { ReduceLROnPlateau } from '../optim/reduce-lr-on-plateau.js';
import { Optimizer } from '../optim/optimizer.js';
import { Generator as RandomGenerator } from '../random.js';
import type { Tensor } from '../tensor.js';
import type { BatchProgress, Callback, TrainingControl } from './callbacks.js';
import { evaluate, type LossFunction } from './evaluate.js';
import type { EpochRecord, History } from './history.js';
import { accuracy, type Metric } from './metrics.js';

/** Options of {@link fit}. */
export interface FitOptions {
  readonly train: DataLoader;
  /** Evaluated after every epoch, when given. */
  readonly validation?: DataLoader;
  readonly optimizer: Optimizer;
  /** Default cross-entropy. */
  readonly loss?: LossFunction;
  /** Default 1. */
  readonly epochs?: number;
  /** Measured on every batch and validation pass. Default `[accuracy]`. */
  readonly metrics?: readonly Metric[];
  readonly callbacks?: readonly Callback[];
  /** Stepped after every epoch; a ReduceLROnPlateau with the validation loss (the training loss without validation). */
  readonly scheduler?: LRScheduler | ReduceLROnPlateau;
  /**
   * Cancels training, as `fetch`'s `signal` cancels a request: checked before the first batch and
   * after each one, the run then throws (`fitAsync` rejects with) `signal.reason`; the weights are
   * those of the last completed step.
   */
  readonly signal?: AbortSignal;
  /**
   * Seeds this run's own {@link RandomGenerator | Generator} for the model's random layers (Dropout, Dropout2d),
   * like PyTorch's `generator=` argument: two runs with the same seed draw the same masks, whatever
   * else draws random numbers meanwhile (another run interleaved with `fitAsync`, a shuffle). The
   * layers get their own generators back when the run ends. Default: the layers' generators
   * (the default generator unless one was given). Shuffling is the DataLoader's `seed`.
   */
  readonly seed?: number;
}

const now = (): number => performance.now() / 1000;

/** Describes the first NaN or ±Infinity in `values`, or returns null. */
function firstNonFinite(values: Float32Array, shape: readonly number[], what: string): string | null {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) return `${what} has ${values[i]} at ${formatIndex(i, shape)}`;
  }
  return null;
}

/**
 * Trains `model` for `epochs` passes over `train`: for each batch, forward, loss, backward and an
 * optimizer step; after each epoch, evaluation on `validation` (without gradients) and a
 * scheduler step. Returns the {@link History} as plain data.
 *
 * Before each update the model output, the loss and every gradient are checked: on a NaN or
 * ±Infinity training stops *before* the update, so the weights (and buffers such as batch norm's
 * running statistics) stay those of the last good step, and `history.stopped` explains what
 * happened. Callbacks may stop training too.
 * @example
 * const history = fit(model, { train, validation, optimizer: new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 }), epochs: 10 });
 */
export function fit(model: Module, options: FitOptions): History {
  const steps = trainingSteps(model, options);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

/**
 * {@link fit} that yields to the event loop after every batch, so that what callbacks send
 * (a notebook's live view, a server's progress messages) goes out while training runs.
 * @example const history = await fitAsync(model, { train, optimizer, callbacks: [liveView] });
 */
export async function fitAsync(model: Module, options: FitOptions): Promise<History> {
  const steps = trainingSteps(model, options);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
    await new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
  }
}

/** The training loop of {@link fit}, pausing after each batch. */
function* trainingSteps(model: Module, options: FitOptions): Generator<void, History> {
  checkOptions('fit', options, {
    train: opt.instance(DataLoader, 'a DataLoader'),
    validation: opt.instance(DataLoader, 'a DataLoader'),
    optimizer: opt.instance(Optimizer, 'an Optimizer'),
    loss: opt.function,
    epochs: opt.integer,
    metrics: opt.array,
    callbacks: opt.array,
    scheduler: opt.either(opt.instance(LRScheduler, 'an LRScheduler'), opt.instance(ReduceLROnPlateau, 'a ReduceLROnPlateau')),
    signal: opt.instance(AbortSignal, 'an AbortSignal'),
    seed: opt.integer,
  });
  options.signal?.throwIfAborted();
  const runGenerator = options.seed === undefined ? null : new RandomGenerator(options.seed, 'fit');
  const { train, validation, optimizer, scheduler } = options;
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) fail('fit', `epochs must be a positive integer, got ${epochs}`);
  const lossFn = options.loss ?? crossEntropy;
  const metrics = options.metrics ?? [accuracy];
  const callbacks = options.callbacks ?? [];
  const buffers = model.namedBuffers().map(([, b]) => b);
  const parameterNames = new Map(model.namedParameters().map(([name, p]) => [p as Tensor, name]));
  const history: History = { batches: [], epochs: [], stopped: null, seconds: 0 };
  let stopMessage: string | null = null;
  const control: TrainingControl = { history, stop: (message) => { stopMessage ??= message; } };
  const start = now();
  const batchesPerEpoch = train.length;
  let batchesDone = 0;
  for (const c of callbacks) c.onTrainBegin?.({ epochs, batchesPerEpoch, imagesPerEpoch: train.imagesPerEpoch }, control);
  const random = runGenerator === null ? [] : randomLayers(model);
  const ownGenerators = random.map((layer) => layer.generator);

  try {
    for (const layer of random) layer.generator = runGenerator;
    training: for (let epoch = 1; epoch <= epochs; epoch++) {
      model.train();
      const epochStart = now();
      const lr = optimizer.lr;
      let trainSeconds = 0;
      let images = 0;
      let lossSum = 0;
      const sums = new Map(metrics.map((m) => [m.name, 0]));
      let batch = 0;
      for (const { inputs, labels } of train) {
        batch++;
        const t0 = now();
        optimizer.zeroGrad();
        const savedBuffers = buffers.map((b) => b.data.slice());
        const output = model.call(inputs);
        let problem = firstNonFinite(output.data, output.shape, 'the model output');
        let lossValue = NaN;
        if (problem === null) {
          const loss = lossFn(output, labels);
          lossValue = loss.item();
          if (!Number.isFinite(lossValue)) problem = `the loss is ${lossValue}`;
          else loss.backward();
        }
        for (const p of optimizer.params) {
          if (problem !== null) break;
          const grad = p.peekGrad();
          if (grad !== null) problem = firstNonFinite(grad.readValues(), p.shape, `the gradient of ${parameterNames.get(p) ?? 'a parameter'}`);
        }
        if (problem !== null) {
          buffers.forEach((b, i) => b.data.set(savedBuffers[i]!));
          const message = `fit: stopped at epoch ${epoch}, batch ${batch}/${batchesPerEpoch}: ${problem}. ` +
            `The weights are those from before this batch. Try a smaller learning rate (now ${lr}) or look for NaN/Infinity in the inputs.`;
          history.stopped = { reason: 'non-finite-loss', epoch, batch, message };
          break training;
        }
        optimizer.step();
        const values = Object.fromEntries(metrics.map((m) => [m.name, m.compute(output, labels)]));
        const seconds = now() - t0;
        trainSeconds += seconds;
        images += labels.length;
        lossSum += lossValue * labels.length;
        for (const m of metrics) sums.set(m.name, sums.get(m.name)! + values[m.name]! * labels.length);
        history.batches.push({ epoch, batch, size: labels.length, loss: lossValue, metrics: values, seconds });
        batchesDone++;
        const elapsedSeconds = now() - start;
        const progress: BatchProgress = {
          epoch, epochs, batch, batchesPerEpoch, loss: lossValue, metrics: values,
          imagesPerSecond: images / trainSeconds,
          elapsedSeconds,
          etaSeconds: (elapsedSeconds / batchesDone) * (epochs * batchesPerEpoch - batchesDone),
        };
        for (const c of callbacks) c.onBatchEnd?.(progress, control);
        yield;
        options.signal?.throwIfAborted();
        if (stopMessage !== null) {
          history.stopped = { reason: 'callback', epoch, batch, message: stopMessage };
          break training;
        }
      }
      const record: EpochRecord = {
        epoch,
        lr,
        train: { loss: lossSum / images, metrics: Object.fromEntries([...sums].map(([name, s]) => [name, s / images])), images, seconds: trainSeconds },
        validation: validation === undefined ? null : evaluate(model, validation, { loss: lossFn, metrics }),
        seconds: now() - epochStart,
        imagesPerSecond: images / trainSeconds,
      };
      history.epochs.push(record);
      if (scheduler instanceof ReduceLROnPlateau) scheduler.step(record.validation?.loss ?? record.train.loss);
      else scheduler?.step();
      for (const c of callbacks) c.onEpochEnd?.(record, control);
      if (stopMessage !== null) {
        history.stopped = { reason: 'callback', epoch, batch: null, message: stopMessage };
        break;
      }
    }
  } catch (error) {
    history.seconds = now() - start;
    for (const c of callbacks) c.onTrainError?.(error, history);
    throw error;
  } finally {
    random.forEach((layer, i) => { layer.generator = ownGenerators[i] ?? null; });
  }
  history.seconds = now() - start;
  for (const c of callbacks) c.onTrainEnd?.(history);
  return history;
}
