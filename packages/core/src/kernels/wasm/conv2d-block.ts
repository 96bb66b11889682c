import type { WasmKernels } from '../backend.js';
import type { Conv2dBlockArgs } from '../conv2d-block.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import { conv2dIntoMemory } from './conv2d.js';
import { maxPool2dInMemory } from './max-pool2d.js';

/**
 * The fused block `out = maxPool(relu(conv2d(x, weight) + bias))` on the WebAssembly kernels, the
 * ReLU applied by each conv chunk to the block it just wrote and the pooling reading the conv's
 * output where it lies, so that only x comes in and only the pooled result goes out (the packed
 * weights stay in the weight cache between calls when `weightVersion` is given). Returns
 * NOT_HANDLED, `out` untouched, when the call does not fit in memory.
 */
export function conv2dBlockWasm(kernels: WasmKernels, { x, weight, bias, conv, relu, pool, out, weightVersion }: Conv2dBlockArgs): void | NotHandled {
  const yp = conv2dIntoMemory(kernels, x, weight, bias, conv, relu, weightVersion ?? null);
  if (yp === NOT_HANDLED) return NOT_HANDLED;
  if (pool === null) {
    kernels.runtime.read(yp, out);
    return;
  }
  const pooled = maxPool2dInMemory(kernels, yp, pool, false);
  if (pooled === NOT_HANDLED) return NOT_HANDLED;
  kernels.runtime.read(pooled.yp, out);
}
