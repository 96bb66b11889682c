// Winograd F(4×4, 3×3) for 3×3 convolutions with stride 1, dilation 1 and one group (Lavin & Gray,
// "Fast Algorithms for Convolutional Neural Networks", 2016, points 0, ±1, ±2, ∞): each 4×4 block
// of outputs ("tile") comes from the 6×6 input patch under it as
//   Y = Aᵀ·[ Σ_c (G·W_oc·Gᵀ) ⊙ (Bᵀ·d_c·B) ]·A
//   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
//   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
// so the 144 multiply-adds per output pair of channels and tile become 36 (4× fewer; F(2×2) has
// 2.25×): 36 matrix products U_ξ·V_ξ ([C_out×C_in]·[C_in×tiles], ξ = 6i + j one of the 6×6
// transformed positions) on the same 4×8 register tile as every other product, between an input
// and an output transform that cost O(C_in + C_out) per tile. The transforms run four tiles of a
// row at a time across the SIMD lanes; the products take only the ⌈W_out/4⌉ real tiles of each
// row (a row of 14 tiles, as at 56×56, is not padded to 16). The input transform reads its
// patches from the 6 zero-bordered input rows under a row of tiles, copied from the input into a
// per-thread buffer just before (a padded copy of the whole input, made in a pass of its own, was
// read back from memory past the caches: a quarter of the chunks' time at 8×64×56×56).
// The thirds in G make the transformed weights inexact even for small integers (F(2×2)'s halves
// are not), so unlike the other paths this one does not reproduce integer convolutions exactly.
// The points ±½ in place of ±2 gave no smaller error in a float32 simulation of 64 channels;
// Barabasz et al.'s asymmetric points (0, −1, 1, ½, −2) halved it but cost the even/odd pairing
// the transforms below rely on.
// Where the input channels fit one reduction block (C_in ≤ KC, every layer of the CIFAR net and
// ResNet-18's first stages), a chunk takes its products panel by panel (4 output channels × 8
// tiles, all 36 positions: 4.6 KB) and transforms each panel's outputs while they are in L1,
// instead of writing all 36 product matrices (0.5 MB at conv64) and reading them back from past
// L2; its transformed inputs are stored panel by panel too, so that a panel's 36 B matrices are
// one stream. conv64 8×64×56×56, 1-thread CPU time of the kernel alone after a cache flush,
// paired medians of 31: 0.88–0.95× the time of the unfused order; bit for bit the same sums.
// A chunk is one image and a block of tile rows: which thread runs it does not change its sums.

import { bytes, ConvShape, positions } from './conv-shape';
import { blockSize } from './gemm';
import { reluInPlace } from './relu';
import { INIT_C, INIT_ZERO, MR, NR, madd, multiplyBlock, tile } from './tile';

/** Transformed positions per tile (6×6). */
export const XI: i32 = 36;
/** Floats of all 36 product blocks of one chunk, about (stored only past one reduction block): sets the tiles per chunk. */
const PRODUCT_FLOATS: i32 = 131072;
/**
 * Floats added to the distance between two transformed positions' blocks (of V and of M): 36
 * streams 4 KiB apart (e.g. 64 channels × 48 tiles; 128 channels × 8 tiles) would share one set
 * of the L1 cache.
 */
export const SKEW: i32 = 16;
/**
 * Output channels per block, at least, where the channels are split in two (see blockChannels):
 * each block transforms the input of its rows again.
 */
const MIN_BLOCK_CHANNELS: i32 = 64;
/** Floats of the per-thread transform buffer: 6 rows of 5 vectors (input), 6 of 4 (output), 16 for an edge row. */
export const TRANSFORM_FLOATS: i32 = 6 * 5 * 4 + 16;
/** Floats of the per-thread buffer of one group's 36 transformed vectors, for groups that straddle two panels. */
export const SPLIT_FLOATS: i32 = XI * 4;
/** Rows of the per-thread buffer of the input rows under one row of tiles. */
export const PATCH_ROWS: i32 = 6;

@inline export function roundUp(v: i32, m: i32): i32 {
  return (v + m - 1) / m * m;
}

/** Tile rows: `⌈H_out / 4⌉`. */
@inline export function tileRows(s: ConvShape): i32 {
  return (s.outH + 3) >> 2;
}

/** Tiles per row: `⌈W_out / 4⌉`. */
@inline export function tileColumns(s: ConvShape): i32 {
  return (s.outW + 3) >> 2;
}

/**
 * Tile rows per chunk: about PRODUCT_FLOATS / (36·C_out) tiles, whole rows, counted across the
 * batch (row R is row R mod ⌈H_out/4⌉ of image R div ⌈H_out/4⌉): small images share a chunk, so
 * that each pass over the transformed weights serves enough tiles.
 */
@inline function chunkRows(s: ConvShape): i32 {
  const tiles = max(16, min(128, PRODUCT_FLOATS / (XI * s.outC)));
  return max(1, min(s.batch * tileRows(s), tiles / tileColumns(s)));
}

