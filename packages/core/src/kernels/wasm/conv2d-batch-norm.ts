import type { Pool2dGeometry } from '../../shape/pool-geometry.js';
import type { WasmKernels } from '../backend.js';
import type { BatchNormForwardArgs } from '../batch-norm2d.js';
import type { BatchNormSaved, Conv2dBackwardCall, Conv2dBatchNormGradients, Conv2dCall, MaxPoolCall, PooledOutput } from '../conv2d-batch-norm.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import { batchNormBackwardSums, batchNormInMemory } from './batch-norm2d.js';
import { READ_SLACK, conv2dBackwardFromMemory, conv2dIntoMemory, declined } from './conv2d.js';
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
 * Writes at `dyp` the gradient of a fused block's pooling input from the pooled gradient `g`:
 * masked where the pooled value is ≤ 0 (when `pool.out` is given: the ReLU before the pooling),
 * then scattered to the arg-maxes. Allocates after what the arena holds; false when out of memory.
 */
function scatterPooledGradient(kernels: WasmKernels, g: Float32Array, pool: PooledOutput, dyp: number): boolean {
  const { runtime, pool: threads } = kernels;
  const e = runtime.exports;
  const p: Pool2dGeometry = pool.geometry;
  const shape = runtime.writeRecord(POOL_SHAPE_FIELDS, p);
  const gp = runtime.alloc(g.length * 4);
  const op = pool.out === null ? 0 : runtime.alloc(g.length * 4);
  const ap = runtime.alloc(g.length * 4);
  if (Math.min(shape, gp, op, ap) < 0) return false;
  runtime.write(gp, g);
  runtime.writeInts(ap, pool.argmax);
  if (pool.out !== null) {
    runtime.write(op, pool.out);
    threads.run('reluBackwardChunk', e.reluChunks(g.length), [op, gp, gp, g.length], g.length);
  }
  threads.run('maxPool2dBackwardChunk', e.maxPool2dChunks(shape), [shape, gp, ap, dyp], p.batch * p.channels * p.inH * p.inW);
  return true;
}

/**
 * The whole backward of a fused conv → batch norm (→ ReLU) (→ max pool) on the WebAssembly
 * kernels (see conv2dBatchNormBackward): batch norm's backward writes the conv's output gradient
 * in WebAssembly memory and the conv's backward reads it there, so that it is neither read out
 * nor copied back in. NOT_HANDLED when it does not fit in memory.
 */
export function conv2dBatchNormBackwardWasm(
  kernels: WasmKernels, g: Float32Array, norm: BatchNormSaved, conv: Conv2dBackwardCall,
): Conv2dBatchNormGradients | NotHandled {
  const { runtime } = kernels;
  const { batch, outChannels, outH, outW } = conv.geometry;
  const size = batch * outChannels * outH * outW;
  // Taken first: a new block of it resets the arena.
  const resident = conv.need.weight ? kernels.gradients.take(conv.weight.length) : null;
  runtime.reset();
  const dyp = runtime.alloc(size * 4 + READ_SLACK);
  const hp = runtime.alloc(size * 4);
  const rp = norm.pool === null && norm.reluOut !== null ? runtime.alloc(size * 4) : 0;
  if (Math.min(dyp, hp, rp) < 0) return declined(resident);
  if (norm.pool !== null) {
    if (!scatterPooledGradient(kernels, g, norm.pool, dyp)) return declined(resident);
  } else runtime.write(dyp, g);
  if (rp !== 0) runtime.write(rp, norm.reluOut!);
  runtime.write(hp, norm.xHat);
  const sums = batchNormBackwardSums(kernels, dyp, hp, rp, batch, outChannels, outH * outW, norm.invStd, norm.gamma, norm.training);
  if (sums === NOT_HANDLED) return declined(resident);
  const grads = conv2dBackwardFromMemory(kernels, { at: dyp, length: size }, conv.x, conv.weight, conv.geometry, conv.need, resident);
  if (grads === NOT_HANDLED) return NOT_HANDLED;
  return { conv: grads, ...sums };
}
