import type { Pool2dGeometry } from '../../shape/pool-geometry.js';
import type { WasmKernels } from '../backend.js';
import type { BatchNormForwardArgs } from '../batch-norm2d.js';
import type { Conv2dCall, MaxPoolCall, PooledOutput } from '../conv2d-batch-norm.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import { batchNormBackwardInMemory, batchNormInMemory, type BatchNormGradients } from './batch-norm2d.js';
import { conv2dIntoMemory } from './conv2d.js';
import { POOL_SHAPE_FIELDS } from './interface.js';
import { maxPool2dInMemory } from './max-pool2d.js';

/**
 * The fused conv → batch norm (→ ReLU) (→ max pool) on the WebAssembly kernels: the conv's output
 * stays in WebAssembly memory, is normalized (and rectified) in place and pooled there, and only
 * the result (pooled, with its arg-maxes, when pooling) and `x̂` come out, each read once into the
 * array that keeps it. NOT_HANDLED when it does not fit in memory.
 */
export function conv2dBatchNormForwardWasm(
  kernels: WasmKernels, conv: Conv2dCall, norm: BatchNormForwardArgs, pool: MaxPoolCall | null,
): void | NotHandled {
  const { runtime } = kernels;
  const yp = conv2dIntoMemory(kernels, conv.x, conv.weight, conv.bias, conv.geometry, false, null);
  if (yp === NOT_HANDLED) return NOT_HANDLED;
  const hp = batchNormInMemory(kernels, yp, yp, norm);
  if (hp === NOT_HANDLED) return NOT_HANDLED;
  if (pool !== null) {
    const pooled = maxPool2dInMemory(kernels, yp, pool.geometry, pool.argmax !== null);
    if (pooled === NOT_HANDLED) return NOT_HANDLED;
    runtime.read(pooled.yp, pool.out);
    if (pool.argmax !== null) runtime.readInts(pooled.ap, pool.argmax);
  }
  if (norm.y !== null) runtime.read(yp, norm.y);
  if (norm.xHat !== null) runtime.read(hp, norm.xHat);
}

/**
 * The backward of batch norm (→ ReLU) → max pool on the WebAssembly kernels (see
 * batchNormPoolBackward): the pooled gradient masked in place, scattered to the arg-maxes and
 * run through batch norm's backward without leaving WebAssembly memory.
 */
export function batchNormPoolBackwardWasm(
  kernels: WasmKernels, g: Float32Array, pool: PooledOutput, xHat: Float32Array, invStd: Float64Array, gamma: Float32Array | null,
  training: boolean,
): BatchNormGradients | NotHandled {
  const { runtime, pool: threads } = kernels;
  const e = runtime.exports;
  const p: Pool2dGeometry = pool.geometry;
  const size = p.batch * p.channels * p.inH * p.inW;
  runtime.reset();
  const shape = runtime.writeRecord(POOL_SHAPE_FIELDS, p);
  const gp = runtime.alloc(g.length * 4);
  const op = pool.out === null ? 0 : runtime.alloc(g.length * 4);
  const ap = runtime.alloc(g.length * 4);
  const dyp = runtime.alloc(size * 4);
  const hp = runtime.alloc(size * 4);
  if (Math.min(shape, gp, op, ap, dyp, hp) < 0) return NOT_HANDLED;
  runtime.write(gp, g);
  runtime.writeInts(ap, pool.argmax);
  runtime.write(hp, xHat);
  if (pool.out !== null) {
    runtime.write(op, pool.out);
    threads.run('reluBackwardChunk', e.reluChunks(g.length), [op, gp, gp, g.length], g.length);
  }
  threads.run('maxPool2dBackwardChunk', e.maxPool2dChunks(shape), [shape, gp, ap, dyp], size);
  return batchNormBackwardInMemory(kernels, dyp, hp, 0, p.batch, p.channels, p.inH * p.inW, invStd, gamma, training);
}
