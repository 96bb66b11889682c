import type { Conv2dGeometry } from '../../shape/conv-geometry.js';
import type { WasmKernels } from '../backend.js';
import type { GradientsNeeded } from '../im2col.js';
import { NOT_HANDLED, type NotHandled } from '../registry.js';
import { writeShape } from './conv-shape.js';
import { overwrittenGradientBuffer } from '../../gradient-buffers.js';

/**
 * Output positions per image up to which conv2d's gradients multiply whole-batch matrices
 * (assembly/conv2d-batch-gemm.ts): per image, a 512→512 3×3 layer at 4×4 streamed its 9 MB
 * weight-gradient rows per 16 positions and ran at 5–8 GFLOP/s. Measured against the per-image
 * paths (ResNet-18 at batch 8, 1 thread CPU, both gradients): 1.3–2× faster at 4×4 and 7×7, but
 * 0.85× at 14×14 (8×64×28×28 → 128, 3×3 and 1×1 stride 2).
 */
const BATCH_GEMM_POSITIONS = 64;
/** Largest whole-batch column matrix (floats) the batch-GEMM path builds. */
const BATCH_GEMM_COLUMN_FLOATS = 1 << 23;

/**
 * Output positions per image up to which, and taps from which, the im2col forward of several
 * images multiplies whole-batch matrices ({@link batchGemmForward}): per image, ResNet-18's 256→512
 * 3×3 stride-2 layer at 4×4 outputs (2304 taps) streams its 4.7 MB of packed weights past 16
 * positions. Measured against the per-image forward (batch 8, 1 thread CPU time, medians of 25, the
 * same values bit for bit): 1.15× faster at 2304 taps × 16 positions, 1.04× at 1152 × 49 (128→256
 * at 7×7), but 0.95× for the 1×1 stride-2 downsamples (128 and 256 taps), where the weights are small.
 */
const BATCH_FORWARD_POSITIONS = 64;
const BATCH_FORWARD_MIN_TAPS = 1024;

/**
 * Whether the whole-batch im2col and col2im of `g` go through x moved image innermost (xᵀ, see
 * assembly/conv2d-batch-gemm.ts): kernels wider than 1×1, whose taps read each input several
 * times. A 1×1 stride-2 kernel reads a quarter of the inputs once: moving all of x first took
 * 1.10–1.16× the time of reading x in place (8×128×14×14 → 256 and 8×256×7×7 → 512, both
 * gradients, 1-thread CPU time, medians of 11).
 */
const movesInput = (g: Conv2dGeometry): boolean => g.kH * g.kW > 1;

/** Whether the im2col forward of `g` runs {@link batchGemmForward}: one group, several images of few positions, many taps, a column matrix that fits. */
export function batchGemmForwardApplies(g: Conv2dGeometry): boolean {
  const positions = g.outH * g.outW;
  const taps = g.inChannels * g.kH * g.kW;
  return g.groups === 1 && g.batch > 1 && positions <= BATCH_FORWARD_POSITIONS && taps >= BATCH_FORWARD_MIN_TAPS
    && taps * g.batch * positions <= BATCH_GEMM_COLUMN_FLOATS;
}

/**
 * The im2col forward of a one-group conv as one whole-batch product: `y′ = bias + W·cols` with
 * cols the batch's column matrix `[K][P·N]` (column `p·N + n`: position p of image n; built from
 * x moved image innermost, {@link movesInput}; packed once for every row block of y′), then each
 * image's columns of y′ (`[C_out][P·N]`) moved into y (`[N][C_out][P]`) at `yp`
 * and rectified when `relu` is 1. Reads x at `xp` (with READ_SLACK bytes of slack), the weights
 * packed by packConvWeights at `packed`, the bias at `bp` (0 for none); equals the per-image
 * forward bit for bit; `meanwhile` runs on the calling thread while the workers start on the
 * product (see ThreadPool.run). False when out of memory.
 */
export function batchGemmForward(
  { runtime, pool }: WasmKernels, shape: number, xp: number, packed: number, bp: number, yp: number, g: Conv2dGeometry, relu: number,
  meanwhile?: () => void,
): boolean {
  const e = runtime.exports;
  const m = g.outChannels;
  const k = g.inChannels * g.kH * g.kW;
  const np = g.batch * g.outH * g.outW;
  const inner = movesInput(g);
  const xt = inner ? runtime.alloc(g.batch * g.inChannels * g.inH * g.inW * 4) : xp;
  const cols = runtime.alloc(k * np * 4);
  const bpack = runtime.alloc(e.packedBFloats(np, k) * 4);
  const product = runtime.alloc(m * np * 4);
  const stride = e.gemmPackedScratchBytes();
  const scratch = runtime.alloc(stride * pool.size);
  if (Math.min(xt, cols, bpack, product, scratch) < 0) return false;
  const images = e.batchGemmChunks(shape);
  if (inner) pool.run('batchInnerChunk', g.inChannels, [shape, xp, xt], g.batch * g.inChannels * g.inH * g.inW);
  pool.run('im2colBatchChunk', g.inChannels, [shape, xt, cols, inner ? 1 : 0], k * np);
  pool.run('packBChunk', e.packBChunks(np, k), [np, k, cols, np, 0, bpack], k * np);
  e.biasRows(bp, m, np, product);
  pool.run('gemmPackedChunk', e.gemmChunks(m, np), [m, np, k, packed, bpack, product, np, 1, scratch, stride], m * k * np, meanwhile);
  pool.run('batchOutputChunk', images, [shape, product, yp, relu], m * np);
  return true;
}

