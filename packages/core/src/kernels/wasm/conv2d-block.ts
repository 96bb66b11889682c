import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { Pool2dGeometry } from '../../shape/pool-geometry.js';
import type { WasmKernels } from '../backend.js';
import { conv2dIntoMemory } from './conv2d.js';
import { maxPool2dInMemory } from './max-pool2d.js';

/**
 * `out = maxPool(relu(conv2d(x, weight) + bias))` on the WebAssembly kernels, the ReLU applied by
 * each conv chunk to the block it just wrote and the pooling reading the conv's output where it
 * lies, so that only x comes in and only the pooled result goes out. `relu` false skips the ReLU,
 * `pool` null the pooling. Returns false, `out` untouched, when the call does not fit in memory.
 */
export function conv2dBlockWasm(
  kernels: WasmKernels,
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array | null,
  conv: Conv2dGeometry,
  relu: boolean,
  pool: Pool2dGeometry | null,
  out: Float32Array,
): boolean {
  const yp = conv2dIntoMemory(kernels, x, weight, bias, conv, relu);
  if (yp < 0) return false;
  if (pool === null) {
    kernels.runtime.read(yp, out);
    return true;
  }
  const pooled = maxPool2dInMemory(kernels, yp, pool, false);
  if (pooled === null) return false;
  kernels.runtime.read(pooled.yp, out);
  return true;
}