/** Blocks of tile rows: `⌈rows of the batch / chunkRows⌉`. */
@inline function rowChunks(s: ConvShape): i32 {
  const rows = chunkRows(s);
  return (s.batch * tileRows(s) + rows - 1) / rows;
}

/**
 * Output channels per chunk, a multiple of 4: all of them, or half of them when fewer than 4
 * blocks of rows would leave one of two threads idle for a block or a part of one, and each half
 * has at least MIN_BLOCK_CHANNELS. The threads claim chunks one at a time: ResNet-18's 512@4×4 at
 * batch 8 was one chunk on one thread. Each half transforms the input of its rows again, which
 * costs as much as the products where the tiles fill few lanes (at 4×4, one tile in four lanes:
 * 8 blocks of 64 channels took 1.42× the time of one block); measured per chunk on one thread
 * and assigned as the threads claim them, 2 threads: 512@4×4 ×8 25.1 → 14.6 ms, 256@14×14 ×1
 * 2.56 → 1.35 ms, 128@28×28 ×1 1.44 → 1.29 ms; splitting 5 or more blocks of rows gained nothing.
 */
function blockChannels(s: ConvShape): i32 {
  const all = s.batch * tileRows(s);
  const chunks = rowChunks(s);
  const uneven = (chunks & 1) != 0 || all % chunkRows(s) != 0;
  const split = chunks < 4 && uneven && s.outC >= 2 * MIN_BLOCK_CHANNELS;
  return roundUp(split ? (s.outC + 1) / 2 : s.outC, MR);
}

/** Blocks of output channels: `⌈C_out / blockChannels⌉`. */
@inline function channelBlocks(s: ConvShape): i32 {
  const b = blockChannels(s);
  return (s.outC + b - 1) / b;
}

/**
 * Floats per row of the buffer of input rows under a row of tiles: the patches of the row of
 * tiles padded to a multiple of 4 tiles (the lanes) and the 2 more floats the last group's loads
 * reach, plus 4 for the vector stores that fill it.
 */
@inline export function patchRowFloats(s: ConvShape): i32 {
  return 4 * roundUp(tileColumns(s), 4) + 8;
}

/**
 * Input rows `top … top + 5` of plane `plane` (`[H][W]` floats) into the 6 rows of `buf`
 * (`ld` floats apart), input column iw at column iw + padLeft, zeros elsewhere (rows outside the
 * image, the border, the columns past the input). Reads up to 3 floats past a row: the next
 * row's, or the slack past the input (READ_SLACK in conv2d.ts).
 */
@inline function copyPatchRows(s: ConvShape, plane: usize, top: i32, buf: usize, ld: i32): void {
  const h = s.inH;
  const w = s.inW;
  const left = s.padLeft;
  const zero = f32x4.splat(0);
  const width = ld - 4;
  for (let i = 0; i < PATCH_ROWS; i++) {
    const ih = top + i;
    const row = buf + bytes(i * ld);
    if (ih < 0 || ih >= h) {
      for (let k = 0; k < width; k += 4) v128.store(row + bytes(k), zero);
      continue;
    }
    for (let k = 0; k < left; k += 4) v128.store(row + bytes(k), zero);
    const from = plane + bytes(ih * w);
    const to = row + bytes(left);
    for (let k = 0; k < w; k += 4) v128.store(to + bytes(k), v128.load(from + bytes(k)));
    for (let k = left + w; k < width; k += 4) v128.store(row + bytes(k), zero);
  }
}

/** Chunks of {@link packWinograd4WeightsChunk}: one per panel of 4 output channels. */
export function packWinograd4WeightsChunks(shape: usize): i32 {
  return (changetype<ConvShape>(shape).outC + MR - 1) / MR;
}

/**
 * `w[o][ci][k]` for the 4 output channels from o0 (lanes), 0 past m; `turned`: of the kernel
 * turned 180° with its channel axes swapped, read from w as it is: `w[ci][o][8 − k]`.
 */
@inline function tapLanes(w: usize, o0: i32, m: i32, c: i32, ci: i32, k: i32, turned: bool): v128 {
  const at = turned ? w + bytes((ci * m + o0) * 9 + 8 - k) : w + bytes((o0 * c + ci) * 9 + k);
  const step = turned ? bytes(9) : bytes(c * 9);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(at));
  if (o0 + 1 < m) v = f32x4.replace_lane(v, 1, load<f32>(at + step));
  if (o0 + 2 < m) v = f32x4.replace_lane(v, 2, load<f32>(at + 2 * step));
  if (o0 + 3 < m) v = f32x4.replace_lane(v, 3, load<f32>(at + 3 * step));
  return v;
}

/**
 * Transforms the weights of panel `chunk` (output channels [4·chunk, +4), one per lane), `U_ξ[o][c] =
 * (G·W[o][c]·Gᵀ)_ξ`, packed for the tile as row panels, all 36 positions of a panel together,
 * `[⌈C_out/4⌉][36][C_in][4]` floats at dst (rows past C_out zero). Computed as `(G′·W·G′ᵀ)_ij / (d_i·d_j)` with the integer
 * `G′ = D·G`, `D = diag(4, 6, 6, 24, 24, 1)`: one rounding for the thirds instead of one per step.
 */
