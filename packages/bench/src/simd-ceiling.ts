// The SIMD ceiling of this machine for convlab's kernels: the rate of a loop that does nothing but
// independent f32x4 multiply-adds (assembly/ceiling.ts), compiled with the same AssemblyScript and
// the same features as the kernels (relaxed SIMD where the host validates it, as @convlab/core
// picks), run on 1 thread and on 2 threads at once. Each conv path's rate is reported as a
// fraction of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';

/** What the ceiling loop reached: GFLOP/s on one thread and on `threads` threads together. */
export interface SimdCeiling {
  /** Whether the loop used relaxed SIMD's fused multiply-add (one instruction per multiply-add). */
  readonly fusedMultiplyAdd: boolean;
  readonly oneThreadGflops: number;
  readonly threads: number;
  readonly allThreadsGflops: number;
}

/** Best of this many timed runs (noise only ever slows the loop down). */
const ROUNDS = 5;
/** Each timed run lasts about this long. */
const RUN_MS = 150;

const source = (): string => readFileSync(join(__dirname, '..', 'assembly', 'ceiling.ts'), 'utf8');

/** Compiles assembly/ceiling.ts; `relaxed` adds relaxed SIMD. */
export async function compileCeiling(relaxed: boolean): Promise<Uint8Array> {
  const { default: asc } = await import('assemblyscript/asc');
  const features = ['simd', ...(relaxed ? ['relaxed-simd'] : [])];
  const { binary, stderr } = await asc.compileString({ 'ceiling.ts': source() }, { optimizeLevel: 3, noAssert: true, runtime: 'stub', enable: features });
  if (binary === null) throw new Error(`asc failed to compile the SIMD ceiling: ${stderr.toString()}`);
  return binary;
}

// The part of the WebAssembly JavaScript API used here (the benchmark compiles without the DOM library).
interface WasmModule {
  readonly compiledModule: unique symbol;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, never>) => { readonly exports: unknown };
};

interface CeilingExports {
  spin(iterations: number, seed: number): number;
  readonly FLOPS_PER_ITERATION: { readonly value: number };
}

// Each worker instantiates the module, waits for the start signal, runs the loop and reports how
// long it took on its own clock.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, start, iterations } = workerData;
const { spin } = new WebAssembly.Instance(module, {}).exports;
spin(1000, 1);
const flag = new Int32Array(start);
Atomics.add(flag, 1, 1);
Atomics.notify(flag, 1);
Atomics.wait(flag, 0, 0);
const t = performance.now();
const sum = spin(iterations, 1);
parentPort.postMessage({ ms: performance.now() - t, sum });
`;

/** Runs `threads` workers on the loop at once; returns the GFLOP/s they reached together. */
async function together(module: WasmModule, threads: number, iterations: number, flopsPerIteration: number): Promise<number> {
  const start = new SharedArrayBuffer(8);
  const flag = new Int32Array(start);
  const workers = Array.from({ length: threads }, () => new Worker(WORKER, { eval: true, workerData: { module, start, iterations } }));
  const results = workers.map((w) => new Promise<{ ms: number }>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  }));
  while (Atomics.load(flag, 1) < threads) await new Promise((r) => setTimeout(r, 1));
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  const times = await Promise.all(results);
  await Promise.all(workers.map((w) => w.terminate()));
  const slowest = Math.max(...times.map((t) => t.ms));
  return (threads * iterations * flopsPerIteration) / (slowest * 1e6);
}

/** Measures the ceiling on 1 thread and on `threads` threads (the kernels' thread count). */
export async function measureSimdCeiling(threads: number): Promise<SimdCeiling> {
  const relaxedBytes = await compileCeiling(true);
  // Node 20 keeps relaxed SIMD behind a flag that @convlab/core switches on; do the same here so
  // the ceiling is measured with the instruction the kernels use.
  if (!WebAssembly.validate(relaxedBytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
  const fusedMultiplyAdd = WebAssembly.validate(relaxedBytes);
  const module = new WebAssembly.Module(fusedMultiplyAdd ? relaxedBytes : await compileCeiling(false));
  const probe = new WebAssembly.Instance(module, {}).exports as unknown as CeilingExports;
  const flopsPerIteration = probe.FLOPS_PER_ITERATION.value;
  const t = performance.now();
  probe.spin(1_000_000, 1);
  const iterations = Math.max(1_000_000, Math.round((1_000_000 * RUN_MS) / Math.max(performance.now() - t, 1e-3)));
  const best = async (n: number): Promise<number> => {
    let top = 0;
    for (let round = 0; round < ROUNDS; round++) top = Math.max(top, await together(module, n, iterations, flopsPerIteration));
    return top;
  };
  const oneThreadGflops = await best(1);
  const allThreadsGflops = threads > 1 ? await best(threads) : oneThreadGflops;
  return { fusedMultiplyAdd, oneThreadGflops, threads, allThreadsGflops };
}
