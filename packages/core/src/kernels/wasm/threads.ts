import type { MessagePort, Worker } from 'node:worker_threads';
import { requireNodeModule } from '../../platform.js';
import { chunkKernels, type ChunkKernel, type WasmRuntime } from './runtime.js';

// Work sharing over shared memory. Every worker runs its own instance of the kernels on the same
// WebAssembly.Memory. A job is a kernel, its arguments and a number of chunks; the calling thread
// and the workers claim chunks one at a time from a shared counter until none are left, so a busy
// or slow worker only means the others take more chunks (the caller alone can finish any job).
// Chunks write disjoint outputs, so results do not depend on who ran what.
//
// Control block (Int32 slots, then the claim counter and the arguments):
const GEN = 0; // job generation, bumped to start a job; workers sleep on it
const KERNEL = 1; // index into chunkKernels
const TOTAL = 2; // number of chunks
const DONE = 3; // chunks finished; the caller sleeps on it
const FAILED = 4; // 1 when a chunk threw in a worker
const READY = 5; // workers that have instantiated the kernels
const NARGS = 6;
const SLOTS = NARGS + 1;
const NEXT_BYTE = 32; // BigInt64: generation << 32 | next chunk index
const ARGS_BYTE = 64; // Float64 × MAX_ARGS
const MAX_ARGS = 16;
const CONTROL_BYTES = ARGS_BYTE + 8 * MAX_ARGS;

/** Below this many multiply-adds a job stays on the calling thread (waking a worker costs ~20 µs). */
export const PARALLEL_MIN_WORK = 1 << 20;

/** Iterations of polling before sleeping: bridges the short gaps between the ops of one batch. */
const SPIN = 20000;

/** The control block's layout, handed to each worker (worker.cjs). */
const LAYOUT = { GEN, KERNEL, TOTAL, DONE, FAILED, READY, NARGS, NEXT_BYTE, ARGS_BYTE, MAX_ARGS, SLOTS, SPIN };

/** The worker's program: a real module file beside this one (src/ under the tests, dist/ when built). */
function defaultWorkerFile(): string {
  return requireNodeModule('node:path', 'ThreadPool').join(__dirname, 'worker.cjs');
}

/**
 * Runs chunked kernels on the calling thread plus `requested − 1` worker threads (Node's
 * worker_threads when requested > 1). A worker that fails (its file does not load, it throws while
 * starting, it exits) is reported on the console and dropped: the calling thread takes its share,
 * and {@link ThreadPool.size} counts only the threads that still work.
 */