export function packWinograd4WeightsChunk(chunk: i32, thread: i32, shape: usize, w: usize, dst: usize): void {
  const s = changetype<ConvShape>(shape);
  transformWeightPanel(w, false, chunk * MR, s.outC, s.inC, 0, s.inC, dst + bytes(chunk * XI * s.inC * MR), bytes(s.inC * MR));
}

/**
 * The transformed weights of output channels [o0, o0 + 4) (one per lane, 0 past m) and input
 * channels [ci0, ci1) of `w` (`[m][c][3][3]`; `turned`: the kernel whose turned form they are,
 * `[c][m][3][3]`, see tapLanes) as one row panel per position ξ: `U_ξ[o][ci]` at
 * `dst + ξ·step + 16·(ci − ci0)` bytes (see {@link packWinograd4WeightsChunk}).
 */
export function transformWeightPanel(w: usize, turned: bool, o0: i32, m: i32, c: i32, ci0: i32, ci1: i32, dst: usize, step: usize): void {
  for (let ci = ci0; ci < ci1; ci++) {
    const at = dst + bytes((ci - ci0) * MR);
    const g00 = tapLanes(w, o0, m, c, ci, 0, turned), g01 = tapLanes(w, o0, m, c, ci, 1, turned), g02 = tapLanes(w, o0, m, c, ci, 2, turned);
    const g10 = tapLanes(w, o0, m, c, ci, 3, turned), g11 = tapLanes(w, o0, m, c, ci, 4, turned), g12 = tapLanes(w, o0, m, c, ci, 5, turned);
    const g20 = tapLanes(w, o0, m, c, ci, 6, turned), g21 = tapLanes(w, o0, m, c, ci, 7, turned), g22 = tapLanes(w, o0, m, c, ci, 8, turned);
    // Row i of G′·g (one lane per output channel), then ·G′ᵀ along it: row i of U, divided by d_i·d_j.
    weightRow(at, step, 4, g00, g01, g02);
    weightRow(at + 6 * step, step, 6, neg3(g00, g10, g20), neg3(g01, g11, g21), neg3(g02, g12, g22));
    weightRow(at + 12 * step, step, 6, alt3(g00, g10, g20), alt3(g01, g11, g21), alt3(g02, g12, g22));
    weightRow(at + 18 * step, step, 24, pos3(g00, g10, g20), pos3(g01, g11, g21), pos3(g02, g12, g22));
    weightRow(at + 24 * step, step, 24, sub3(g00, g10, g20), sub3(g01, g11, g21), sub3(g02, g12, g22));
    weightRow(at + 30 * step, step, 1, g20, g21, g22);
  }
}

/** `−(a + b + c)`: row 1 of G′. */
@inline function neg3(a: v128, b: v128, c: v128): v128 {
  return f32x4.neg(f32x4.add(f32x4.add(a, b), c));
}

/** `−a + b − c`: row 2 of G′. */
@inline function alt3(a: v128, b: v128, c: v128): v128 {
  return f32x4.sub(f32x4.sub(b, a), c);
}

/** `a + 2b + 4c`: row 3 of G′. */
@inline function pos3(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.add(a, f32x4.add(b, b)), f32x4.mul(c, f32x4.splat(4)));
}

/** `a − 2b + 4c`: row 4 of G′. */
@inline function sub3(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.sub(a, f32x4.add(b, b)), f32x4.mul(c, f32x4.splat(4)));
}

/** `(t·G′ᵀ)_j / (di·d_j)` for j = 0…5 at dst + j·step. */
@inline function weightRow(dst: usize, step: usize, di: f32, t0: v128, t1: v128, t2: v128): void {
  v128.store(dst, f32x4.div(t0, f32x4.splat(di * 4)));
  v128.store(dst + step, f32x4.div(neg3(t0, t1, t2), f32x4.splat(di * 6)));
  v128.store(dst + 2 * step, f32x4.div(alt3(t0, t1, t2), f32x4.splat(di * 6)));
  v128.store(dst + 3 * step, f32x4.div(pos3(t0, t1, t2), f32x4.splat(di * 24)));
  v128.store(dst + 4 * step, f32x4.div(sub3(t0, t1, t2), f32x4.splat(di * 24)));
  v128.store(dst + 5 * step, f32x4.div(t2, f32x4.splat(di)));
}

/** Chunks of {@link winograd4ForwardChunk}: blocks of the batch's tile rows × blocks of output channels. */
export function winograd4ForwardChunks(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return rowChunks(s) * channelBlocks(s);
}

/** Whether the input channels are one block of the reduction (C_in ≤ KC): then a chunk transforms each panel of products out while it is in L1 (see panelProducts). */
@inline function oneBlock(s: ConvShape): bool {
  return blockSize(s.inC) == s.inC;
}

