import { fail } from '../errors.js';
import { nodeModule } from '../platform.js';
import { ThreadPool } from './wasm/threads.js';
import { WasmRuntime } from './wasm/runtime.js';
import { ResidentGradients } from './wasm/resident-gradients.js';
import { WeightCache } from './wasm/weight-cache.js';

/**
 * Where the heavy kernels (convolution, matrix products) run: `'wasm'`, WebAssembly SIMD on
 * worker threads over shared memory, or `'ts'`, the reference TypeScript kernels on the calling
 * thread. Both give the same results up to float32 rounding; `'wasm'` is the default wherever
 * WebAssembly SIMD and SharedArrayBuffer exist.
 */
export type Backend = 'wasm' | 'ts';

/** The WebAssembly kernels and the threads that share their memory. */
export interface WasmKernels {
  readonly runtime: WasmRuntime;
  readonly pool: ThreadPool;
  /** Layers' weights kept in the runtime's memory across calls. */
  readonly weights: WeightCache;
  /** Gradients the kernels leave in the runtime's memory. */
  readonly gradients: ResidentGradients;
}

const backends: readonly Backend[] = ['wasm', 'ts'];
/** Default thread count: the machine's cores, at most this many. */
const MAX_DEFAULT_THREADS = 8;

let runtime: WasmRuntime | null | undefined;
let chosen: Backend | undefined;
let threads: number | undefined;
let pool: ThreadPool | undefined;
let weights: WeightCache | undefined;
let gradients: ResidentGradients | undefined;

function loadRuntime(): WasmRuntime | null {
  if (runtime === undefined) runtime = WasmRuntime.create();
  return runtime;
}

function envValue(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Chooses the backend for all later ops (the environment variable `CONVLAB_BACKEND` sets the
 * initial choice). Throws if `'wasm'` is asked for where WebAssembly SIMD or shared memory is missing.
 * @example setBackend('ts') // run the reference TypeScript kernels
 */
export function setBackend(name: Backend): void {
  if (!backends.includes(name)) fail('setBackend', `backend must be 'wasm' or 'ts', got ${JSON.stringify(name)}`);
  if (name === 'wasm' && loadRuntime() === null) {
    fail('setBackend', "backend 'wasm' needs WebAssembly SIMD and SharedArrayBuffer, which this JavaScript engine does not offer");
  }
  chosen = name;
}

/** The active backend: `'wasm'` or `'ts'`. */
export function getBackend(): Backend {
  if (chosen === undefined) {
    const fromEnv = envValue('CONVLAB_BACKEND');
    if (fromEnv !== undefined && !backends.includes(fromEnv as Backend)) fail('CONVLAB_BACKEND', `expected 'wasm' or 'ts', got '${fromEnv}'`);
    if (fromEnv !== undefined) setBackend(fromEnv as Backend);
    else chosen = loadRuntime() === null ? 'ts' : 'wasm';
  }
  return chosen!;
}

/**
 * Sets how many threads the wasm backend uses (the calling thread plus `n − 1` workers; the
 * environment variable `CONVLAB_THREADS` sets the initial number, default the number of cores up
 * to 8). More threads than the machine has cores are never started: `n` is capped at the core
 * count (`getNumThreads()` tells what is used). Results do not depend on it. Worker threads need
 * Node's `worker_threads`: in a browser the kernels run on the calling thread and only 1 is accepted.
 */
export function setNumThreads(requested: number): void {
  if (!Number.isInteger(requested) || requested < 1) fail('setNumThreads', `expected a positive integer, got ${requested}`);
  if (requested > 1 && nodeModule('node:worker_threads') === null) {
    fail('setNumThreads', `worker threads need Node.js (node:worker_threads); here the kernels run on the calling thread only, got ${requested}`);
  }
  const n = Math.min(requested, cores());
  if (pool !== undefined && pool.requested !== n) {
    pool.close();
    pool = undefined;
  }
  threads = n;
}

/** The machine's cores (1 where Node's `os` is missing): the most threads convlab starts. */
function cores(): number {
  return nodeModule('node:os')?.availableParallelism() ?? 1;
}

/**
 * The number of threads the wasm backend uses: the number set (or the default) until the kernels
 * first run, then the calling thread plus the workers that have not failed (a worker that fails is
 * reported on the console and its share runs on the calling thread).
 */
export function getNumThreads(): number {
  return pool?.size ?? requestedThreads();
}

function requestedThreads(): number {
  if (threads === undefined) {
    const fromEnv = envValue('CONVLAB_THREADS');
    if (fromEnv !== undefined && !/^[1-9]\d*$/.test(fromEnv)) fail('CONVLAB_THREADS', `expected a positive integer, got '${fromEnv}'`);
    if (fromEnv !== undefined) setNumThreads(Number(fromEnv));
    else threads = nodeModule('node:worker_threads') === null ? 1 : Math.min(cores(), MAX_DEFAULT_THREADS);
  }
  return threads!;
}

/**
 * @internal The WebAssembly runtime (its memory, without the worker threads {@link wasmKernels}
 * starts) when the wasm backend is active, else null.
 */
export function wasmRuntime(): WasmRuntime | null {
  return getBackend() === 'wasm' ? loadRuntime() : null;
}

/** @internal The WebAssembly kernels when the wasm backend is active, else null. */
export function wasmKernels(): WasmKernels | null {
  const rt = wasmRuntime();
  if (rt === null) return null;
  if (pool === undefined) pool = new ThreadPool(rt, requestedThreads());
  weights ??= new WeightCache(rt);
  gradients ??= new ResidentGradients(rt);
  return { runtime: rt, pool, weights, gradients };
}
