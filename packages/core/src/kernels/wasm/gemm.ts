import type { WasmKernels } from '../backend.js';
import type { GemmArgs } from '../gemm.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

/**
 * {@link GemmArgs} on the WebAssembly kernels: A′ is packed once, then threads take blocks of C.
 * Returns NOT_HANDLED, leaving C untouched, when the call does not fit in WebAssembly memory.
 */
export function gemmWasm({ runtime, pool }: WasmKernels, args: GemmArgs): void | NotHandled {
  const { m, n, k } = args;
  const e = runtime.exports;
  const co = args.cOffset ?? 0;
  runtime.reset();
  const ap = runtime.alloc(m * k * 4);
  const apack = runtime.alloc(Math.ceil(m / 4) * 4 * k * 4);
  const bp = runtime.alloc(k * n * 4);
  const cp = runtime.alloc(m * n * 4);
  const stride = e.gemmScratchBytes();
  const scratch = runtime.alloc(stride * pool.size);
  if (Math.min(ap, apack, bp, cp, scratch) < 0) return NOT_HANDLED;
  runtime.write(ap, args.a, args.aOffset ?? 0, m * k);
  runtime.write(bp, args.b, args.bOffset ?? 0, k * n);
  if (args.accumulate) runtime.write(cp, args.c, co, m * n);
  e.packA(ap, args.transA ? m : k, args.transA ? 1 : 0, m, k, apack);
  const ldb = args.transB ? k : n;
  pool.run('gemmChunk', e.gemmChunks(m, n), [m, n, k, apack, bp, ldb, args.transB ? 1 : 0, cp, n, args.accumulate ? 1 : 0, scratch, stride], m * n * k);
  runtime.read(cp, args.c, co, m * n);
}
