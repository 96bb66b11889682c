import type { WasmKernels } from '../backend.js';

/** `y = relu(x)` on the WebAssembly kernels; false (y untouched) when it does not fit in memory. */
export function reluForwardWasm({ runtime, pool }: WasmKernels, x: Float32Array, y: Float32Array): boolean {
  runtime.reset();
  const xp = runtime.alloc(x.length * 4);
  const yp = runtime.alloc(y.length * 4);
  if (Math.min(xp, yp) < 0) return false;
  runtime.write(xp, x);
  pool.run('reluForwardChunk', runtime.exports.reluChunks(x.length), [xp, yp, x.length], x.length);
  runtime.read(yp, y);
  return true;
}

/** `dx = dy where x > 0, else 0` on the WebAssembly kernels; false when it does not fit in memory. */
export function reluBackwardWasm({ runtime, pool }: WasmKernels, x: Float32Array, dy: Float32Array, dx: Float32Array): boolean {
  runtime.reset();
  const xp = runtime.alloc(x.length * 4);
  const dyp = runtime.alloc(dy.length * 4);
  const dxp = runtime.alloc(dx.length * 4);
  if (Math.min(xp, dyp, dxp) < 0) return false;
  runtime.write(xp, x);
  runtime.write(dyp, dy);
  pool.run('reluBackwardChunk', runtime.exports.reluChunks(x.length), [xp, dyp, dxp, x.length], x.length);
  runtime.read(dxp, dx);
  return true;
}
