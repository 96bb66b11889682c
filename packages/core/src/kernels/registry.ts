import { wasmKernels, type WasmKernels } from './backend.js';

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
}

const registry = new Map<string, { readonly wasm: boolean }>();

/**
 * Registers a kernel and returns its dispatcher: the WebAssembly implementation when the wasm
 * backend is active, the call has work and fits in memory; the TypeScript reference otherwise.
 */
export function defineKernel<A extends readonly unknown[], R>(kernel: KernelDefinition<A, R>): (...args: A) => R {
  registry.set(kernel.name, { wasm: kernel.wasm !== undefined });
  const { work, reference, wasm } = kernel;
  if (wasm === undefined) return reference;
  return (...args: A): R => {
    const kernels = work(...args) > 0 ? wasmKernels() : null;
    if (kernels !== null) {
      const result = wasm(kernels, ...args);
      if (result !== NOT_HANDLED) return result;
    }
    return reference(...args);
  };
}

/** Every registered kernel by name, and whether it has a WebAssembly implementation. */
export function kernelNames(): { readonly name: string; readonly wasm: boolean }[] {
  return [...registry].map(([name, { wasm }]) => ({ name, wasm }));
}
