import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConvlabError, Tensor, conv2d, getBackend, getNumThreads, setBackend, setNumThreads, type Backend } from '../../src/index.js';

const initialBackend = getBackend();
const initialThreads = getNumThreads();
afterEach(() => {
  setBackend(initialBackend);
  setNumThreads(initialThreads);
});

describe('setBackend / setNumThreads', () => {
  it('switch the kernels ops run on; both give the same convolution', () => {
    const x = Tensor.from([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = Tensor.from([[[[1, 0], [0, -1]]]]);
    setBackend('ts');
    expect(getBackend()).toBe('ts');
    const reference = conv2d(x, w, null).toArray();
    setBackend('wasm');
    expect(getBackend()).toBe('wasm');
    expect(conv2d(x, w, null).toArray()).toEqual(reference);
    expect(reference).toEqual([[[[-4, -4], [-4, -4]]]]);
  });

  it('reject unknown backends and thread counts that are not positive integers', () => {
    expect(() => setBackend('gpu' as Backend)).toThrow(ConvlabError);
    expect(() => setBackend('gpu' as Backend)).toThrow(`setBackend: backend must be 'wasm' or 'ts', got "gpu"`);
    expect(() => setNumThreads(0)).toThrow('setNumThreads: expected a positive integer, got 0');
    expect(() => setNumThreads(1.5)).toThrow('setNumThreads: expected a positive integer, got 1.5');
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
  });

  it('cap the thread count at the number of cores, from setNumThreads and from CONVLAB_THREADS', () => {
    const cores = availableParallelism();
    setNumThreads(5000);
    expect(getNumThreads()).toBe(cores);
    expect(() => setNumThreads(Number.POSITIVE_INFINITY)).toThrow('setNumThreads: expected a positive integer, got Infinity');
    const index = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const script = `import(${JSON.stringify(index)}).then((c) => { try { process.stdout.write(String(c.getNumThreads())); } catch (e) { process.stdout.write(e.message); } })`;
    const run = (value: string): string => spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, CONVLAB_THREADS: value } }).stdout;
    expect(run('5000')).toBe(String(cores));
    expect(run('1')).toBe('1');
    expect(run('1.5')).toBe("CONVLAB_THREADS: expected a positive integer, got '1.5'");
    expect(run('2e3')).toBe("CONVLAB_THREADS: expected a positive integer, got '2e3'");
  });
});
