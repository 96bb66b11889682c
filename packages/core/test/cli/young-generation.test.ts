import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GROWTH_FACTOR_LAST_V8_MAJOR, growthFactorMeasured, keepYoungGenerationSmall } from '../../src/cli/young-generation.js';

const dist = (path: string): string => JSON.stringify(fileURLToPath(new URL(`../../dist/${path}`, import.meta.url)));

/**
 * The young generation's size in MiB in a fresh Node after `setUp` ran and then a workload that V8
 * answers by growing it (a million small objects that survive).
 */
function youngGenerationMiB(setUp: string): number {
  const script = `
    const { keepYoungGenerationSmall, youngGenerationKeeper } = require(${dist('cli/young-generation.js')});
    const { wasmKernels } = require(${dist('kernels/backend.js')});
    const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    ${setUp}
    const kept = [];
    for (let i = 0; i < 1e6; i++) kept.push({ i });
    const space = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(space.space_size / 2 ** 20, kept.length);`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, CONVLAB_BACKEND: 'wasm', CONVLAB_THREADS: '2' } });
  expect(r.stderr).toBe('');
  return Number(r.stdout.split(' ')[0]);
}

/** Starts the kernels' worker thread and waits (at most 10 s) until it has started. */
const startWorkers = `
  const pool = wasmKernels().pool;
  for (let i = 0; i < 1000 && pool.readyWorkers < 1; i++) sleep(10);
  if (pool.readyWorkers !== 1) throw new Error('the worker did not start');`;

describe('keepYoungGenerationSmall', () => {
  const measured = Number.parseInt(process.versions.v8, 10) <= 11;

  it('applies on the V8 it was measured on (Node 20) and nowhere newer', () => {
    expect(growthFactorMeasured()).toBe(measured);
    expect(GROWTH_FACTOR_LAST_V8_MAJOR).toBe(11);
  });

  it.skipIf(measured)('leaves a newer V8 at its defaults', () => {
    expect(keepYoungGenerationSmall()).toBe(false);
  });

  it.runIf(measured)('stops V8 from growing the young generation after start-up', () => {
    expect(youngGenerationMiB('')).toBeGreaterThanOrEqual(8);
    expect(youngGenerationMiB('if (!keepYoungGenerationSmall()) throw new Error("not set");')).toBe(2);
  });

  it.runIf(measured)('is undone by a worker thread starting, and set again by youngGenerationKeeper once the workers have started', () => {
    expect(youngGenerationMiB(`keepYoungGenerationSmall(); ${startWorkers}`)).toBeGreaterThanOrEqual(8);
    expect(youngGenerationMiB(`keepYoungGenerationSmall(); const keeper = youngGenerationKeeper(); keeper.onBatchEnd(); ${startWorkers} keeper.onBatchEnd();`)).toBe(2);
  });
});