/** Floats of one panel of 8 tiles' transformed inputs in {@link oneBlock}'s order: 36 packed B panels `[C_in][8]`, SKEW apart. */
@inline function inputPanelFloats(s: ConvShape): i32 {
  return XI * (s.inC * NR + SKEW);
}

/** Scratch bytes per thread for {@link winograd4ForwardChunk}: transformed inputs, products, edge tile, transform buffer, patch rows. */
export function winograd4ForwardScratch(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  const tiles = chunkRows(s) * tileColumns(s);
  const rest = MR * NR + TRANSFORM_FLOATS + SPLIT_FLOATS + PATCH_ROWS * patchRowFloats(s);
  if (oneBlock(s)) return <i32>bytes(inputPanelFloats(s) * ((tiles + NR - 1) / NR) + XI * MR * NR + rest);
  return <i32>bytes(XI * (blockSize(s.inC) * roundUp(tiles, NR) + SKEW) + XI * (blockChannels(s) * tiles + SKEW) + rest);
}

/**
 * Waits until the int32 at `ready`, the number of images of the input written so far (the host
 * copies them in one by one while the threads start), reaches `images`.
 */
function awaitImages(ready: usize, images: i32): void {
  for (let have = atomic.load<i32>(ready); have < images; have = atomic.load<i32>(ready)) atomic.wait<i32>(ready, have, -1);
}

/**
 * One chunk: the batch's tile rows [r0, r1) (see chunkRows) for the output channels [o0, o1) (see
 * blockChannels; chunk = row block · channel blocks + channel block), once the input holds its
 * images (`ready` the address of their count, see awaitImages, or 0 when the input is complete).
 * For each block of input channels, the input transform
 * `V_ξ[c][t] = (Bᵀ·d_ct·B)_ξ` written as packed B panels, then `M_ξ (+)= U_ξ·V_ξ`; finally
 * `y = Aᵀ·M·A + bias` per tile, then the ReLU (`y < 0 ? 0 : y`, NaN kept) when `relu` is 1. With
 * one block ({@link oneBlock}) the last two steps go panel by panel (see panelProducts).
 * `x` is the input (`[N][C_in][H][W]`, with 3 floats of slack past its end),
 * `upack` from {@link packWinograd4WeightsChunk}, `bias` 0 for none; `done` (0 for none) the
 * address of one int32 per image, to which the chunk adds the tile rows × output channels it has
 * written of that image (an image is finished at ⌈H_out/4⌉·C_out), so that the host can copy
 * finished images out while other chunks run.
 */
export function winograd4ForwardChunk(chunk: i32, thread: i32, shape: usize, x: usize, upack: usize, bias: usize, y: usize, scratch: usize, scratchStride: usize, relu: i32, ready: usize, done: usize): void {
  const s = changetype<ConvShape>(shape);
  const c = s.inC;
  const tw = tileColumns(s);
  const th = tileRows(s);
  const blocks = channelBlocks(s);
  const r0 = (chunk / blocks) * chunkRows(s);
  const r1 = min(s.batch * th, r0 + chunkRows(s));
  const o0 = (chunk % blocks) * blockChannels(s);
  const o1 = min(s.outC, o0 + blockChannels(s));
  const m = o1 - o0;
  const tiles = (r1 - r0) * tw;
  if (ready != 0) awaitImages(ready, (r1 - 1) / th + 1);
  const kb = blockSize(c);
  const v = scratch + <usize>thread * scratchStride;
  const uStep = bytes(c * MR);
  if (oneBlock(s)) {
    const vPanel = bytes(inputPanelFloats(s));
    const prod = v + <usize>((tiles + NR - 1) / NR) * vPanel;
    const edge = prod + bytes(XI * MR * NR);
    const tmp = edge + bytes(MR * NR);
    const vStep = bytes(c * NR + SKEW);
    transformInputRows(s, x, 0, 0, c, c, r0, r1, v, vStep, vPanel, tmp, tmp + bytes(TRANSFORM_FLOATS + SPLIT_FLOATS));
    for (let i = 0; i < m; i += MR) {
      const rows = min(MR, m - i);
      const u = upack + bytes((o0 + i) * XI * c);
      for (let j = 0; j < tiles; j += NR) {
        const cols = min(NR, tiles - j);
        panelProducts(c, u, uStep, v + <usize>(j / NR) * vPanel, vStep, prod, rows, cols, edge);
        outputPanel(s, prod, r0, j, cols, o0 + i, rows, bias, y, tmp, relu);
      }
    }
    if (done != 0) imagesDone(th, r0, r1, m, done);
    return;
  }
  const prod = v + bytes(XI * (kb * roundUp(tiles, NR) + SKEW));
  const mStep = bytes(m * tiles + SKEW);
  const edge = prod + <usize>XI * mStep;
  const tmp = edge + bytes(MR * NR);
  const patch = tmp + bytes(TRANSFORM_FLOATS + SPLIT_FLOATS);
  for (let p0 = 0; p0 < c; p0 += kb) {
    const kc = min(kb, c - p0);
    const vStep = bytes(kc * roundUp(tiles, NR) + SKEW);
    transformInputRows(s, x, p0, 0, kc, kc, r0, r1, v, vStep, bytes(kc * NR), tmp, patch);
    const init = p0 == 0 ? INIT_ZERO : INIT_C;
    for (let xi = 0; xi < XI; xi++) {
      multiplyBlock(m, kc, upack + <usize>xi * uStep + bytes(o0 * XI * c + p0 * MR), bytes(XI * c * MR), v + <usize>xi * vStep, tiles, prod + <usize>xi * mStep, tiles, init, 0, edge);
    }
  }
  outputTransform(s, prod, mStep, tiles, r0, r1, o0, o1, bias, y, tmp);
  if (relu != 0) reluTileRows(s, r0, r1, o0, o1, y);
  if (done != 0) imagesDone(th, r0, r1, m, done);
}