export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly next: BigInt64Array;
  private readonly args: Float64Array;
  /** The workers that have not failed. */
  private workers: Worker[] = [];
  /** One port per worker, on which it posts the message of a chunk that threw. */
  private readonly errorPorts: MessagePort[] = [];
  private closing = false;

  constructor(private readonly runtime: WasmRuntime, readonly requested: number, workerFile?: string) {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    this.ctl = new Int32Array(control, 0, SLOTS);
    this.next = new BigInt64Array(control, NEXT_BYTE, 1);
    this.args = new Float64Array(control, ARGS_BYTE, MAX_ARGS);
    if (requested < 2) return;
    const threads = requireNodeModule('node:worker_threads', 'ThreadPool');
    const file = workerFile ?? defaultWorkerFile();
    for (let thread = 1; thread < requested; thread++) {
      const { port1, port2 } = new threads.MessageChannel();
      const worker = new threads.Worker(file, {
        workerData: { wasmModule: runtime.module, memory: runtime.memory, control, kernels: chunkKernels, thread, port: port2, layout: LAYOUT },
        transferList: [port2],
      });
      worker.on('error', (error: Error) => this.drop(worker, thread, error.stack ?? String(error)));
      worker.on('exit', (code: number) => this.drop(worker, thread, `exited with code ${code}`));
      worker.unref();
      port1.unref();
      this.workers.push(worker);
      this.errorPorts.push(port1);
    }
  }

  /** Threads that do the work: the calling thread plus every worker that has not failed. */
  get size(): number {
    return 1 + this.workers.length;
  }

  /** Workers that have started (instantiated the kernels); the others are still loading or failed. */
  get readyWorkers(): number {
    return Atomics.load(this.ctl, READY);
  }

  private drop(worker: Worker, thread: number, reason: string): void {
    if (this.closing || !this.workers.includes(worker)) return;
    this.workers = this.workers.filter((w) => w !== worker);
    console.warn(`convlab: WebAssembly worker thread ${thread} failed: ${reason}\nconvlab: its share runs on the calling thread; ${this.size} of ${this.requested} threads work`);
  }

  /**
   * Runs chunks `0 … chunks − 1` of `kernel(chunk, thread, ...args)` and returns when all are done.
   * `work` (multiply-adds) below {@link PARALLEL_MIN_WORK} keeps the job on this thread.
   * `meanwhile` runs on this thread once the workers have started on the chunks, before it claims
   * any (on this thread alone: before the chunks): JavaScript work that the job does not read,
   * such as touching the pages of the fresh array its output will be copied into. `between` runs on
   * this thread after each chunk it runs and while it waits for the workers' last chunks: short
   * JavaScript work on what finished chunks wrote, such as copying finished parts of the output out.
   */
  run(kernel: ChunkKernel, chunks: number, args: readonly number[], work: number, meanwhile?: () => void, between?: () => void): void {
    const fn = this.runtime.exports[kernel] as (chunk: number, thread: number, ...rest: number[]) => void;
    if (this.workers.length === 0 || chunks < 2 || work < PARALLEL_MIN_WORK) {
      meanwhile?.();
      for (let i = 0; i < chunks; i++) {
        fn(i, 0, ...args);
        between?.();
      }
      return;
    }
    const { ctl, next } = this;
    const gen = (ctl[GEN]! + 1) | 0;
    const tag = BigInt(gen);
    Atomics.store(next, 0, tag << 32n);
    ctl[KERNEL] = chunkKernels.indexOf(kernel);
    ctl[TOTAL] = chunks;
    ctl[NARGS] = args.length;
    ctl[FAILED] = 0;
    this.args.set(args);
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, GEN, gen);
    Atomics.notify(ctl, GEN);
    let failure: unknown = null;
    try {
      meanwhile?.();
    } catch (error) {
      failure = error;
    }
    for (;;) {
      const v = Atomics.load(next, 0);
      if (Number(v & 0xffffffffn) >= chunks) break;
      if (Atomics.compareExchange(next, 0, v, v + 1n) !== v) continue;
      try {
        fn(Number(v & 0xffffffffn), 0, ...args);
        between?.();
      } catch (error) {
        failure ??= error;
      }
      Atomics.add(ctl, DONE, 1);
    }
    for (let spin = 0, done = Atomics.load(ctl, DONE); done < chunks; done = Atomics.load(ctl, DONE)) {
      if (failure === null && between !== undefined) {
        try {
          between();
        } catch (error) {
          failure = error;
        }
      }
      if (++spin > SPIN) Atomics.wait(ctl, DONE, done, 10);
    }
    if (failure !== null) throw failure;
    if (ctl[FAILED] !== 0) {
      const { receiveMessageOnPort } = requireNodeModule('node:worker_threads', 'ThreadPool');
      const messages = this.errorPorts.map((port) => receiveMessageOnPort(port)?.message as string | undefined);
      const message = messages.find((m) => m !== undefined) ?? 'no message';
      throw new Error(`convlab: a WebAssembly kernel (${kernel}) failed in a worker thread: ${message}`);
    }
  }

  /** Stops the workers. */
  close(): void {
    this.closing = true;
    for (const worker of this.workers) void worker.terminate();
    for (const port of this.errorPorts) port.close();
  }
}
