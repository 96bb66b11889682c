import { wasmKernels, type Backend, type WasmKernels } from './backend.js';
import { PARALLEL_MIN_WORK } from './wasm/threads.js';

/** What a WebAssembly implementation returns when it does not take a call (it does not fit in its memory). */
export const NOT_HANDLED: unique symbol = Symbol('not handled');
export type NotHandled = typeof NOT_HANDLED;

/** `T`, but not a place to infer `T` from (TypeScript's own NoInfer needs 5.4; tslab's compiler is 5.0). */
type Inferred<T> = [T][T extends unknown ? 0 : never];

/**
 * A compute kernel: the TypeScript reference and, where one exists, a WebAssembly implementation
 * with the same signature and results (up to float32 rounding). Ops call kernels only through
 * {@link defineKernel}'s dispatcher and never see the backend.
 */
export interface KernelDefinition<A extends readonly unknown[], R> {
  /** The kernel's name, as listed by {@link kernelNames}: `conv2dForward`. */
  readonly name: string;
  /** How much a call computes (elements or multiply-adds); a call with none runs the reference. */
  readonly work: (...args: Inferred<A>) => number;
  readonly reference: (...args: A) => R;
  /** Runs the call on the WebAssembly kernels, or returns {@link NOT_HANDLED} (the reference then runs). */
  readonly wasm?: (kernels: WasmKernels, ...args: Inferred<A>) => Inferred<R> | NotHandled;
  /** For {@link traceKernels}: the path a call takes on `backend`, what it computes and how many multiply-adds that is. */
  readonly describe?: (backend: Backend, ...args: Inferred<A>) => { readonly path: string; readonly shape: string; readonly multiplyAdds?: number };
}

/** One kernel call seen by {@link traceKernels}. */
export interface KernelCall {
  /** The kernel's name, e.g. `conv2dForward`. */
  readonly kernel: string;
  /** `'wasm'` when the WebAssembly implementation took the call, `'ts'` when the reference ran. */
  readonly backend: Backend;
  /** Threads that shared the call's work: 1 on `'ts'` and for calls too small to share. */
  readonly threads: number;
  /** The path inside the implementation, for kernels that tell it: `'winograd'`, `'direct'`, `'im2col-gemm'`… */
  readonly path?: string;
  /** What the call computed, for kernels that tell it: `x [128,32,32,32] w [64,32,3,3] stride 1 padding 1`. */
  readonly shape?: string;
  /**
   * Multiply-adds of the textbook computation, for kernels that tell it (a conv's direct
   * convolution: `N·C_out·H_out·W_out·(C_in/groups)·k_H·k_W` per gradient or forward), whatever
   * the path does: Winograd does fewer, so its rate can pass the hardware's.
   */
  readonly multiplyAdds?: number;
  /** Wall-clock milliseconds the call took, from dispatch to return (reading outputs back included). */
  readonly ms: number;
}

const registry = new Map<string, { readonly wasm: boolean }>();

/** The calls being recorded by the innermost {@link traceKernels}, or null. */
let trace: KernelCall[] | null = null;

/**
 * Runs `fn` and records every kernel call it makes, in order: which kernel, on which backend and
 * how many threads, how long it took, and (for the conv kernels) which path, on what shape and how
 * many multiply-adds. What the benchmark reports as "which path ran" and at what rate.
 * @example traceKernels(() => model.call(x)).calls.filter((c) => c.kernel === 'conv2dForward')
 */
export function traceKernels<T>(fn: () => T): { readonly result: T; readonly calls: readonly KernelCall[] } {
  const outer = trace;
  const calls: KernelCall[] = [];
  trace = calls;
  try {
    return { result: fn(), calls };
  } finally {
    trace = outer;
  }
}

/**
 * Registers a kernel and returns its dispatcher: the WebAssembly implementation when the wasm
 * backend is active, the call has work and fits in memory; the TypeScript reference otherwise.
 */
export function defineKernel<A extends readonly unknown[], R>(kernel: KernelDefinition<A, R>): (...args: A) => R {
  registry.set(kernel.name, { wasm: kernel.wasm !== undefined });
  const { name, work, reference, wasm, describe } = kernel;
  const record = (backend: Backend, threads: number, args: A, start: number): void => {
    const ms = performance.now() - start;
    trace!.push({ kernel: name, backend, threads, ...describe?.(backend, ...args), ms });
  };
  if (wasm === undefined) {
    return (...args: A): R => {
      if (trace === null) return reference(...args);
      const start = performance.now();
      const result = reference(...args);
      record('ts', 1, args, start);
      return result;
    };
  }
  return (...args: A): R => {
    const start = trace === null ? 0 : performance.now();
    const amount = work(...args);
    const kernels = amount > 0 ? wasmKernels() : null;
    if (kernels !== null) {
      const result = wasm(kernels, ...args);
      if (result !== NOT_HANDLED) {
        if (trace !== null) record('wasm', amount < PARALLEL_MIN_WORK ? 1 : kernels.pool.size, args, start);
        return result;
      }
    }
    const result = reference(...args);
    if (trace !== null) record('ts', 1, args, start);
    return result;
  };
}

/** Every registered kernel by name, and whether it has a WebAssembly implementation. */
export function kernelNames(): { readonly name: string; readonly wasm: boolean }[] {
  return [...registry].map(([name, { wasm }]) => ({ name, wasm }));
}