/** Adds (atomically, after the chunk's outputs) to the int32 of each image at `done` the tile rows of [r0, r1) in it times `m` channels. */
function imagesDone(th: i32, r0: i32, r1: i32, m: i32, done: usize): void {
  for (let n = r0 / th; n * th < r1; n++) atomic.add<i32>(done + (<usize>n << 2), (min(r1, (n + 1) * th) - max(r0, n * th)) * m);
}

/** `y = max(y, 0)` (NaN kept) on the outputs of the batch's tile rows [r0, r1) and channels [o0, o1). */
export function reluTileRows(s: ConvShape, r0: i32, r1: i32, o0: i32, o1: i32, y: usize): void {
  const th = tileRows(s);
  for (let r = r0; r < r1; r++) {
    const h0 = 4 * (r % th);
    const count = (min(s.outH, h0 + 4) - h0) * s.outW;
    for (let o = o0; o < o1; o++) reluInPlace(y + bytes(((r / th) * s.outC + o) * positions(s) + h0 * s.outW), count);
  }
}

/**
 * `V_ξ[ci][t] = (Bᵀ·d_ct·B)_ξ` for the input channels p0 + [ci0, ci1) of a block of `kc` from p0
 * and the batch's tile rows [r0, r1) (tile t = (r − r0)·⌈W_out/4⌉ + column), as packed B panels
 * of 8 tiles (`[kc][8]` floats), panel t/8 of position ξ at v + (t/8)·panelStep + ξ·vStep bytes
 * (`[⌈tiles/8⌉][kc][8]` from v + ξ·vStep when panelStep is 32·kc); `tmp` and `patch` are the per-thread
 * transform buffer (TRANSFORM_FLOATS + SPLIT_FLOATS floats) and patch rows (see copyPatchRows).
 * Writes only rows [ci0, ci1) of the panels.
 */
export function transformInputRows(s: ConvShape, x: usize, p0: i32, ci0: i32, ci1: i32, kc: i32, r0: i32, r1: i32, v: usize, vStep: usize, panelStep: usize, tmp: usize, patch: usize): void {
  const c = s.inC;
  const tw = tileColumns(s);
  const th = tileRows(s);
  const ws = patchRowFloats(s);
  for (let ci = ci0; ci < ci1; ci++) {
    for (let r = r0; r < r1; r++) {
      copyPatchRows(s, x + bytes(((r / th) * c + p0 + ci) * s.inH * s.inW), 4 * (r % th) - s.padTop, patch, ws);
      for (let t0 = 0; t0 < tw; t0 += 4) {
        // Four tiles side by side, stored where packed B panels of 8 tiles keep them: tile t at
        // column t & 7 of panel t >> 3. Lanes past the row's last tile may fill the places of
        // the next row's first tiles (transformed later) or columns past the last tile (unread),
        // never a place written before.
        const t = (r - r0) * tw + t0;
        const col = t & 7;
        const at = patch + bytes(4 * t0);
        const dst = v + <usize>(t >> 3) * panelStep + bytes(ci * NR + col);
        if (col <= 4) {
          inputTransform(at, bytes(ws), tmp, dst, vStep);
        } else {
          // Past column 7 of this panel's row ci is row ci + 1 (or the next panel): transform
          // into a buffer, then split each vector, the rest going to the next panel when there are real tiles for it.
          const split = tmp + bytes(TRANSFORM_FLOATS);
          inputTransform(at, bytes(ws), tmp, split, 16);
          scatter(split, dst, col + min(4, tw - t0) > 8 ? dst + panelStep - bytes(col) : 0, vStep, col);
        }
      }
    }
  }
}

/**
 * `V = Bᵀ·d·B` for the four tiles whose 6×6 patches start at `at`, 16 bytes apart (`row` bytes
 * between patch rows): Bᵀ down the raw columns [0, 20) into `tmp` (6 rows of 5 vectors), then per
 * row a transpose to one vector per patch column (lane l = tile l, column 4l + j) and B along it;
 * position ξ = 6i + j goes to dst + ξ·step.
 */
