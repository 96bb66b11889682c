import type { Pool2dGeometry } from '../../shape/pool-geometry.js';
import type { MaxPool2dResult } from '../max-pool2d.js';
import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import { POOL_SHAPE_FIELDS } from './interface.js';
import { overwrittenGradientBuffer } from '../../gradient-buffers.js';

/** Writes the PoolShape record of `g` (assembly/max-pool2d.ts) and returns its address. */
function writeShape({ runtime }: WasmKernels, g: Pool2dGeometry): number {
  return runtime.writeRecord(POOL_SHAPE_FIELDS, g);
}

/**
 * Max pooling of the input at address `xp` in WebAssembly memory into newly allocated outputs
 * there (the arena is not reset: `xp` may be another kernel's result). Returns the addresses of the
 * maxima and the arg-maxes (0 unless asked), or NOT_HANDLED when memory is exhausted.
 */
export function maxPool2dInMemory(
  kernels: WasmKernels, xp: number, g: Pool2dGeometry, withArgmax: boolean,
): { yp: number; ap: number } | NotHandled {
  const { runtime, pool } = kernels;
  const size = g.batch * g.channels * g.outH * g.outW;
  const shape = writeShape(kernels, g);
  const yp = runtime.alloc(size * 4);
  const ap = withArgmax ? runtime.alloc(size * 4) : 0;
  if (Math.min(shape, yp, ap) < 0) return NOT_HANDLED;
  pool.run('maxPool2dForwardChunk', runtime.exports.maxPool2dChunks(shape), [shape, xp, yp, ap], size * g.kH * g.kW);
  return { yp, ap };
}

/** Max pooling (with arg-max if asked) on the WebAssembly kernels; NOT_HANDLED when it does not fit in memory. */
export function maxPool2dForwardWasm(kernels: WasmKernels, x: Float32Array, g: Pool2dGeometry, withArgmax: boolean): MaxPool2dResult | NotHandled {
  const { runtime } = kernels;
  runtime.reset();
  const xp = runtime.alloc(x.length * 4);
  if (xp < 0) return NOT_HANDLED;
  runtime.write(xp, x);
  const pooled = maxPool2dInMemory(kernels, xp, g, withArgmax);
  if (pooled === NOT_HANDLED) return NOT_HANDLED;
  const out = new Float32Array(g.batch * g.channels * g.outH * g.outW);
  runtime.read(pooled.yp, out);
  if (!withArgmax) return { out, argmax: null };
  const argmax = new Int32Array(out.length);
  runtime.readInts(pooled.ap, argmax);
  return { out, argmax };
}

/** The gradient of max pooling on the WebAssembly kernels; NOT_HANDLED when it does not fit in memory. */
export function maxPool2dBackwardWasm(kernels: WasmKernels, dy: Float32Array, argmax: Int32Array, g: Pool2dGeometry): Float32Array | NotHandled {
  const { runtime, pool } = kernels;
  runtime.reset();
  const inSize = g.batch * g.channels * g.inH * g.inW;
  const shape = writeShape(kernels, g);
  const dyp = runtime.alloc(dy.length * 4);
  const ap = runtime.alloc(argmax.length * 4);
  const dxp = runtime.alloc(inSize * 4);
  if (Math.min(shape, dyp, ap, dxp) < 0) return NOT_HANDLED;
  runtime.write(dyp, dy);
  runtime.writeInts(ap, argmax);
  pool.run('maxPool2dBackwardChunk', runtime.exports.maxPool2dChunks(shape), [shape, dyp, ap, dxp], inSize);
  const dx = overwrittenGradientBuffer(inSize);
  runtime.read(dxp, dx);
  return dx;
}
