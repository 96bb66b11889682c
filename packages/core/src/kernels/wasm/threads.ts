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
const NARGS = 5;
const NEXT_BYTE = 32; // BigInt64: generation << 32 | next chunk index
const ARGS_BYTE = 64; // Float64 × MAX_ARGS
const MAX_ARGS = 16;
const CONTROL_BYTES = ARGS_BYTE + 8 * MAX_ARGS;

/** Below this many multiply-adds a job stays on the calling thread (waking a worker costs ~20 µs). */
export const PARALLEL_MIN_WORK = 1 << 20;

/** Iterations of polling before sleeping: bridges the short gaps between the ops of one batch. */
const SPIN = 20000;

// The worker's program (plain JavaScript, run with eval so that no file path has to be resolved).
const workerSource = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, kernels, thread, port } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = kernels.map((name) => instance.exports[name]);
const ctl = new Int32Array(control, 0, ${NARGS + 1});
const next = new BigInt64Array(control, ${NEXT_BYTE}, 1);
const args = new Float64Array(control, ${ARGS_BYTE}, ${MAX_ARGS});
let seen = 0;
for (;;) {
  let gen = Atomics.load(ctl, ${GEN});
  for (let spin = 0; gen === seen && spin < ${SPIN}; spin++) gen = Atomics.load(ctl, ${GEN});
  while (gen === seen) {
    Atomics.wait(ctl, ${GEN}, seen);
    gen = Atomics.load(ctl, ${GEN});
  }
  seen = gen;
  const tag = BigInt(gen);
  const fn = fns[ctl[${KERNEL}]];
  const total = ctl[${TOTAL}];
  const a = Array.from(args.subarray(0, ctl[${NARGS}]));
  for (;;) {
    const v = Atomics.load(next, 0);
    if (v >> 32n !== tag || Number(v & 0xffffffffn) >= total) break;
    if (Atomics.compareExchange(next, 0, v, v + 1n) !== v) continue;
    try {
      fn(Number(v & 0xffffffffn), thread, ...a);
    } catch (error) {
      Atomics.store(ctl, ${FAILED}, 1);
      port.postMessage(String(error && error.stack || error));
    }
    if (Atomics.add(ctl, ${DONE}, 1) + 1 === total) Atomics.notify(ctl, ${DONE});
  }
}
`;

/** Runs chunked kernels on the calling thread plus `size − 1` worker threads (Node's worker_threads when size > 1). */
export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly next: BigInt64Array;
  private readonly args: Float64Array;
  private readonly workers: Worker[] = [];
  /** One port per worker, on which it posts the message of a chunk that threw. */
  private readonly errorPorts: MessagePort[] = [];

  constructor(private readonly runtime: WasmRuntime, readonly size: number) {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    this.ctl = new Int32Array(control, 0, NARGS + 1);
    this.next = new BigInt64Array(control, NEXT_BYTE, 1);
    this.args = new Float64Array(control, ARGS_BYTE, MAX_ARGS);
    const threads = size > 1 ? requireNodeModule('node:worker_threads', 'ThreadPool') : null;
    for (let thread = 1; thread < size; thread++) {
      const { port1, port2 } = new threads!.MessageChannel();
      const worker = new threads!.Worker(workerSource, {
        eval: true,
        workerData: { module: runtime.module, memory: runtime.memory, control, kernels: chunkKernels, thread, port: port2 },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      this.workers.push(worker);
      this.errorPorts.push(port1);
    }
  }

  /**
   * Runs chunks `0 … chunks − 1` of `kernel(chunk, thread, ...args)` and returns when all are done.
   * `work` (multiply-adds) below {@link PARALLEL_MIN_WORK} keeps the job on this thread.
   */
  run(kernel: ChunkKernel, chunks: number, args: readonly number[], work: number): void {
    const fn = this.runtime.exports[kernel] as (chunk: number, thread: number, ...rest: number[]) => void;
    if (this.workers.length === 0 || chunks < 2 || work < PARALLEL_MIN_WORK) {
      for (let i = 0; i < chunks; i++) fn(i, 0, ...args);
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
    for (;;) {
      const v = Atomics.load(next, 0);
      if (Number(v & 0xffffffffn) >= chunks) break;
      if (Atomics.compareExchange(next, 0, v, v + 1n) !== v) continue;
      try {
        fn(Number(v & 0xffffffffn), 0, ...args);
      } catch (error) {
        failure ??= error;
      }
      Atomics.add(ctl, DONE, 1);
    }
    for (let spin = 0, done = Atomics.load(ctl, DONE); done < chunks; done = Atomics.load(ctl, DONE)) {
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
    for (const worker of this.workers) void worker.terminate();
    for (const port of this.errorPorts) port.close();
  }
}
