import type { WasmKernels } from '../backend.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

/** `y = relu(x)` on the WebAssembly kernels; NOT_HANDLED (y untouched) when it does not fit in memory. */
export function reluForwardWasm({ runtime, pool }: WasmKernels, x: Float32Array, y: Float32Array): void | NotHandled {
  runtime.reset();
  const xp = runtime.alloc(x.length * 4);
  const yp = runtime.alloc(y.length * 4);
  if (Math.min(xp, yp) < 0) return NOT_HANDLED;
  runtime.write(xp, x);
  pool.run('reluForwardChunk', runtime.exports.reluChunks(x.length), [xp, yp, x.length], x.length);
  runtime.read(yp, y);
}

/** `dx = dy where x > 0, else 0` on the WebAssembly kernels; NOT_HANDLED when it does not fit in memory. */
export function reluBackwardWasm({ runtime, pool }: WasmKernels, x: Float32Array, dy: Float32Array, dx: Float32Array): void | NotHandled {
  runtime.reset();
  const xp = runtime.alloc(x.length * 4);
  const dyp = runtime.alloc(dy.length * 4);
  const dxp = runtime.alloc(dx.length * 4);
  if (Math.min(xp, dyp, dxp) < 0) return NOT_HANDLED;
  runtime.write(xp, x);
  runtime.write(dyp, dy);
  pool.run('reluBackwardChunk', runtime.exports.reluChunks(x.length), [xp, dyp, dxp, x.length], x.length);
  runtime.read(dxp, dx);
}
