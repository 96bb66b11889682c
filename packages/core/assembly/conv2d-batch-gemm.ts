// conv2d gradients as products of whole-batch matrices, for layers with few output positions per
// image (deep layers: 4×4, 7×7), where per-image products are too thin to reuse what they load
// (a 512→512 3×3 layer at 4×4 streams its 9 MB of weights or weight gradient per image of 16
// positions). One group; with dyᵀ = `[C_out][N·P]` (dy channel-major) and cols = `[K][N·P]`
// (every image's column matrix side by side):
//   weight gradient   dW = dyᵀ · colsᵀ        [C_out×NP]·[NP×K]
//   input gradient    cols′ = Wᵀ · dyᵀ, then col2im image by image
//   forward           y′ = W · cols (+ bias)                   [C_out×K]·[K×NP]
// on gemmChunk, whose chunks are blocks of the result, each reduced whole in order: the sums do
// not depend on the thread count. The forward's y′ (`[C_out][N·P]`) starts from the bias and
// adds the reduction blocks in the order the per-image forward does, so it equals that bit for bit.

import { sum } from './conv2d';
import { bytes, ConvShape, positions, taps } from './conv-shape';
import { col2imBlock, im2colBlock } from './im2col';
import { reluInPlace } from './relu';

/** Chunks of the kernels below: one per image. */
export function batchGemmChunks(shape: usize): i32 {
  return changetype<ConvShape>(shape).batch;
}

/** Image `chunk` of dy (`[N][C_out][P]`) into its columns of dyᵀ (`[C_out][N·P]`) at dst. */
export function channelMajorChunk(chunk: i32, thread: i32, shape: usize, dy: usize, dst: usize): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const np = s.batch * p;
  for (let o = 0; o < s.outC; o++) memory.copy(dst + bytes(o * np + chunk * p), dy + bytes((chunk * s.outC + o) * p), bytes(p));
}

/** Image `chunk`'s column matrix (`[K][P]`) into its columns of cols (`[K][N·P]`) at dst. */
export function im2colImageChunk(chunk: i32, thread: i32, shape: usize, x: usize, dst: usize): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  im2colBlock(s, x + bytes(chunk * s.inC * s.inH * s.inW), 0, taps(s), 0, p, dst + bytes(chunk * p), s.batch * p, 0);
}

/** Overwrites image `chunk` of dx with the col2im of its columns of cols (`[K][N·P]`). */
export function col2imImageChunk(chunk: i32, thread: i32, shape: usize, cols: usize, dx: usize): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const image = dx + bytes(chunk * s.inC * s.inH * s.inW);
  memory.fill(image, 0, bytes(s.inC * s.inH * s.inW));
  col2imBlock(s, cols + bytes(chunk * p), s.batch * p, taps(s), 0, p, image);
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
 * (`[C_out][N·P]`) at src, then the ReLU (`y < 0 ? 0 : y`, NaN kept) when `relu` is 1.
 */
export function batchOutputChunk(chunk: i32, thread: i32, shape: usize, src: usize, y: usize, relu: i32): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const np = s.batch * p;
  const image = y + bytes(chunk * s.outC * p);
  for (let o = 0; o < s.outC; o++) memory.copy(image + bytes(o * p), src + bytes(o * np + chunk * p), bytes(p));
  if (relu != 0) reluInPlace(image, s.outC * p);
}
