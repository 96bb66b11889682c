import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BatchNorm2d, Linear, loadSafetensors, loadStateDict, loadWeights, manualSeed, ReLU, saveSafetensors, saveWeights, Sequential, stateDict, Tensor, withoutWeights } from '../../src/index.js';

/** A fresh temporary folder, removed when the calling test finishes. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-io-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function mlp(seed: number): Sequential {
  manualSeed(seed);
  return new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
}

describe('stateDict', () => {
  it('names parameters and buffers as PyTorch does, as copies', () => {
    const model = new Sequential(new Linear(2, 2), new BatchNorm2d(3));
    const state = stateDict(model);
    expect([...state.keys()]).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']);
    state.get('0.weight')!.data[0] = 99;
    expect(model.parameters()[0]!.data[0]).not.toBe(99);
  });

  it('refuses a model built without weights', () => {
    const meta = withoutWeights(() => new Linear(2, 2));
    expect(() => stateDict(meta)).toThrow("stateDict: 'weight' has no values (model built without weights)");
  });
});

describe('loadStateDict', () => {
  it('copies values in place', () => {
    const a = mlp(1);
    const b = mlp(2);
    const weight = b.parameters()[0]!;
    loadStateDict(b, stateDict(a));
    expect(b.parameters()[0]).toBe(weight);
    b.parameters().forEach((p, i) => expect(p.data).toEqual(a.parameters()[i]!.data));
  });

  it('reports every missing name, unexpected name and shape mismatch in one error, and copies nothing', () => {
    const model = mlp(1);
    const before = model.parameters().map((p) => p.data.slice());
    const state = new Map<string, Tensor>([
      ['0.weight', Tensor.zeros([4, 3])],
      ['0.bias', Tensor.zeros([5])],
      ['2.weight', Tensor.zeros([3, 4])],
      ['fc.weight', Tensor.zeros([1])],
      ['fc.bias', Tensor.zeros([1])],
    ]);
    expect(() => loadStateDict(model, state)).toThrow(
      'loadStateDict(Sequential): the state does not fit the model:\n' +
      '  missing (1): 2.bias\n' +
      '  unexpected (2): fc.weight, fc.bias\n' +
      '  shape mismatch (2): 0.bias: model has [4], state has [5]; 2.weight: model has [2,4], state has [3,4]',
    );
    model.parameters().forEach((p, i) => expect(p.data).toEqual(before[i]));
  });
});

describe('saveWeights / loadWeights', () => {
  it('round-trips a model bit for bit, with format metadata', () => {
    const dir = tempDir();
    const path = join(dir, 'mlp.safetensors');
    const a = mlp(3);
    saveWeights(a, path);
    const b = mlp(4);
    loadWeights(b, path);
    b.parameters().forEach((p, i) => expect(p.data).toEqual(a.parameters()[i]!.data));
    expect(loadSafetensors(path).metadata).toEqual({ format: 'pt' });
    expect(readdirSync(dir)).toEqual(['mlp.safetensors']);
  });

  it('leaves the previous file intact when writing fails, and no temporary file behind', () => {
    const dir = tempDir();
    const path = join(dir, 'w.safetensors');
    saveWeights(mlp(5), path);
    const bad = new Tensor(null, [2]);
    expect(() => saveSafetensors(path, [['x', bad]])).toThrow('is a meta tensor');
    expect(readdirSync(dir)).toEqual(['w.safetensors']);
    const reread = mlp(6);
    loadWeights(reread, path);
    expect(reread.parameters()[0]!.data).toEqual(mlp(5).parameters()[0]!.data);
    expect(() => saveWeights(mlp(5), join(dir, 'no-such-folder', 'w.safetensors'))).toThrow(/ENOENT/);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('reports a corrupt file with its path', () => {
    const dir = tempDir();
    const path = join(dir, 'broken.safetensors');
    writeFileSync(path, Buffer.from([1, 2, 3]));
    expect(() => loadWeights(mlp(1), path)).toThrow(`safetensors file ${path}: truncated: 3 bytes, too short for the 8-byte header length`);
  });
});
