import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { getNumThreads, setNumThreads } from '../../src/index.js';
import { wasmKernels } from '../../src/kernels/backend.js';
import { WasmRuntime } from '../../src/kernels/wasm/runtime.js';
import { PARALLEL_MIN_WORK, ThreadPool } from '../../src/kernels/wasm/threads.js';

const defaultThreads = getNumThreads();
afterAll(() => setNumThreads(defaultThreads));
afterEach(() => vi.restoreAllMocks());

/** Resolves when `ready()` holds, polling the event loop (worker events arrive there); rejects after `ms`. */
async function until(ready: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** relu of 300,000 values on `pool` (several chunks, enough work to wake the workers), `meanwhile` passed on. */
function reluOnPool(runtime: WasmRuntime, pool: ThreadPool, meanwhile?: () => void): Float32Array {
  const x = Float32Array.from({ length: 300_000 }, (_, i) => Math.sin(i));
  runtime.reset();
  const xp = runtime.alloc(x.length * 4);
  const yp = runtime.alloc(x.length * 4);
  runtime.write(xp, x);
  pool.run('reluForwardChunk', runtime.exports.reluChunks(x.length), [xp, yp, x.length], PARALLEL_MIN_WORK, meanwhile);
  const y = new Float32Array(x.length);
  runtime.read(yp, y);
  return y;
}

describe('ThreadPool', () => {
  it('starts its workers from the worker module file, and counts them', async () => {
    setNumThreads(2);
    const { pool } = wasmKernels()!;
    await until(() => pool.readyWorkers === 1);
    expect(pool.size).toBe(2);
    expect(getNumThreads()).toBe(2);
  });

  it('reports a worker that fails to start, runs its share on the calling thread and counts only the threads that work', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const file = join(mkdtempSync(join(tmpdir(), 'convlab-worker-')), 'broken.cjs');
    // What an eval'd worker declaring `module` did in Deno: a CommonJS wrapper already defines it.
    writeFileSync(file, 'const module = 1;\n');
    const runtime = WasmRuntime.create()!;
    const pool = new ThreadPool(runtime, 2, file);
    await until(() => pool.size === 1);
    expect(pool.requested).toBe(2);
    expect(pool.readyWorkers).toBe(0);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]![0]);
    expect(message).toMatch(/^convlab: WebAssembly worker thread 1 failed: /);
    expect(message).toContain("SyntaxError: Identifier 'module' has already been declared");
    expect(message).toMatch(/convlab: its share runs on the calling thread; 1 of 2 threads work$/);
    const y = reluOnPool(runtime, pool);
    expect(y[1]).toBe(Math.fround(Math.sin(1)));
    expect(y[4]).toBe(0);
    expect(y.every((v, i) => v === Math.max(0, Math.fround(Math.sin(i))))).toBe(true);
    pool.close();
  });

  it('runs meanwhile once on the calling thread, with and without workers, and throws its error once the job is done', async () => {
    const relu = (y: Float32Array): boolean => y.every((v, i) => v === Math.max(0, Math.fround(Math.sin(i))));
    for (const threads of [1, 2]) {
      const runtime = WasmRuntime.create()!;
      const pool = new ThreadPool(runtime, threads);
      await until(() => pool.readyWorkers === threads - 1);
      const calls: number[] = [];
      expect(relu(reluOnPool(runtime, pool, () => calls.push(calls.length)))).toBe(true);
      expect(calls).toEqual([0]);
      expect(() => reluOnPool(runtime, pool, () => {
        throw new Error('touch failed');
      })).toThrow('touch failed');
      // Every chunk ran before the error came out: the pool takes the next job.
      expect(relu(reluOnPool(runtime, pool))).toBe(true);
      pool.close();
    }
  });

  it('runs between on the calling thread after each chunk it runs: on one thread after chunk 1, 2, … 5 in turn', () => {
    const runtime = WasmRuntime.create()!;
    const pool = new ThreadPool(runtime, 1);
    const x = Float32Array.from({ length: 300_000 }, (_, i) => -1 - (i % 7));
    runtime.reset();
    const xp = runtime.alloc(x.length * 4);
    const yp = runtime.alloc(x.length * 4);
    runtime.write(xp, x);
    runtime.write(yp, new Float32Array(x.length).fill(NaN));
    const y = new Float32Array(x.length);
    const finished: number[] = [];
    pool.run('reluForwardChunk', runtime.exports.reluChunks(x.length), [xp, yp, x.length], PARALLEL_MIN_WORK, undefined, () => {
      runtime.read(yp, y);
      finished.push(y.filter((v) => v === 0).length);
    });
    expect(finished).toEqual([65536, 131072, 196608, 262144, 300000]);
    pool.close();
  });
});
