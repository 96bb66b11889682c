import type { KernelPath } from './report.js';
import type { WorkloadName } from './workloads.js';

/**
 * One prepared workload on one system: `run(repeat)` does the work `repeat` times back to back
 * and returns the milliseconds they took together.
 */
export interface Runner {
  run(repeat: number): Promise<number>;
  /** Images or FLOP one sample does (slow systems may run a smaller batch of the same layer). */
  readonly work: number;
  /** Shown in the table, e.g. "batch 1". */
  readonly note?: string;
  /** Which path each conv call took (convlab): set by {@link Runner.trace}. */
  readonly kernelPaths?: readonly KernelPath[];
  /** Runs the work once more, recording each conv call's path and time into `kernelPaths` (convlab). */
  trace?(): Promise<void>;
  /** Frees what prepare made. */
  dispose(): Promise<void>;
}

/** A system under test. `prepare` returns null (with a reason) for a workload it cannot run. */
export interface BenchSystem {
  readonly name: string;
  prepare(workload: WorkloadName): Promise<Runner | { readonly skipped: string }>;
  close(): Promise<void>;
}

/** Times `repeat` back-to-back runs of a synchronous or asynchronous piece of work, in milliseconds. */
export async function time(work: () => unknown, repeat: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < repeat; i++) await work();
  return performance.now() - start;
}
