// conv2d gradients as products of whole-batch matrices, for layers with few output positions per
// image (deep layers: 4×4, 7×7), where per-image products are too thin to reuse what they load
// (a 512→512 3×3 layer at 4×4 streams its 9 MB of weights or weight gradient per image of 16
// positions). One group; the columns of every matrix are the batch's positions ordered image
// innermost (column `p·N + n` = position p of image n), so that with x first moved image
// innermost (`xᵀ = [C][H·W][N]`) each tap of each position is a run of N consecutive floats to
// copy (im2col) or add (col2im), whatever the stride, instead of runs of a few positions along
// an output row. With dyᵀ = `[C_out][P·N]` and cols = `[K][P·N]`:
//   weight gradient   dW = dyᵀ · colsᵀ        [C_out×PN]·[PN×K]
//   input gradient    cols′ = Wᵀ · dyᵀ, then col2im channel by channel into dxᵀ, moved back to dx
//   forward           y′ = W · cols (+ bias)                   [C_out×K]·[K×PN]
// on gemmChunk, whose chunks are blocks of the result, each reduced whole in order: the sums do
// not depend on the thread count. The forward's y′ (`[C_out][P·N]`) starts from the bias and
// adds the reduction blocks in the order the per-image forward does, so it equals that bit for
// bit; col2im adds each input position's taps in the order the per-image col2im does.

import { copyFloats, sum, zeros } from './conv2d';
import { bytes, ConvShape, positions } from './conv-shape';
import { validHi, validLo } from './im2col';
import { reluInPlace } from './relu';

/** Chunks of the kernels below that go image by image: one per image. */
export function batchGemmChunks(shape: usize): i32 {
  return changetype<ConvShape>(shape).batch;
}

/** Adds `n` floats of src into dst, four at a time. */
@inline function addRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + bytes(i), f32x4.add(v128.load(dst + bytes(i)), v128.load(src + bytes(i))));
  for (; i < n; i++) store<f32>(dst + bytes(i), load<f32>(dst + bytes(i)) + load<f32>(src + bytes(i)));
}

/** Image `chunk` of dy (`[N][C_out][P]`) into its columns of dyᵀ (`[C_out][P·N]`, image innermost) at dst. */
export function channelMajorChunk(chunk: i32, thread: i32, shape: usize, dy: usize, dst: usize): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const nb = s.batch;
  for (let o = 0; o < s.outC; o++) {
    const src = dy + bytes((chunk * s.outC + o) * p);
    const d = dst + bytes(o * p * nb + chunk);
    for (let q = 0; q < p; q++) store<f32>(d + bytes(q * nb), load<f32>(src + bytes(q)));
  }
}

/** Input channel `chunk` of x (`[N][C][H·W]`) image innermost into xᵀ (`[C][H·W][N]`) at dst. */
export function batchInnerChunk(chunk: i32, thread: i32, shape: usize, x: usize, dst: usize): void {
  const s = changetype<ConvShape>(shape);
  const hw = s.inH * s.inW;
  const nb = s.batch;
  const plane = dst + bytes(chunk * hw * nb);
  for (let n = 0; n < nb; n++) {
    const src = x + bytes((n * s.inC + chunk) * hw);
    for (let q = 0; q < hw; q++) store<f32>(plane + bytes(q * nb + n), load<f32>(src + bytes(q)));
  }
}

/** Input channel `chunk` of dxᵀ (`[C][H·W][N]`) back into dx (`[N][C][H·W]`). */
export function batchOuterChunk(chunk: i32, thread: i32, shape: usize, src: usize, dx: usize): void {
  const s = changetype<ConvShape>(shape);
  const hw = s.inH * s.inW;
  const nb = s.batch;
  const plane = src + bytes(chunk * hw * nb);
  for (let n = 0; n < nb; n++) {
    const d = dx + bytes((n * s.inC + chunk) * hw);
    for (let q = 0; q < hw; q++) store<f32>(d + bytes(q), load<f32>(plane + bytes(q * nb + n)));
  }
}

/** Copies `n` floats taken `step` floats apart from src to dst (four at a time when consecutive). */
@inline function gatherRun(dst: usize, src: usize, n: i32, step: i32): void {
  if (step == 1) {
    copyFloats(dst, src, n);
    return;
  }
  for (let i = 0; i < n; i++) store<f32>(dst + bytes(i), load<f32>(src + bytes(i * step)));
}

/** Adds `n` floats of src into floats `step` apart from dst (four at a time when consecutive). */
@inline function scatterRun(dst: usize, src: usize, n: i32, step: i32): void {
  if (step == 1) {
    addRun(dst, src, n);
    return;
  }
  for (let i = 0; i < n; i++) store<f32>(dst + bytes(i * step), load<f32>(dst + bytes(i * step)) + load<f32>(src + bytes(i)));
}