@inline function inputTransform(at: usize, row: usize, tmp: usize, dst: usize, step: usize): void {
  for (let q: usize = 0; q < 80; q += 16) {
    const x = at + q;
    bt6(tmp + q, 80, v128.load(x), v128.load(x + row), v128.load(x + 2 * row), v128.load(x + 3 * row), v128.load(x + 4 * row), v128.load(x + 5 * row));
  }
  for (let i: usize = 0; i < 6; i++) {
    const t = tmp + i * 80;
    const a = v128.load(t), b = v128.load(t, 16), c = v128.load(t, 32), d = v128.load(t, 48), e = v128.load(t, 64);
    const ab0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5), cd0 = v128.shuffle<f32>(c, d, 0, 4, 1, 5);
    const ab2 = v128.shuffle<f32>(a, b, 2, 6, 3, 7), cd2 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
    const bc0 = v128.shuffle<f32>(b, c, 0, 4, 1, 5), de0 = v128.shuffle<f32>(d, e, 0, 4, 1, 5);
    bt6(
      dst + i * 6 * step, step,
      v128.shuffle<f32>(ab0, cd0, 0, 1, 4, 5), v128.shuffle<f32>(ab0, cd0, 2, 3, 6, 7),
      v128.shuffle<f32>(ab2, cd2, 0, 1, 4, 5), v128.shuffle<f32>(ab2, cd2, 2, 3, 6, 7),
      v128.shuffle<f32>(bc0, de0, 0, 1, 4, 5), v128.shuffle<f32>(bc0, de0, 2, 3, 6, 7),
    );
  }
}

/**
 * Stores the 36 vectors at src (16 bytes apart) as the lanes of tiles from column `col` (5, 6 or
 * 7) of a panel's row: lanes [0, 8 − col) at a + ξ·step, the others at b + ξ·step (column 0 of
 * the next panel), or nowhere when b is 0.
 */
function scatter(src: usize, a: usize, b: usize, step: usize, col: i32): void {
  for (let xi: usize = 0; xi < <usize>XI; xi++) {
    const x = v128.load(src + (xi << 4));
    const pa = a + xi * step;
    const pb = b + xi * step;
    if (col == 5) {
      v128.store64_lane(pa, x, 0);
      v128.store32_lane(pa, x, 2, 8);
      if (b != 0) v128.store32_lane(pb, x, 3);
    } else if (col == 6) {
      v128.store64_lane(pa, x, 0);
      if (b != 0) v128.store64_lane(pb, x, 1);
    } else {
      v128.store32_lane(pa, x, 0);
      if (b != 0) {
        v128.store32_lane(pb, x, 1);
        v128.store64_lane(pb, x, 1, 4);
      }
    }
  }
}

/**
 * `Bᵀ·x` for six vectors x0…x5 into dst + j·step:
 * `4x0 − 5x2 + x4, (x4 − 4x2) ± (x3 − 4x1), (x4 − x2) ± 2(x3 − x1), 4x1 − 5x3 + x5`.
 */
@inline export function bt6(dst: usize, step: usize, x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128): void {
  const four = f32x4.splat(4);
  const p = f32x4.sub(x4, f32x4.mul(four, x2));
  const q = f32x4.sub(x3, f32x4.mul(four, x1));
  const r = f32x4.sub(x4, x2);
  const d = f32x4.sub(x3, x1);
  const s = f32x4.add(d, d);
  v128.store(dst, f32x4.add(f32x4.mul(four, f32x4.sub(x0, x2)), r));
  v128.store(dst + step, f32x4.add(p, q));
  v128.store(dst + 2 * step, f32x4.sub(p, q));
  v128.store(dst + 3 * step, f32x4.add(r, s));
  v128.store(dst + 4 * step, f32x4.sub(r, s));
  v128.store(dst + 5 * step, f32x4.add(f32x4.mul(four, f32x4.sub(x1, x3)), f32x4.sub(x5, x3)));
}

/**
 * `y[n, o] = Aᵀ·M_{o−o0}·A + bias[o]` for the chunk's tiles and channels [o0, o1), four tiles at
 * a time: Aᵀ down the 6 columns into `tmp` (4 rows of 6 vectors), then per output row A along it
 * and a transpose back to the row's 16 floats; outputs past the edge are dropped.
 */
export function outputTransform(s: ConvShape, prod: usize, step: usize, tiles: i32, r0: i32, r1: i32, o0: i32, o1: i32, bias: usize, y: usize, tmp: usize): void {
  const m = s.outC;
  const tw = tileColumns(s);
  const ow = s.outW;
  const edgeRow = tmp + bytes(6 * 5 * 4);
  for (let o = o0; o < o1; o++) {
    const bv = f32x4.splat(bias == 0 ? 0 : load<f32>(bias + bytes(o)));
    for (let r = r0; r < r1; r++) {
      const th = tileRows(s);
      const plane = y + bytes(((r / th) * m + o) * positions(s));
      const top = 4 * (r % th);
      const rowsLeft = min(4, s.outH - top);
      for (let t0 = 0; t0 < tw; t0 += 4) {
        const at = prod + bytes((o - o0) * tiles + (r - r0) * tw + t0);
        for (let j: usize = 0; j < 6; j++) {
          const x = at + j * step;
          at4(tmp + j * 16, 96, v128.load(x), v128.load(x + 6 * step), v128.load(x + 12 * step), v128.load(x + 18 * step), v128.load(x + 24 * step), v128.load(x + 30 * step));
        }
        const col = 4 * t0;
        for (let i = 0; i < rowsLeft; i++) {
          const count = ow - col;
          const full = count >= 16;
          const dst = full ? plane + bytes((top + i) * ow + col) : edgeRow;
          tileRowsOut(tmp + <usize>i * 96, bv, 0, 0, dst, WHOLE_ROW, dst + 16, WHOLE_ROW, dst + 32, WHOLE_ROW, dst + 48, WHOLE_ROW);
          if (!full && count > 0) memory.copy(plane + bytes((top + i) * ow + col), edgeRow, bytes(count));
        }
      }
    }
  }
}

