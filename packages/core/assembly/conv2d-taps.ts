// conv2d for first layers (few input channels, so few taps: an RGB image's 3×3 or 7×7 kernel),
// reading the taps in place from the (padded) image with stride 1 or 2 along W, no column matrix:
//   forward           yᵀ_ng = cols_ngᵀ · Wᵀ_g      a 4-position × 8-channel register tile: per tap,
//                     the 4 positions' inputs broadcast (at the tap's offset) times 8 channels' weights
//   weight gradient   dWᵀ_g += cols_ng · dy_ngᵀ    [K×P]·[P×Mg], P reduced in blocks of whole output rows
// The forward's tile holds output channels in its SIMD lanes, so the short reduction (27 or 147
// taps) runs without im2col; its 4×8 block of yᵀ is transposed into the NCHW output. The weight
// gradient packs A's panels (4 taps × a block of positions) straight from the image, four
// positions of four taps at a time through one 4×4 transpose (stride 2: even lanes of two loads),
// and B is dy packed in panels of 8 output channels: with 27 or 147 taps and 32 or 64 output
// channels every tile but the last row of panels is full.

import { bytes, ConvShape, groupIn, groupOut, positions, taps } from './conv-shape';
import { KC } from './gemm';
import { packColsB, storeTransposed4 } from './pack';
import { reluInPlace } from './relu';
import { INIT_C, MR, NR, madd, multiplyBlock } from './tile';
import { conv2dWeightPartialFloats, sum, writeTapOffsets } from './conv2d';

@inline function roundUp(v: i32, m: i32): i32 {
  return (v + m - 1) / m * m;
}

/** Output positions per forward chunk, about (whole rows). */
const FORWARD_POSITIONS: i32 = 512;
/** Chunks a forward is split into at least (when it has enough output channels), as the direct forward's. */
const MIN_CHUNKS: i32 = 16;

/** Output rows per forward chunk. */
@inline function forwardRows(s: ConvShape): i32 {
  return max(1, FORWARD_POSITIONS / s.outW);
}

/** Chunks of one image group's output channels (blocks of 8) by which a forward reaches MIN_CHUNKS; shape only, never the thread count. */
function channelBlock(s: ConvShape, chunks: i32): i32 {
  const mg = groupOut(s);
  const blocks = chunks >= MIN_CHUNKS ? 1 : max(1, min((MIN_CHUNKS + chunks - 1) / chunks, mg / (2 * NR)));
  return roundUp((mg + blocks - 1) / blocks, NR);
}

/** Packs Wᵀ per group (`[C_out][K]` → `[G][⌈Mg/8⌉][K][8]`, channels past Mg zero) at dst: the forward tile's weights. */
export function packConvWeightsTaps(shape: usize, w: usize, dst: usize): void {
  const s = changetype<ConvShape>(shape);
  const mg = groupOut(s);
  const k = taps(s);
  for (let g = 0; g < s.groups; g++) packColsB(w + bytes(g * mg * k), k, 0, k, 0, mg, dst + bytes(g * roundUp(mg, NR) * k));
}

/** Forward chunks: per image, group, block of output rows and block of output channels. */
export function conv2dForwardTapsChunks(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  const rows = forwardRows(s);
  const chunks = s.batch * s.groups * ((s.outH + rows - 1) / rows);
  const size = channelBlock(s, chunks);
  return chunks * ((groupOut(s) + size - 1) / size);
}

/** Scratch bytes per thread for {@link conv2dForwardTapsChunk}: the tap offsets and an edge block of 8×4 floats. */
export function conv2dForwardTapsScratch(shape: usize): i32 {
  return <i32>bytes(taps(changetype<ConvShape>(shape)) + NR * 4);
}

/**
 * One forward chunk: `y[n, g·Mg + o, p] = bias + Σ_t W[g·Mg + o, t] · src[n, c_t, oh·sH + i_t·dH,
 * ow·sW + j_t·dW]` for the chunk's output rows and channels, then the ReLU (`y < 0 ? 0 : y`, NaN
 * kept) when `relu` is 1. `src` as in {@link conv2dForwardDirectChunk} (read up to 3·sW floats
 * past a row's end: 32 bytes of slack), stride 1 or 2 along W; `wpack` from
 * {@link packConvWeightsTaps}; `bias` 0 for none, else read 8 channels at a time (room for 4 past the last).
 */
