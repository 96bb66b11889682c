import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import type { ValuesVersion } from '../sgd.js';
import type { WasmRuntime } from './runtime.js';
import { VALUES_FORM } from './weight-cache.js';

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
 * bit for bit the reference's, through {@link updateKeptWeights}. The momentum buffer `b` must be
 * one of {@link optimizerBufferWasm}'s (NOT_HANDLED otherwise, or when out of memory).
 */
export function sgdMomentumStepWasm(
  kernels: WasmKernels, w: Float32Array, grad: Float32Array, b: Float32Array, lr: number, mu: number, wd: number, damp: number,
  nesterov: boolean, values: ValuesVersion,
): void | NotHandled {
  const { runtime, pool } = kernels;
  const bp = runtime.addressOf(b);
  if (bp < 0) return NOT_HANDLED;
  const n = w.length;
  return updateKeptWeights(kernels, w, grad, values, (wp, gp) => {
    pool.run('sgdMomentumChunk', runtime.exports.sgdChunks(n), [wp, gp, bp, n, lr, mu, wd, damp, nesterov ? 1 : 0], n);
  });
}

/**
 * An optimizer's step on the WebAssembly kernels: the gradient copied in (unless it is one the
 * kernels left in WebAssembly memory, ResidentGradients: then read where it lies), `update(wp, gp)` run on
 * the weights at `wp` and the gradient at `gp`. Weights that live in WebAssembly memory (a
 * resident parameter's, residentParameterValues) are updated where they lie. Others are updated
 * in their copy kept in the weight cache under {@link VALUES_FORM} (copied in only when
 * `values.version` is not the one it was kept for), written out, and the copy marked current for
 * the parameter (WeightCache.mirror), so that the next forward and backward find the weights
 * there. NOT_HANDLED when out of memory.
 */
export function updateKeptWeights(
  { runtime, weights }: WasmKernels, w: Float32Array, grad: Float32Array, values: ValuesVersion, update: (wp: number, gp: number) => void,
): void | NotHandled {
  const n = w.length;
  runtime.reset();
  const own = runtime.addressOf(w);
  if (own >= 0) {
    const gp = gradientIn(runtime, grad);
    if (gp < 0) return NOT_HANDLED;
    update(own, gp);
    return;
  }
  const kept = weights.lookup(w, values.version, VALUES_FORM, n * 4, (at) => runtime.write(at, w));
  const wp = kept >= 0 ? kept : runtime.alloc(n * 4);
  const gp = gradientIn(runtime, grad);
  if (Math.min(wp, gp) < 0) return NOT_HANDLED;
  if (kept < 0) runtime.write(wp, w);
  update(wp, gp);
  runtime.read(wp, w);
  if (kept >= 0) weights.mirror(w, values.owner);
}

/** The address of `grad` where it lies in WebAssembly memory, else of a copy of it in the arena; -1 when out of memory. */
function gradientIn(runtime: WasmRuntime, grad: Float32Array): number {
  const resident = runtime.addressOf(grad);
  if (resident >= 0) return resident;
  const at = runtime.alloc(grad.length * 4);
  if (at >= 0) runtime.write(at, grad);
  return at;
}