/**
 * `Aᵀ·m` for six vectors m0…m5 into dst + i·step: with a = m1 + m2, b = m1 − m2, c = m3 + m4,
 * d = m3 − m4: `m0 + a + c, b + 2d, a + 4c, b + 8d + m5`.
 */
@inline function at4(dst: usize, step: usize, m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128): void {
  const a = f32x4.add(m1, m2), b = f32x4.sub(m1, m2), c = f32x4.add(m3, m4), d = f32x4.sub(m3, m4);
  v128.store(dst, f32x4.add(f32x4.add(m0, a), c));
  v128.store(dst + step, f32x4.add(b, f32x4.add(d, d)));
  v128.store(dst + 2 * step, f32x4.add(a, f32x4.mul(f32x4.splat(4), c)));
  v128.store(dst + 3 * step, f32x4.add(f32x4.add(b, f32x4.mul(f32x4.splat(8), d)), m5));
}

/**
 * `y[n, o + ch] = Aᵀ·M·A + bias` (then the ReLU when `relu` is 1) for the channels ch < rows of one
 * block of products at `buf` (`[36][4][8]` floats: position ξ, channel, tile) and the chunk's tiles
 * [j, j + cols) (chunk row r0 first), four tiles at a time across the lanes; each tile's rows go
 * to its own place in y (the 8 tiles may straddle rows of tiles), outputs past the edges dropped.
 */
function outputPanel(s: ConvShape, buf: usize, r0: i32, j: i32, cols: i32, o: i32, rows: i32, bias: usize, y: usize, tmp: usize, relu: i32): void {
  const tw = tileColumns(s);
  const th = tileRows(s);
  const ow = s.outW;
  const plane = positions(s);
  for (let g = 0; g < cols; g += 4) {
    // Per lane: the byte offset of the tile's top-left output in channel 0, and its rows and columns inside the output.
    let at0: usize = 0, at1: usize = 0, at2: usize = 0, at3: usize = 0;
    let lim0 = 0, lim1 = 0, lim2 = 0, lim3 = 0;
    for (let l = 0; l < 4 && g + l < cols; l++) {
      const t = j + g + l;
      const r = r0 + t / tw;
      const tc = t % tw;
      const top = 4 * (r % th);
      const at = bytes((r / th) * s.outC * plane + top * ow + 4 * tc);
      const lim = (min(4, s.outH - top) << 4) | min(4, ow - 4 * tc);
      if (l == 0) { at0 = at; lim0 = lim; } else if (l == 1) { at1 = at; lim1 = lim; } else if (l == 2) { at2 = at; lim2 = lim; } else { at3 = at; lim3 = lim; }
    }
    for (let ch = 0; ch < rows; ch++) {
      const bv = f32x4.splat(bias == 0 ? 0 : load<f32>(bias + bytes(o + ch)));
      const src = buf + bytes(ch * NR + g);
      for (let q: usize = 0; q < 6; q++) {
        const x = src + q * bytes(MR * NR);
        const st = bytes(6 * MR * NR);
        at4(tmp + q * 16, 96, v128.load(x), v128.load(x + st), v128.load(x + 2 * st), v128.load(x + 3 * st), v128.load(x + 4 * st), v128.load(x + 5 * st));
      }
      const out = y + bytes((o + ch) * plane);
      for (let i = 0; i < 4; i++) {
        const row = out + bytes(i * ow);
        tileRowsOut(tmp + <usize>i * 96, bv, relu, i, row + at0, lim0, row + at1, lim1, row + at2, lim2, row + at3, lim3);
      }
    }
  }
}

/** A tile's rows and columns inside the output for storeTileRow: `rows << 4 | columns`, here all 4 and 4. */
const WHOLE_ROW: i32 = 0x44;

/**
 * Row i of four tiles' outputs, from `t`, the row of `Aᵀ·M` (6 vectors, lane l = tile l): A along
 * it plus `bv`, then the ReLU when `relu` is 1, transposed so that tile l's 4 outputs go to d_l
 * (see storeTileRow, with lim_l).
 */