export function conv2dForwardTapsChunk(chunk: i32, thread: i32, shape: usize, src: usize, hs: i32, ws: i32, wpack: usize, bias: usize, y: usize, scratch: usize, scratchStride: usize, relu: i32): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const k = taps(s);
  const mg = groupOut(s);
  const ow = s.outW;
  const rows = forwardRows(s);
  const blocks = (s.outH + rows - 1) / rows;
  const size = channelBlock(s, s.batch * s.groups * blocks);
  const cb = (mg + size - 1) / size;
  const o0 = (chunk % cb) * size;
  const o1 = min(mg, o0 + size);
  const rest = chunk / cb;
  const oh0 = (rest % blocks) * rows;
  const oh1 = min(s.outH, oh0 + rows);
  const g = (rest / blocks) % s.groups;
  const n = rest / blocks / s.groups;
  const offsets = scratch + <usize>thread * scratchStride;
  const edge = offsets + bytes(k);
  writeTapOffsets(s, hs, ws, offsets);
  const image = src + bytes((n * s.inC + g * groupIn(s)) * hs * ws);
  const out = y + bytes((n * s.outC + g * mg) * p);
  const step = <usize>bytes(p);
  for (let oh = oh0; oh < oh1; oh++) {
    const row = image + bytes(oh * s.strideH * ws);
    for (let o = o0; o < o1; o += NR) {
      const w = wpack + bytes((g * roundUp(mg, NR) + o) * k);
      const b0 = bias == 0 ? f32x4.splat(0) : v128.load(bias + bytes(g * mg + o));
      const b1 = bias == 0 ? f32x4.splat(0) : v128.load(bias + bytes(g * mg + o + 4));
      const channels = min(NR, o1 - o);
      for (let c = 0; c < ow; c += 4) {
        const positions4 = min(4, ow - c);
        const whole = channels == NR && positions4 == 4;
        const dst = whole ? out + bytes(o * p + oh * ow + c) : edge;
        if (s.strideW == 1) tapsTile<f32>(k, row + bytes(c), offsets, w, b0, b1, dst, whole ? step : 16);
        else tapsTile<f64>(k, row + bytes(2 * c), offsets, w, b0, b1, dst, whole ? step : 16);
        if (!whole) {
          for (let j = 0; j < channels; j++) {
            for (let q = 0; q < positions4; q++) store<f32>(out + bytes((o + j) * p + oh * ow + c + q), load<f32>(edge + bytes(4 * j + q)));
          }
        }
      }
    }
  }
  if (relu != 0) {
    for (let o = o0; o < o1; o++) reluInPlace(out + bytes(o * p + oh0 * ow), (oh1 - oh0) * ow);
  }
}

/**
 * The forward tile: the 4 positions from `at`, `sizeof<T>()` bytes apart (f32: stride 1 along W,
 * f64: stride 2; a type so that the loads' offsets are constants) × 8 channels,
 * `Σ_t x[at + offsets[t] + q·sizeof<T>()] · w[t][j]` from the biases b0 (channels 0–3) and b1 (4–7),
 * stored transposed: channel j's 4 positions at `dst + j·step`.
 */
@inline function tapsTile<T>(k: i32, at: usize, offsets: usize, w: usize, b0: v128, b1: v128, dst: usize, step: usize): void {
  let c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
  for (let t = 0; t < k; t++) {
    const x = at + <usize>load<u32>(offsets + bytes(t));
    const w0 = v128.load(w);
    const w1 = v128.load(w, 16);
    let v = v128.load32_splat(x);
    c00 = madd(c00, v, w0); c01 = madd(c01, v, w1);
    v = v128.load32_splat(x, sizeof<T>());
    c10 = madd(c10, v, w0); c11 = madd(c11, v, w1);
    v = v128.load32_splat(x, 2 * sizeof<T>());
    c20 = madd(c20, v, w0); c21 = madd(c21, v, w1);
    v = v128.load32_splat(x, 3 * sizeof<T>());
    c30 = madd(c30, v, w0); c31 = madd(c31, v, w1);
    w += 32;
  }
  storeTransposed4(c00, c10, c20, c30, dst, step);
  storeTransposed4(c01, c11, c21, c31, dst + 4 * step, step);
}

/** Output rows per reduction block: whole rows, about KC positions. */
@inline function blockRows(s: ConvShape): i32 {
  return max(1, KC / s.outW);
}

/**
 * Scratch bytes per thread for {@link conv2dWeightTapsChunk}: the tap offsets (rounded up to 4),
 * A's panels, B's panels, the transposed sums `[⌈K/4⌉·4][Mg]` and the edge tile.
 */
export function conv2dWeightTapsScratch(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  const k4 = roundUp(taps(s), MR);
  const np = blockRows(s) * s.outW;
  return <i32>bytes(k4 + k4 * np + roundUp(groupOut(s), NR) * np + k4 * groupOut(s) + MR * NR);
}

/**
 * Packs taps [t, t + 4) × the positions of output rows [oh0, oh0 + nr) of one image as A's panel
 * (`[nr·W_out][4]`) at dst; `offsets` from writeTapOffsets, with the last tap's offset repeated
 * past K (those rows are computed but never stored). Stride 1 or 2 along W: with 2, the even
 * lanes of two loads; reads up to one float past a row's last tap (the buffer's slack).
 */
