import { parseArgs } from 'node:util';
import { checkFlags } from './check-flags.js';
import { DataLoader } from '../data/data-loader.js';
import { FASHION_MNIST_MEAN, FASHION_MNIST_STD, fashionMnist } from '../data/fashion-mnist.js';
import { getBackend, getNumThreads, wasmKernels } from '../kernels/backend.js';
import { normalize, pad, type BatchTransform } from '../data/transforms.js';
import { ConvlabError, fail } from '../errors.js';
import type { ImageDataset } from '../data/image-dataset.js';
import { EXIT_CODES, runCommand, UsageError } from './run-command.js';
import type { Module } from '../nn/module.js';
import { SGD } from '../optim/sgd.js';
import { manualSeed, MAX_SEED } from '../random.js';
import type { Callback } from '../train/callbacks.js';
import { evaluate } from '../train/evaluate.js';
import { fit } from '../train/fit.js';
import type { History } from '../train/history.js';
import { formatDuration, formatEpoch, formatProgress } from '../train/progress-text.js';
import { youngGenerationKeeper } from './young-generation.js';

/** Where a command writes: results on stdout; progress, notes and errors on stderr. */
export interface CommandStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

export const TRAIN_USAGE =
  'usage: convlab train <zoo-model> --dataset fashion-mnist [--epochs N] [--batch-size B] [--lr X] [--limit K] [--seed S] [--data-dir DIR] [--json]';

/** A model the command can train: a fresh instance and the input it expects, C×H×W. */
export interface TrainableModel {
  readonly model: Module;
  readonly inputShape: readonly [number, number, number];
}

/** Builds a fresh model by name (seeded by `manualSeed`); throws a ConvlabError for an unknown name. */
export type ModelLookup = (name: string) => TrainableModel;


interface TrainArgs {
  model: string;
  epochs: number;
  batchSize: number;
  lr: number;
  limit: number | null;
  seed: number;
  dataDir: string | undefined;
  json: boolean;
}

function parseTrainArgs(args: readonly string[]): TrainArgs {
  let parsed;
  const flags = {
    dataset: { type: 'string' },
    epochs: { type: 'string', default: '10' },
    'batch-size': { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.01' },
    limit: { type: 'string' },
    seed: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
  } as const;
  try {
    checkFlags(args, Object.keys(flags));
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: flags });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`expected one model name, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  if (values.dataset !== 'fashion-mnist') throw new UsageError(`--dataset must be fashion-mnist, got ${values.dataset ?? 'nothing'}`);
  const integer = (name: string, text: string, min: number): number => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${text}'`);
    return v;
  };
  const seedArg = (text: string): number => {
    const v = Number(text);
    if (!/^\d+$/.test(text) || v > MAX_SEED) throw new UsageError(`--seed must be an integer in [0, ${MAX_SEED}], got '${text}'`);
    return v;
  };
  const lr = Number(values.lr);
  if (!(lr > 0) || !Number.isFinite(lr)) throw new UsageError(`--lr must be a positive number, got '${values.lr}'`);
  return {
    model: positionals[0]!,
    epochs: integer('epochs', values.epochs!, 1),
    batchSize: integer('batch-size', values['batch-size']!, 1),
    lr,
    limit: values.limit === undefined ? null : integer('limit', values.limit, 1),
    seed: seedArg(values.seed!),
    dataDir: values['data-dir'],
    json: values.json!,
  };
}

/** Transforms that turn 1×28×28 Fashion-MNIST images into the model's input `[1, size, size]`. */
function inputTransforms(model: string, inputShape: readonly number[]): BatchTransform[] {
  const [c, h, w] = inputShape as [number, number, number];
  if (c !== 1 || h !== w || h < 28 || (h - 28) % 2 !== 0) {
    throw new UsageError(`${model} expects ${inputShape.join('×')} input; Fashion-MNIST images are 1×28×28 (a gray model with square input of at least 28 is needed)`);
  }
  const base = [normalize(FASHION_MNIST_MEAN, FASHION_MNIST_STD)];
  return h === 28 ? base : [...base, pad((h - 28) / 2)];
}

/** A progress bar on a terminal's stderr, redrawn at most ten times a second. */
function progressBar(stderr: CommandStreams['stderr']): Callback {
  let last = 0;
  return {
    onBatchEnd(p) {
      const t = performance.now();
      if (t - last < 100 && p.batch !== p.batchesPerEpoch) return;
      last = t;
      stderr.write(`\r\x1b[2K${formatProgress(p)}`);
    },
    onEpochEnd() {
      stderr.write('\r\x1b[2K');
    },
  };
}

/** What `convlab train --json` prints as its last line. Accuracies are fractions in [0, 1]. */
export interface TrainReport {
  readonly model: string;
  readonly epochs: readonly {
    readonly epoch: number;
    readonly trainLoss: number;
    readonly trainAccuracy: number;
    readonly valLoss: number;
    readonly valAccuracy: number;
    readonly seconds: number;
  }[];
  readonly testLoss: number;
  readonly testAccuracy: number;
  /** Training images per second of training time (validation and test excluded). */
  readonly imagesPerSecond: number;
  readonly seconds: number;
  /** Why training stopped early, or null. */
  readonly stopped: string | null;
}

