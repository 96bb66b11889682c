import type { AdamScalars } from '../adam.js';
import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import type { ValuesVersion } from '../sgd.js';
import { updateKeptWeights } from './sgd.js';

/**
 * Adam's or AdamW's step (kernels/adam.ts) on the WebAssembly kernels (assembly/adam.ts), bit for
 * bit the reference's, through {@link updateKeptWeights}. The moment estimates m and v must be
 * kept in WebAssembly memory (optimizerBuffer); NOT_HANDLED otherwise, with AMSGrad (`vMax`), or
 * when out of memory.
 */
export function adamStepWasm(
  kernels: WasmKernels, w: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, vMax: Float32Array | null, s: AdamScalars,
  values: ValuesVersion,
): void | NotHandled {
  if (vMax !== null) return NOT_HANDLED;
  const { runtime, pool } = kernels;
  const [mp, vp] = [runtime.addressOf(m), runtime.addressOf(v)];
  if (Math.min(mp, vp) < 0) return NOT_HANDLED;
  const n = w.length;
  const scalars = [s.shrink, s.l2, s.b1, 1 - s.b1, s.b2, 1 - s.b2, s.stepSize, s.correction2Sqrt, s.eps];
  return updateKeptWeights(kernels, w, grad, values, (wp, gp) => {
    pool.run('adamChunk', runtime.exports.adamChunks(n), [wp, gp, mp, vp, n, ...scalars], n);
  });
}