function packTaps(s: ConvShape, image: usize, ws: i32, offsets: usize, t: i32, oh0: i32, nr: i32, dst: usize): void {
  const ow = s.outW;
  const ow4 = ow & ~3;
  const sw = s.strideW;
  const f0 = <usize>load<u32>(offsets + bytes(t));
  const f1 = <usize>load<u32>(offsets + bytes(t + 1));
  const f2 = <usize>load<u32>(offsets + bytes(t + 2));
  const f3 = <usize>load<u32>(offsets + bytes(t + 3));
  for (let r = 0; r < nr; r++) {
    const row = image + bytes((oh0 + r) * s.strideH * ws);
    const out = dst + bytes(r * ow * MR);
    if (sw == 1) {
      for (let c = 0; c < ow4; c += 4) {
        const at = row + bytes(c);
        storeTransposed4(v128.load(at + f0), v128.load(at + f1), v128.load(at + f2), v128.load(at + f3), out + bytes(c * MR), 16);
      }
    } else {
      for (let c = 0; c < ow4; c += 4) {
        const at = row + bytes(2 * c);
        storeTransposed4(
          v128.shuffle<f32>(v128.load(at + f0), v128.load(at + f0, 16), 0, 2, 4, 6),
          v128.shuffle<f32>(v128.load(at + f1), v128.load(at + f1, 16), 0, 2, 4, 6),
          v128.shuffle<f32>(v128.load(at + f2), v128.load(at + f2, 16), 0, 2, 4, 6),
          v128.shuffle<f32>(v128.load(at + f3), v128.load(at + f3, 16), 0, 2, 4, 6),
          out + bytes(c * MR), 16,
        );
      }
    }
    for (let c = ow4; c < ow; c++) {
      const at = row + bytes(c * sw);
      const d = out + bytes(c * MR);
      store<f32>(d, load<f32>(at + f0));
      store<f32>(d, load<f32>(at + f1), 4);
      store<f32>(d, load<f32>(at + f2), 8);
      store<f32>(d, load<f32>(at + f3), 12);
    }
  }
}

/**
 * One weight-gradient chunk of a conv with stride 1 or 2 along W: image group q (images
 * [q·perGroup, +perGroup)) and conv group g, as {@link conv2dBackwardWeightChunk} (same partial
 * layout), reading the image in place from `src` (`[N][C][hs][ws]`: the input, or its padded
 * copy, with 32 bytes of slack). Sums `Σ_n Σ_p dy[n, o, p] · cols_n[t, p]` block by block of
 * output rows and image by image in order, so they do not depend on which thread ran which chunk.
 */
export function conv2dWeightTapsChunk(chunk: i32, thread: i32, shape: usize, dy: usize, src: usize, hs: i32, ws: i32, perGroup: i32, partials: usize, scratch: usize, scratchStride: usize): void {
  const s = changetype<ConvShape>(shape);
  const p = positions(s);
  const k = taps(s);
  const k4 = roundUp(k, MR);
  const mg = groupOut(s);
  const ow = s.outW;
  const rows = blockRows(s);
  const np = rows * ow;
  const g = chunk % s.groups;
  const q = chunk / s.groups;
  const offsets = scratch + <usize>thread * scratchStride;
  const apack = offsets + bytes(k4);
  const bpack = apack + bytes(k4 * np);
  const sums = bpack + bytes(roundUp(mg, NR) * np);
  const edge = sums + bytes(k4 * mg);
  writeTapOffsets(s, hs, ws, offsets);
  for (let t = k; t < k4; t++) store<u32>(offsets + bytes(t), load<u32>(offsets + bytes(k - 1)));
  memory.fill(sums, 0, bytes(k4 * mg));
  const part = partials + bytes(q * conv2dWeightPartialFloats(shape));
  const biasRows = part + bytes(s.outC * k + g * mg);
  memory.fill(biasRows, 0, bytes(mg));
  const n1 = min(s.batch, (q + 1) * perGroup);
  for (let n = q * perGroup; n < n1; n++) {
    const dyImage = dy + bytes((n * s.outC + g * mg) * p);
    const image = src + bytes((n * s.inC + g * groupIn(s)) * hs * ws);
    for (let o = 0; o < mg; o++) {
      const at = biasRows + bytes(o);
      store<f32>(at, load<f32>(at) + sum(dyImage + bytes(o * p), p));
    }
    for (let oh0 = 0; oh0 < s.outH; oh0 += rows) {
      const nr = min(rows, s.outH - oh0);
      const kc = nr * ow;
      for (let t = 0; t < k; t += MR) packTaps(s, image, ws, offsets, t, oh0, nr, apack + bytes(t * kc));
      packColsB(dyImage, p, oh0 * ow, kc, 0, mg, bpack);
      multiplyBlock(k, kc, apack, bytes(kc * MR), bpack, mg, sums, mg, INIT_C, 0, edge);
    }
  }
  const rowsOut = part + bytes(g * mg * k);
  for (let o = 0; o < mg; o++) {
    for (let t = 0; t < k; t++) store<f32>(rowsOut + bytes(o * k + t), load<f32>(sums + bytes(t * mg + o)));
  }
}