/**
 * im2col (`adjoint` false) or col2im (`adjoint` true) between input channel `chunk` of the image
 * side `x` (xᵀ `[C][H·W][N]` when `inner` is 1, else x as it is, `[N][C][H·W]`) and its kH·kW
 * rows of cols (`[K][P·N]`): row `(c·kH + i)·kW + j`, column `(oh·W_out + ow)·N + n` holds
 * `x[n, c, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW]` (0 outside the image).
 */
@inline function batchColumns(chunk: i32, s: ConvShape, x: usize, cols: usize, inner: i32, adjoint: bool): void {
  const nb = s.batch;
  const ow = s.outW;
  const hw = s.inH * s.inW;
  // Floats between images, and between neighbouring inputs of one image, on the image side.
  const image = inner != 0 ? 1 : s.inC * hw;
  const along = inner != 0 ? nb : 1;
  const plane = x + bytes(chunk * (inner != 0 ? hw * nb : hw));
  const step = bytes(s.strideW * along);
  if (adjoint) {
    if (inner != 0) memory.fill(plane, 0, bytes(hw * nb));
    else for (let n = 0; n < nb; n++) memory.fill(plane + bytes(n * image), 0, bytes(hw));
  }
  let row = cols + bytes(chunk * s.kH * s.kW * positions(s) * nb);
  for (let i = 0; i < s.kH; i++) {
    for (let j = 0; j < s.kW; j++) {
      const dj = j * s.dilationW - s.padLeft;
      const lo = validLo(dj, s.strideW, ow);
      const hi = validHi(dj, s.strideW, s.inW, ow);
      for (let oh = 0; oh < s.outH; oh++, row += bytes(ow * nb)) {
        const ih = oh * s.strideH + i * s.dilationH - s.padTop;
        if (<u32>ih >= <u32>s.inH) {
          if (!adjoint) zeros(row, ow * nb);
          continue;
        }
        if (!adjoint) {
          zeros(row, lo * nb);
          zeros(row + bytes(hi * nb), (ow - hi) * nb);
        }
        let at = plane + bytes((ih * s.inW + lo * s.strideW + dj) * along);
        for (let w = lo; w < hi; w++, at += step) {
          if (adjoint) scatterRun(at, row + bytes(w * nb), nb, image);
          else gatherRun(row + bytes(w * nb), at, nb, image);
        }
      }
    }
  }
}

/**
 * The kH·kW rows of cols (`[K][P·N]`) of input channel `chunk` (see {@link batchColumns}), read
 * from xᵀ at `src` when `inner` is 1, else from x as it is (1×1 kernels, which read each input
 * once at most, so moving x first does not pay).
 */
export function im2colBatchChunk(chunk: i32, thread: i32, shape: usize, src: usize, cols: usize, inner: i32): void {
  batchColumns(chunk, changetype<ConvShape>(shape), src, cols, inner, false);
}

/**
 * The adjoint of {@link im2colBatchChunk}: overwrites input channel `chunk` of dxᵀ (`inner` 1)
 * or of dx (`inner` 0) at `dst` with the sum of its kH·kW rows of cols added where they were
 * read from, tap by tap in order.
 */
export function col2imBatchChunk(chunk: i32, thread: i32, shape: usize, cols: usize, dst: usize, inner: i32): void {
  batchColumns(chunk, changetype<ConvShape>(shape), dst, cols, inner, true);
}

/** `dst[r] = Σ_{i<length} src[r·length + i]` for rows [0, rows). */
export function rowSums(src: usize, rows: i32, length: i32, dst: usize): void {
  for (let r = 0; r < rows; r++) store<f32>(dst + bytes(r), sum(src + bytes(r * length), length));
}

/** `dst[r·length + i] = bias[r]` (0 when `bias` is 0) for rows [0, rows): where the forward's product starts. */
export function biasRows(bias: usize, rows: i32, length: i32, dst: usize): void {
  for (let r = 0; r < rows; r++) {
    const v = f32x4.splat(bias == 0 ? 0 : load<f32>(bias + bytes(r)));
    const row = dst + bytes(r * length);
    let i = 0;
    for (; i + 4 <= length; i += 4) v128.store(row + bytes(i), v);
    for (; i < length; i++) store<f32>(row + bytes(i), f32x4.extract_lane(v, 0));
  }
}

/**
 * Image `chunk` of y (`[N][C_out][P]`) from its columns of the whole-batch forward product
 * (`[C_out][P·N]`, image innermost) at src, then the ReLU (`y < 0 ? 0 : y`, NaN kept) when `relu` is 1.
 */
export function batchOutputChunk(chunk: i32, thread: i32, shape: usize, src: usize, y: usize, relu: i32): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const nb = s.batch;
  const image = y + bytes(chunk * s.outC * p);
  for (let o = 0; o < s.outC; o++) {
    const from = src + bytes(o * p * nb + chunk);
    const d = image + bytes(o * p);
    for (let q = 0; q < p; q++) store<f32>(d + bytes(q), load<f32>(from + bytes(q * nb)));
  }
  if (relu != 0) reluInPlace(image, s.outC * p);
}
