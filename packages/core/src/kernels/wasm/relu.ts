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

/** `y = max(a + b, 0)` on the WebAssembly kernels; NOT_HANDLED (y untouched) when it does not fit in memory. */
export function addReluForwardWasm({ runtime, pool }: WasmKernels, a: Float32Array, b: Float32Array, y: Float32Array): void | NotHandled {
  runtime.reset();
  const ap = runtime.alloc(a.length * 4);
  const bp = runtime.alloc(b.length * 4);
  if (Math.min(ap, bp) < 0) return NOT_HANDLED;
  runtime.write(ap, a);
  runtime.write(bp, b);
  pool.run('addReluForwardChunk', runtime.exports.reluChunks(a.length), [ap, bp, ap, a.length], a.length);
  runtime.read(ap, y);
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
