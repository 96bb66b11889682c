import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

/**
 * An optimizer's per-parameter buffer with the values of `values`, kept in WebAssembly memory
 * ({@link WasmRuntime.keepArray}) so that {@link sgdMomentumStepWasm} updates it where it lies;
 * NOT_HANDLED when the memory cannot hold it.
 */
export function optimizerBufferWasm({ runtime }: WasmKernels, values: Float32Array): Float32Array | NotHandled {
  return runtime.addressOf(values) >= 0 ? values : runtime.keepArray(values) ?? NOT_HANDLED;
}

/**
 * SGD's momentum (or Nesterov) update of `w` and `b` (kernels/sgd.ts) on the WebAssembly kernels,
 * bit for bit the reference's: w and the gradient are copied in, w out; the momentum buffer `b`
 * must be one of {@link optimizerBufferWasm}'s (NOT_HANDLED otherwise, or when out of memory).
 */
export function sgdMomentumStepWasm(
  { runtime, pool }: WasmKernels, w: Float32Array, grad: Float32Array, b: Float32Array, lr: number, mu: number, wd: number, damp: number, nesterov: boolean,
): void | NotHandled {
  const bp = runtime.addressOf(b);
  if (bp < 0) return NOT_HANDLED;
  runtime.reset();
  const n = w.length;
  const wp = runtime.alloc(n * 4);
  const gp = runtime.alloc(n * 4);
  if (Math.min(wp, gp) < 0) return NOT_HANDLED;
  runtime.write(wp, w);
  runtime.write(gp, grad);
  pool.run(nesterov ? 'sgdNesterovChunk' : 'sgdMomentumChunk', runtime.exports.sgdChunks(n), [wp, gp, bp, n, lr, mu, wd, damp], n);
  runtime.read(wp, w);
}
