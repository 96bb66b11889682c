import type { WasmKernels } from '../backend.js';
import type { GemmArgs } from '../gemm.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';

/** Rows of A′ below which `A·Bᵀ` runs as dot products (assembly/matrix-vector.ts) instead of on the 4-row tile. */
const DOT_ROWS_BELOW = 4;

/**
 * B's address: where it lies when it is a whole array in WebAssembly memory (a resident
 * parameter's values, residentParameterValues), kept in the weight cache when `bVersion` says which
 * version of a whole tensor it is, else copied into the arena; -1 when memory is exhausted. Call
 * right after reset().
 */
function placeB({ runtime, weights }: WasmKernels, args: GemmArgs): number {
  const floats = args.k * args.n;
  const whole = (args.bOffset ?? 0) === 0 && args.b.length === floats;
  const own = whole ? runtime.addressOf(args.b) : -1;
  if (own >= 0) return own;
  if (args.bVersion !== undefined && whole) {
    const kept = weights.lookup(args.b, args.bVersion, 'gemm-b', floats * 4, (at) => runtime.write(at, args.b, 0, floats));
    if (kept >= 0) return kept;
  }
  const bp = runtime.alloc(floats * 4);
  if (bp >= 0) runtime.write(bp, args.b, args.bOffset ?? 0, floats);
  return bp;
}

/**
 * {@link GemmArgs} on the WebAssembly kernels: A′ is packed once, then threads take blocks of C;
 * `A·Bᵀ` with fewer than 4 rows of A (a Linear layer at batch 1–3) runs as one dot product per
 * output instead, reading B as it lies. B stays in memory between calls when `bVersion` is given.
 * Returns NOT_HANDLED, leaving C untouched, when the call does not fit in WebAssembly memory.
 */
export function gemmWasm(kernels: WasmKernels, args: GemmArgs): void | NotHandled {
  const { runtime, pool } = kernels;
  const { m, n, k } = args;
  const e = runtime.exports;
  const co = args.cOffset ?? 0;
  runtime.reset();
  const bp = placeB(kernels, args);
  const dots = args.transB === true && args.transA !== true && args.accumulate !== true && m < DOT_ROWS_BELOW;
  const ap = runtime.alloc(m * k * 4);
  const apack = dots ? 0 : runtime.alloc(Math.ceil(m / 4) * 4 * k * 4);
  const cp = runtime.alloc(m * n * 4);
  const stride = e.gemmScratchBytes();
  const scratch = dots ? 0 : runtime.alloc(stride * pool.size);
  if (Math.min(ap, apack, bp, cp, scratch) < 0) return NOT_HANDLED;
  runtime.write(ap, args.a, args.aOffset ?? 0, m * k);
  if (dots) {
    pool.run('rowDotsChunk', e.rowDotsChunks(n), [m, n, k, ap, bp, cp], m * n * k);
    runtime.read(cp, args.c, co, m * n);
    return;
  }
  if (args.accumulate) runtime.write(cp, args.c, co, m * n);
  pool.run('packAChunk', e.packAChunks(m), [ap, args.transA ? m : k, args.transA ? 1 : 0, m, k, apack], m * k);
  const ldb = args.transB ? k : n;
  pool.run('gemmChunk', e.gemmChunks(m, n), [m, n, k, apack, bp, ldb, args.transB ? 1 : 0, cp, n, args.accumulate ? 1 : 0, scratch, stride], m * n * k);
  runtime.read(cp, args.c, co, m * n);
}
