import type { WasmKernels } from '../backend.js';
import type { BatchNormForwardArgs } from '../batch-norm2d.js';
import type { Conv2dCall } from '../conv2d-batch-norm.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import { batchNormInMemory } from './batch-norm2d.js';
import { conv2dIntoMemory } from './conv2d.js';

/**
 * The fused conv → batch norm (→ ReLU) on the WebAssembly kernels: the conv's output stays in
 * WebAssembly memory, is normalized (and rectified) in place, and only the result and `x̂` come
 * out, each read once into the array that keeps it. NOT_HANDLED when it does not fit in memory.
 */
export function conv2dBatchNormForwardWasm(kernels: WasmKernels, conv: Conv2dCall, norm: BatchNormForwardArgs): void | NotHandled {
  const yp = conv2dIntoMemory(kernels, conv.x, conv.weight, conv.bias, conv.geometry, false);
  if (yp === NOT_HANDLED) return NOT_HANDLED;
  const hp = batchNormInMemory(kernels, yp, yp, norm);
  if (hp === NOT_HANDLED) return NOT_HANDLED;
  kernels.runtime.read(yp, norm.y);
  kernels.runtime.read(hp, norm.xHat);
}
