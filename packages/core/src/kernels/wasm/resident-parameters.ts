import { wasmRuntime } from '../backend.js';

/**
 * Parameters of at least this many values keep them in WebAssembly memory: 2¹⁴, from where the
 * optimizers' steps run as WebAssembly kernels (smaller ones are stepped by TypeScript loops).
 */
export const RESIDENT_PARAMETER_MIN = 1 << 14;

/** @internal The size from which parameters are resident; tests set it to Infinity to compare. */
export const residentParameters = { min: RESIDENT_PARAMETER_MIN };

/**
 * Zeroed storage for a new parameter's `length` values in a persistent block of WebAssembly memory
 * (WasmRuntime.keepArray: an ordinary Float32Array viewing that memory, released once garbage-
 * collected), or null on the TypeScript backend, below {@link residentParameters}' size, or when
 * the memory cannot grow. An optimizer's kernel then updates the values where they lie and the
 * convolutions read them there (WeightCache.mirrored), so that no step copies the weights in or out.
 * Needs only the runtime's memory, so building a model starts no worker threads. Resets the
 * arena: not to be called inside a kernel call.
 */
export function residentParameterValues(length: number): Float32Array | null {
  if (length < residentParameters.min) return null;
  return wasmRuntime()?.keepArray(length)?.fill(0) ?? null;
}
