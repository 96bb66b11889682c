import { describe, expect, it } from 'vitest';
import { trainCommand, type ModelLookup, type TrainReport } from '../../src/cli/train-command.js';
import { ConvlabError, Flatten, Linear, Sequential } from '../../src/index.js';
import { tempDir, writeTinyFashion } from '../data/idx-files.js';

/** Captures what a command writes. */
function streams(tty = false): { stdout: string[]; stderr: string[]; io: Parameters<typeof trainCommand>[1] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, io: { stdout: { write: (t: string) => stdout.push(t) }, stderr: { write: (t: string) => stderr.push(t), isTTY: tty } } };
}

/** Two tiny models: one for 28×28 input, one that needs the images padded to 32×32. */
const lookup: ModelLookup = (name) => {
  if (name === 'flat28') return { model: new Sequential(new Flatten(), new Linear(784, 10)), inputShape: [1, 28, 28] };
  if (name === 'flat32') return { model: new Sequential(new Flatten(), new Linear(1024, 10)), inputShape: [1, 32, 32] };
  if (name === 'rgb') return { model: new Sequential(new Flatten(), new Linear(3072, 10)), inputShape: [3, 32, 32] };
  throw new ConvlabError(`unknown model '${name}'`);
};

function tinyData(): string {
  const dir = tempDir();
  writeTinyFashion(dir, 36, 10, true, [28, 28]);
  return dir;
}

describe('convlab train', () => {
  it('--json prints the history as the last line of stdout, epoch lines on stderr', () => {
    const dir = tinyData();
    const s = streams();
    const code = trainCommand(['flat32', '--dataset', 'fashion-mnist', '--data-dir', dir, '--epochs', '2', '--batch-size', '8', '--lr', '0.001', '--json'], s.io, lookup);
    expect(code).toBe(0);
    expect(s.stdout).toHaveLength(1);
    const report = JSON.parse(s.stdout[0]!) as TrainReport;
    expect(Object.keys(report)).toEqual(['model', 'epochs', 'testLoss', 'testAccuracy', 'imagesPerSecond', 'seconds', 'stopped']);
    expect(report.model).toBe('flat32');
    expect(report.epochs.map((e) => Object.keys(e))).toEqual([0, 1].map(() => ['epoch', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'seconds']));
    expect(report.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(report.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(report.imagesPerSecond).toBeGreaterThan(0);
    expect(report.stopped).toBeNull();
    expect(s.stderr.join('')).toMatch(/^epoch 1: train loss \d\.\d{4} acc \d\.\d{3} · val loss .*\nepoch 2: /);
    expect(s.stderr.join('')).not.toContain('\r');
  });

  it('is reproducible with --seed and --limit keeps K images per set', () => {
    const dir = tinyData();
    const run = (seed: string): TrainReport => {
      const s = streams();
      trainCommand(['flat28', '--dataset', 'fashion-mnist', '--data-dir', dir, '--epochs', '1', '--batch-size', '4', '--limit', '12', '--seed', seed, '--json'], s.io, lookup);
      return JSON.parse(s.stdout.at(-1)!) as TrainReport;
    };
    const strip = (r: TrainReport): unknown => r.epochs.map((e) => [e.trainLoss, e.valLoss, e.trainAccuracy]).concat([r.testLoss]);
    expect(strip(run('3'))).toEqual(strip(run('3')));
    expect(strip(run('4'))).not.toEqual(strip(run('3')));
  });

  it('without --json prints epoch lines and a summary on stdout; a terminal gets a progress bar on stderr', () => {
    const dir = tinyData();
    const s = streams(true);
    expect(trainCommand(['flat28', '--dataset', 'fashion-mnist', '--data-dir', dir, '--epochs', '1', '--batch-size', '11'], s.io, lookup)).toBe(0);
    expect(s.stdout[0]).toMatch(/^epoch 1: train loss /);
    expect(s.stdout[1]).toMatch(/^test accuracy \d\.\d{4} · \d+ images\/s · 1 epochs in \d+s\n$/);
    expect(s.stderr.some((t) => /^\r\x1b\[2Kepoch 1\/1 \[[█·]{20}\] 3\/3 loss \d\.\d{4} acc \d\.\d{3} · \d+ img\/s · ETA 0s$/.test(t))).toBe(true);
  });

  it('exits 1 with the reason when the loss stops being finite', () => {
    const dir = tinyData();
    const s = streams();
    expect(trainCommand(['flat28', '--dataset', 'fashion-mnist', '--data-dir', dir, '--lr', '1e38', '--epochs', '3', '--json'], s.io, lookup)).toBe(1);
    const report = JSON.parse(s.stdout.at(-1)!) as TrainReport;
    expect(report.stopped).toMatch(/^fit: stopped at epoch \d, batch 1\/1: /);
  });

  it('exits 2 with a one-line reason and the usage for bad arguments', () => {
    const cases: [string[], string][] = [
      [['flat28'], '--dataset must be fashion-mnist, got nothing'],
      [['flat28', '--dataset', 'cifar10'], '--dataset must be fashion-mnist, got cifar10'],
      [['--dataset', 'fashion-mnist'], 'expected one model name, got none'],
      [['flat28', '--dataset', 'fashion-mnist', '--epochs', '0'], "--epochs must be an integer ≥ 1, got '0'"],
      [['flat28', '--dataset', 'fashion-mnist', '--lr', 'fast'], "--lr must be a positive number, got 'fast'"],
      [['flat28', '--dataset', 'fashion-mnist', '--color'], 'unknown option --color (known options: --dataset, --epochs, --batch-size, --lr, --limit, --seed, --data-dir, --json)'],
      [['flat28', '--dataset', 'fashion-mnist', '--batch_size', '32'], 'unknown option --batch_size, did you mean --batch-size?'],
      [['flat28', '--dataset', 'fashion-mnist', '--batchSize=32'], 'unknown option --batchSize, did you mean --batch-size?'],
      [['rgb', '--dataset', 'fashion-mnist'], 'rgb expects 3×32×32 input; Fashion-MNIST images are 1×28×28'],
    ];
    for (const [args, message] of cases) {
      const s = streams();
      expect(trainCommand(args, s.io, lookup), args.join(' ')).toBe(2);
      expect(s.stderr.join('')).toContain(`convlab train: ${message}`);
      expect(s.stderr.join('')).toContain('usage: convlab train <zoo-model> --dataset fashion-mnist');
      expect(s.stdout).toEqual([]);
    }
    const s = streams();
    expect(trainCommand(['vgg99', '--dataset', 'fashion-mnist'], s.io, lookup)).toBe(2);
    expect(s.stderr).toEqual(["convlab train: unknown model 'vgg99'\n"]);
  });

  it('exits 2 with the install hint when the dataset is missing', () => {
    const s = streams();
    const dir = tempDir();
    expect(trainCommand(['flat28', '--dataset', 'fashion-mnist', '--data-dir', dir], s.io, lookup)).toBe(2);
    expect(s.stderr.join('')).toContain('sudo apt-get install dataset-fashion-mnist');
  });
});
