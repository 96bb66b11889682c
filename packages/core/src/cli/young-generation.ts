import { wasmKernels } from '../kernels/backend.js';
import { nodeModule } from '../platform.js';
import type { Callback } from '../train/callbacks.js';

/**
 * The newest V8 major version on which the growth factor was measured to keep the young
 * generation small: Node 20's V8 11. Node 24's V8 13 sizes its young generation otherwise (with the
 * same flag and workload it ended at 1 to 14 MiB from run to run, without it at 1 to 32 MiB), so
 * later V8s are left at their defaults.
 */
export const GROWTH_FACTOR_LAST_V8_MAJOR = 11;

/** Whether this process's V8 is one the growth factor was measured on (see {@link GROWTH_FACTOR_LAST_V8_MAJOR}). */
export function growthFactorMeasured(): boolean {
  const version = globalThis.process?.versions?.v8;
  return version !== undefined && Number.parseInt(version, 10) <= GROWTH_FACTOR_LAST_V8_MAJOR;
}

/**
 * Keeps V8's young generation at the size it has now (it starts at two semi-spaces of 1 MiB) by
 * setting `--semi-space-growth-factor=1`. Training allocates a few MiB of arrays a batch that die
 * young; they are freed only when a scavenge runs, each time the young generation fills up with
 * small objects. V8 doubles the young generation as a run goes on (up to 2 × 16 MiB in Node 20),
 * so scavenges come rarer, more dead arrays wait in malloc's heap, and the heap, which the
 * allocator keeps, grows: `convlab train lenet5` rose 10.6 MiB from the end of epoch 1 to the end
 * of epoch 6 and peaked at 206 MiB (medians of 3). `--max-semi-space-size` is read only when the
 * heap is set up, but the growth factor is read at every growth, so setting it at run time works.
 * Scavenges then run more often, each as cheap (their cost is the surviving objects, not the dead
 * ones): a 2-epoch run on one thread took 37.7 s of CPU time with it and 39.1 s without (medians
 * of 4, interleaved). Returns false where V8's flags cannot be set (no `node:v8`) or on a V8 newer than
 * {@link GROWTH_FACTOR_LAST_V8_MAJOR}.
 */
export function keepYoungGenerationSmall(): boolean {
  const v8 = nodeModule('node:v8');
  if (v8 === null || !growthFactorMeasured()) return false;
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  return true;
}

/**
 * A training callback that calls {@link keepYoungGenerationSmall} again once the WebAssembly
 * kernels' worker threads have all started: V8 raises the growth factor back to its minimum of 2
 * whenever it sets up an isolate, which each worker thread is (`wasmKernels()` starts them).
 */
export function youngGenerationKeeper(): Callback {
  let pending = true;
  const check = (): void => {
    if (!pending) return;
    const pool = wasmKernels()?.pool;
    if (pool !== undefined && pool.readyWorkers < pool.size - 1) return;
    keepYoungGenerationSmall();
    pending = false;
  };
  return { onTrainBegin: check, onBatchEnd: check };
}
