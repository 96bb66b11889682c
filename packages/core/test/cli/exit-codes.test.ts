import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, runCommand } from '../../src/cli/run-command.js';
import { ConvlabError } from '../../src/index.js';
import { idxBytes, tempDir, writeTinyFashion } from '../data/idx-files.js';

const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function convlab(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, CONVLAB_BACKEND: '', CONVLAB_THREADS: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const train = (dir: string, ...more: string[]): string[] => ['train', 'lenet5', '--dataset', 'fashion-mnist', '--data-dir', dir, '--epochs', '1', '--batch-size', '4', ...more];

function data(train: number, test: number, size: [number, number] = [28, 28]): string {
  const dir = tempDir();
  writeTinyFashion(dir, train, test, false, size);
  return dir;
}

describe('convlab exit codes: 0 ok, 1 training stopped, 2 bad input or usage, 3 internal error', () => {
  it('names the codes', () => {
    expect(EXIT_CODES).toEqual({ ok: 0, stopped: 1, badInput: 2, internal: 3 });
  });

  it('bad environment variables are bad input: one line, code 2, no stack', () => {
    const dir = data(24, 4);
    const gpu = convlab({ CONVLAB_BACKEND: 'gpu' }, ...train(dir));
    expect([gpu.code, gpu.stderr]).toEqual([2, "convlab train: CONVLAB_BACKEND: expected 'wasm' or 'ts', got 'gpu'\n"]);
    const zero = convlab({ CONVLAB_THREADS: '0' }, ...train(dir));
    expect([zero.code, zero.stderr]).toEqual([2, "convlab train: CONVLAB_THREADS: expected a positive integer, got '0'\n"]);
  });

  it('refuses seeds that would alias modulo 2^32', () => {
    const r = convlab({}, ...train(data(24, 4), '--seed', '4294967296'));
    expect([r.code, r.stderr]).toEqual([2, "convlab train: --seed must be an integer in [0, 4294967295], got '4294967296' (usage: convlab train <zoo-model> " +
      "--dataset fashion-mnist [--epochs N] [--batch-size B] [--lr X] [--limit K] [--seed S] [--data-dir DIR] [--json])\n"]);
  });

  it('with --json, an error is one JSON object on stdout', () => {
    const dir = data(24, 4);
    const r = convlab({ CONVLAB_BACKEND: 'gpu' }, ...train(dir, '--json'));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: "convlab train: CONVLAB_BACKEND: expected 'wasm' or 'ts', got 'gpu'", code: 2 });
    expect(r.stdout.split('\n')).toHaveLength(2);
    const summary = convlab({}, 'summary', 'vgg19', '--json');
    expect(summary.code).toBe(2);
    expect(JSON.parse(summary.stdout)).toMatchObject({ error: expect.stringMatching(/^convlab summary: unknown model 'vgg19'/) as unknown, code: 2 });
  });

  it('checks the data before training: image size, empty sets, a folder where a file should be', () => {
    const big = convlab({}, ...train(data(24, 4, [30, 30])));
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/^convlab train: .*train-images-idx3-ubyte: Fashion-MNIST images are 1×28×28, these are 1×30×30\n$/);
    const noTrain = convlab({}, ...train(data(0, 4)));
    expect(noTrain.code).toBe(2);
    expect(noTrain.stderr).toMatch(/^convlab train: the training set .* has no images\n$/);
    const noTest = convlab({}, ...train(data(24, 0)));
    expect(noTest.code).toBe(2);
    expect(noTest.stderr).toMatch(/^convlab train: the test set .*t10k-images-idx3-ubyte has no images\n$/);
    expect(noTest.stdout).toBe('');
    const dir = tempDir();
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxBytes([1], [0]));
    mkdirSync(join(dir, 'train-images-idx3-ubyte'));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxBytes([1, 28, 28], new Uint8Array(784)));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes([1], [0]));
    const folder = convlab({}, ...train(dir));
    expect([folder.code, folder.stderr]).toEqual([2, `convlab train: IDX file ${join(dir, 'train-images-idx3-ubyte')}: cannot read it: EISDIR: illegal operation on a directory\n`]);
  });

  it('an unexpected exception is an internal error: code 3, one line', () => {
    const out: string[] = [], err: string[] = [];
    const streams = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } };
    expect(runCommand('train', [], streams, () => { throw new TypeError('x.y is not a function'); })).toBe(3);
    expect(err).toEqual(['convlab train: internal error (a bug in convlab; please report it): TypeError: x.y is not a function\n']);
    expect(runCommand('train', ['--json'], streams, () => { throw new ConvlabError('fit: bad'); })).toBe(2);
    expect(out).toEqual(['{"error":"convlab train: fit: bad","code":2}\n']);
    expect(runCommand('train', [], streams, () => 1)).toBe(1);
  });
});