@inline function tileRowsOut(t: usize, bv: v128, relu: i32, i: i32, d0: usize, lim0: i32, d1: usize, lim1: i32, d2: usize, lim2: i32, d3: usize, lim3: i32): void {
  const m0 = v128.load(t), m1 = v128.load(t, 16), m2 = v128.load(t, 32), m3 = v128.load(t, 48), m4 = v128.load(t, 64), m5 = v128.load(t, 80);
  const a = f32x4.add(m1, m2), b = f32x4.sub(m1, m2), c = f32x4.add(m3, m4), d = f32x4.sub(m3, m4);
  let y0 = f32x4.add(f32x4.add(f32x4.add(m0, a), c), bv);
  let y1 = f32x4.add(f32x4.add(b, f32x4.add(d, d)), bv);
  let y2 = f32x4.add(f32x4.add(a, f32x4.mul(f32x4.splat(4), c)), bv);
  let y3 = f32x4.add(f32x4.add(f32x4.add(b, f32x4.mul(f32x4.splat(8), d)), m5), bv);
  if (relu != 0) {
    const zero = f32x4.splat(0);
    y0 = v128.andnot(y0, f32x4.lt(y0, zero));
    y1 = v128.andnot(y1, f32x4.lt(y1, zero));
    y2 = v128.andnot(y2, f32x4.lt(y2, zero));
    y3 = v128.andnot(y3, f32x4.lt(y3, zero));
  }
  // Lane l of y_j is tile l's column j: transposed, tile l's row is the 4 floats at 4l.
  const s0 = v128.shuffle<f32>(y0, y1, 0, 4, 1, 5), s1 = v128.shuffle<f32>(y2, y3, 0, 4, 1, 5);
  const s2 = v128.shuffle<f32>(y0, y1, 2, 6, 3, 7), s3 = v128.shuffle<f32>(y2, y3, 2, 6, 3, 7);
  storeTileRow(d0, v128.shuffle<f32>(s0, s1, 0, 1, 4, 5), i, lim0);
  storeTileRow(d1, v128.shuffle<f32>(s0, s1, 2, 3, 6, 7), i, lim1);
  storeTileRow(d2, v128.shuffle<f32>(s2, s3, 0, 1, 4, 5), i, lim2);
  storeTileRow(d3, v128.shuffle<f32>(s2, s3, 2, 3, 6, 7), i, lim3);
}

/** Row i of a tile's outputs (`x`, 4 columns) to dst when i < the tile's rows (lim >> 4), its first lim & 15 columns. */
@inline function storeTileRow(dst: usize, x: v128, i: i32, lim: i32): void {
  if (i >= (lim >> 4)) return;
  const n = lim & 15;
  if (n == 4) v128.store(dst, x);
  else {
    v128.store32_lane(dst, x, 0);
    if (n > 1) v128.store32_lane(dst, x, 1, 4);
    if (n > 2) v128.store32_lane(dst, x, 2, 8);
  }
}

/**
 * The 36 products of one panel of 4 output channels (`rows` of them real) and one of 8 tiles
 * (`cols` real), `M_ξ = U_ξ·V_ξ` over `kc` input channels, U_ξ at a + ξ·aStep (`[kc][4]`), V_ξ at
 * b + ξ·bStep (`[kc][8]`), each 4×8 block of M at c + 128·ξ bytes (`[36][4][8]` floats). Whole
 * panels run tile.ts's register tile inline, without its edge cases and a call per position;
 * edge panels go through `tile` (`edge` its edge buffer). Same sums, in the same order, either way.
 */
function panelProducts(kc: i32, a: usize, aStep: usize, b: usize, bStep: usize, c: usize, rows: i32, cols: i32, edge: usize): void {
  if (rows < MR || cols <= 4) {
    for (let xi = 0; xi < XI; xi++) {
      tile(kc, a + <usize>xi * aStep, b + <usize>xi * bStep, 0, c + bytes(xi * MR * NR), NR, rows, cols <= 4 ? cols : NR, INIT_ZERO, 0, edge);
    }
    return;
  }
  for (let xi = 0; xi < XI; xi++) {
    let ap = a + <usize>xi * aStep;
    let bp = b + <usize>xi * bStep;
    let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    for (let p = 0; p < kc; p++) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      let x = v128.load32_splat(ap);
      c00 = madd(c00, x, b0); c01 = madd(c01, x, b1);
      x = v128.load32_splat(ap, 4);
      c10 = madd(c10, x, b0); c11 = madd(c11, x, b1);
      x = v128.load32_splat(ap, 8);
      c20 = madd(c20, x, b0); c21 = madd(c21, x, b1);
      x = v128.load32_splat(ap, 12);
      c30 = madd(c30, x, b0); c31 = madd(c31, x, b1);
      ap += 16;
      bp += 32;
    }
    const t = c + (<usize>xi << 7);
    v128.store(t, c00); v128.store(t, c01, 16);
    v128.store(t, c10, 32); v128.store(t, c11, 48);
    v128.store(t, c20, 64); v128.store(t, c21, 80);
    v128.store(t, c30, 96); v128.store(t, c31, 112);
  }
}