function report(model: string, history: History, testLoss: number, testAccuracy: number): TrainReport {
  const trainImages = history.epochs.reduce((s, e) => s + e.train.images, 0);
  const trainSeconds = history.epochs.reduce((s, e) => s + e.train.seconds, 0);
  return {
    model,
    epochs: history.epochs.map((e) => ({
      epoch: e.epoch,
      trainLoss: e.train.loss,
      trainAccuracy: e.train.metrics['accuracy']!,
      valLoss: e.validation!.loss,
      valAccuracy: e.validation!.metrics['accuracy']!,
      seconds: e.seconds,
    })),
    testLoss,
    testAccuracy,
    imagesPerSecond: trainSeconds > 0 ? trainImages / trainSeconds : 0,
    seconds: history.seconds,
    stopped: history.stopped?.message ?? null,
  };
}

/** Fashion-MNIST's image shape, what {@link inputTransforms} pads from. */
const FASHION_SHAPE = [1, 28, 28] as const;

/**
 * Checks a set before training starts: 1×28×28 images, at least one of them. `file` names the
 * images file in errors.
 */
function checkSet(set: ImageDataset, what: string, file: string): void {
  if (set.imageShape.some((d, i) => d !== FASHION_SHAPE[i])) fail(file, `Fashion-MNIST images are ${FASHION_SHAPE.join('×')}, these are ${set.imageShape.join('×')}`);
  if (set.length === 0) throw new ConvlabError(`the ${what} set ${file} has no images`);
}

/**
 * `convlab train <zoo-model> --dataset fashion-mnist …`: trains a fresh model on Fashion-MNIST
 * with SGD (momentum 0.9) and cross-entropy, showing a progress bar when stderr is a terminal.
 * The last twelfth of the training images (5,000 of 60,000) validates; the test images are scored
 * at the end. `--limit K` keeps at most K images of each of the three sets. Images are normalized
 * and zero-padded to the model's input size (LeNet-5: 28×28 → 32×32). Arguments, environment and
 * data are all checked before the first batch.
 * Returns the exit code (see {@link EXIT_CODES}): 0 done, 1 training stopped on a non-finite loss,
 * 2 bad arguments or data, 3 an internal error.
 */
export function trainCommand(args: readonly string[], streams: CommandStreams, lookup: ModelLookup): number {
  return runCommand('train', args, streams, () => train(args, streams, lookup), TRAIN_USAGE);
}

function train(args: readonly string[], streams: CommandStreams, lookup: ModelLookup): number {
  const options = parseTrainArgs(args);
  getBackend();
  getNumThreads();
  // The kernels' worker threads start now, while the data loads, so that the young generation is
  // kept small from the first batch on (see youngGenerationKeeper).
  wasmKernels();
  manualSeed(options.seed);
  const built = lookup(options.model);
  const model = built.model;
  const transforms = inputTransforms(options.model, built.inputShape);
  const data = fashionMnist(options.dataDir === undefined ? {} : { dir: options.dataDir });
  const dir = data.dir;
  const file = (stem: string): string => `${dir.replace(/\/$/, '')}/${stem}`;
  checkSet(data.train, 'training', file('train-images-idx3-ubyte'));
  checkSet(data.test, 'test', file('t10k-images-idx3-ubyte'));
  const limit = (n: number): number => Math.min(n, options.limit ?? n);
  const trainEnd = data.train.length - Math.floor(data.train.length / 12);
  if (trainEnd === data.train.length) throw new ConvlabError(`the training set ${file('train-images-idx3-ubyte')} has ${data.train.length} ` +
    `images; its last twelfth validates, so at least 12 are needed`);
  const loader = (start: number, end: number, shuffle: boolean, set = data.train): DataLoader =>
    new DataLoader(set.slice(start, start + limit(end - start)), { batchSize: options.batchSize, shuffle, seed: options.seed, transforms });
  const trainLoader = loader(0, trainEnd, true);
  const validation = loader(trainEnd, data.train.length, false);
  const testLoader = loader(0, data.test.length, false, data.test);
  const log = (line: string): void => void (options.json ? streams.stderr : streams.stdout).write(`${line}\n`);
  const callbacks: Callback[] = [{ onEpochEnd: (e) => log(formatEpoch(e)) }, youngGenerationKeeper()];
  if (streams.stderr.isTTY === true) callbacks.unshift(progressBar(streams.stderr));
  const history = fit(model, {
    train: trainLoader,
    validation,
    optimizer: new SGD(model.parameters(), { lr: options.lr, momentum: 0.9 }),
    epochs: options.epochs,
    callbacks,
    seed: options.seed,
  });
  if (history.stopped !== null) log(history.stopped.message);
  const test = evaluate(model, testLoader);
  const result = report(options.model, history, test.loss, test.metrics['accuracy']!);
  if (options.json) streams.stdout.write(`${JSON.stringify(result)}\n`);
  else log(`test accuracy ${test.metrics['accuracy']!.toFixed(4)} · ${Math.round(result.imagesPerSecond)} images/s · ${history.epochs.length} epochs in ${formatDuration(history.seconds)}`);
  return history.stopped?.reason === 'non-finite-loss' ? EXIT_CODES.stopped : EXIT_CODES.ok;
}
