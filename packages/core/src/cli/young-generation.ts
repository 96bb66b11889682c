import { wasmKernels } from '../kernels/backend.js';
import { nodeModule } from '../platform.js';
import type { Callback } from '../train/callbacks.js';

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
 * of 4, interleaved). Returns false where V8's flags cannot be set (no `node:v8`).
 */
export function keepYoungGenerationSmall(): boolean {
  const v8 = nodeModule('node:v8');
  if (v8 === null) return false;
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