/** Whether the gradients of `g` may run {@link batchGemmGradients}: one group, few positions per image, a column matrix that fits. */
export function batchGemmApplies(g: Conv2dGeometry): boolean {
  const positions = g.outH * g.outW;
  return g.groups === 1 && positions <= BATCH_GEMM_POSITIONS && g.inChannels * g.kH * g.kW * g.batch * positions <= BATCH_GEMM_COLUMN_FLOATS;
}

/**
 * The gradients of a one-group conv2d from whole-batch matrices (`need.input`: dx; `need.weight`
 * or `need.bias`: dW and db), dy copied in once for both: with dyᵀ = dy channel-major
 * `[C_out][P·N]` and cols the batch's column matrix `[K][P·N]` (column `p·N + n`: position p of
 * image n, see {@link batchGemmForward}), `dW = dyᵀ·colsᵀ`, `db = Σ dyᵀ` along rows,
 * `dx = col2im(Wᵀ·dyᵀ)` (col2im into dx moved image innermost, then back). Blocks of each product are
 * reduced whole, so the results do not depend on the thread count. dW is written straight into
 * `resident` when given (an array of ResidentGradients), else read out. NOT_HANDLED when out of memory.
 */
export function batchGemmGradients(
  kernels: WasmKernels, dy: Float32Array, x: Float32Array, weight: Float32Array, g: Conv2dGeometry, need: GradientsNeeded,
  resident: Float32Array | null,
): { dx: Float32Array | null; dw: Float32Array | null; db: Float32Array | null } | NotHandled {
  const { runtime, pool } = kernels;
  const e = runtime.exports;
  runtime.reset();
  const m = g.outChannels;
  const k = g.inChannels * g.kH * g.kW;
  const np = g.batch * g.outH * g.outW;
  const weights = need.weight || need.bias;
  const shape = writeShape(kernels, g);
  const dyp = runtime.alloc(dy.length * 4);
  const dyt = runtime.alloc(dy.length * 4);
  const cols = runtime.alloc(k * np * 4);
  const apack = runtime.alloc(Math.max(weights ? Math.ceil(m / 4) * np : 0, need.input ? Math.ceil(k / 4) * m : 0) * 16);
  // B of each product packed once for every row block of C: colsᵀ (np×k) for dW, dyᵀ (m×np) for dx.
  const bpack = runtime.alloc(Math.max(weights ? e.packedBFloats(k, np) : 0, need.input ? e.packedBFloats(np, m) : 0) * 4);
  const stride = e.gemmPackedScratchBytes();
  const scratch = runtime.alloc(stride * pool.size);
  const xp = weights ? runtime.alloc(x.length * 4) : 0;
  // x image innermost for im2col; the input gradient's col2im the same way, on the same buffer.
  const inner = movesInput(g);
  const xt = inner ? runtime.alloc(x.length * 4) : 0;
  const residentAt = resident === null ? -1 : runtime.addressOf(resident);
  // dW then db, or only db when dW goes to the resident array.
  const dbp = weights ? runtime.alloc((residentAt >= 0 ? m : m * k + m) * 4) : 0;
  const dwp = residentAt >= 0 ? residentAt : dbp;
  const sums = residentAt >= 0 ? dbp : dbp + m * k * 4;
  // The weights as an optimizer's kernel left them in the weight cache (WeightCache.mirrored), else copied in.
  const kept = need.input ? kernels.weights.mirrored(weight) : -1;
  const wp = need.input && kept < 0 ? runtime.alloc(weight.length * 4) : kept;
  const dxp = need.input ? runtime.alloc(x.length * 4) : 0;
  if (Math.min(shape, dyp, dyt, cols, apack, bpack, scratch, xp, xt, dbp, dxp) < 0 || (need.input && wp < 0)) return NOT_HANDLED;
  runtime.write(dyp, dy);
  const images = e.batchGemmChunks(shape);
  pool.run('channelMajorChunk', images, [shape, dyp, dyt], dy.length);
  let dw: Float32Array | null = null;
  let db: Float32Array | null = null;
  if (weights) {
    runtime.write(xp, x);
    if (inner) pool.run('batchInnerChunk', g.inChannels, [shape, xp, xt], x.length);
    pool.run('im2colBatchChunk', g.inChannels, [shape, inner ? xt : xp, cols, inner ? 1 : 0], k * np);
    pool.run('packAChunk', e.packAChunks(m), [dyt, np, 0, m, np, apack], m * np);
    pool.run('packBChunk', e.packBChunks(k, np), [k, np, cols, np, 1, bpack], k * np);
    pool.run('gemmPackedChunk', e.gemmChunks(m, k), [m, k, np, apack, bpack, dwp, k, 0, scratch, stride], m * k * np);
    e.rowSums(dyt, m, np, sums);
    dw = resident ?? overwrittenGradientBuffer(m * k);
    if (dwp !== residentAt) runtime.read(dwp, dw);
    if (need.bias) {
      db = overwrittenGradientBuffer(m);
      runtime.read(sums, db);
    }
  }
  let dx: Float32Array | null = null;
  if (need.input) {
    if (kept < 0) runtime.write(wp, weight);
    pool.run('packAChunk', e.packAChunks(k), [wp, k, 1, k, m, apack], k * m);
    pool.run('packBChunk', e.packBChunks(np, m), [np, m, dyt, np, 0, bpack], m * np);
    pool.run('gemmPackedChunk', e.gemmChunks(k, np), [k, np, m, apack, bpack, cols, np, 0, scratch, stride], m * k * np);
    pool.run('col2imBatchChunk', g.inChannels, [shape, cols, inner ? xt : dxp, inner ? 1 : 0], k * np);
    if (inner) pool.run('batchOuterChunk', g.inChannels, [shape, xt, dxp], x.length);
    dx = overwrittenGradientBuffer(x.length);
    runtime.read(dxp, dx);
  }
  return { dx, dw: need.weight ? dw : null, db: need.bias ? db : null };
}
