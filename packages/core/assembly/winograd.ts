// Winograd F(2×2, 3×3) for 3×3 convolutions with stride 1, dilation 1 and one group: each 2×2
// block of outputs ("tile") comes from the 4×4 input patch under it as
//   Y = Aᵀ·[ Σ_c (G·W_oc·Gᵀ) ⊙ (Bᵀ·d_c·B) ]·A
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],  Aᵀ = [1 1 1 0; 0 1 −1 −1]
// so the 36 multiply-adds per output pair of channels become 16 per tile (2.25× fewer): 16
// matrix products U_ξ·V_ξ ([C_out×C_in]·[C_in×tiles], ξ = one of the 4×4 transformed positions)
// on the same 4×8 register tile as every other product, between an input and an output transform
// that cost O(C_in + C_out) per tile. Tiles run four at a time across the SIMD lanes, so a row of
// tiles is padded to a multiple of 4; the input is first copied into a zero-bordered buffer that
// holds every patch (padImagesChunk with winogradPaddedHeight × winogradPaddedWidth).
// A chunk is one image, a block of tile rows and, when an image has too few tile rows to keep the
// threads busy (batch 1, deep layers), a block of output channels: which thread runs it, and how
// the output channels are split, does not change any output's sums.

import { bytes, ConvShape, positions } from './conv-shape';
import { blockSize } from './gemm';
import { reluInPlace } from './relu';
import { INIT_C, INIT_ZERO, MR, NR, multiplyBlock } from './tile';

/** Transformed positions per tile (4×4). */
export const XI: i32 = 16;
/** Floats of all 16 product blocks of one chunk, about: sets the tiles per chunk. */
const PRODUCT_FLOATS: i32 = 65536;

@inline function roundUp(v: i32, m: i32): i32 {
  return (v + m - 1) / m * m;
}

/** Tile rows: `⌈H_out / 2⌉`. */
@inline export function tileRows(s: ConvShape): i32 {
  return (s.outH + 1) >> 1;
}

/** Tiles per row, padded to a multiple of 4 (the lanes): `⌈⌈W_out / 2⌉ / 4⌉·4`. */
@inline export function tileColumns(s: ConvShape): i32 {
  return roundUp((s.outW + 1) >> 1, 4);
}

/** Tile rows per chunk: about PRODUCT_FLOATS / (16·C_out) tiles, whole rows. */
@inline function chunkRows(s: ConvShape): i32 {
  const tiles = max(16, min(128, PRODUCT_FLOATS / (XI * s.outC)));
  return max(1, min(tileRows(s), tiles / tileColumns(s)));
}

/** Rows of the zero-bordered input every patch lies in: `2·⌈H_out/2⌉ + 2`. */
export function winogradPaddedHeight(shape: usize): i32 {
  return 2 * tileRows(changetype<ConvShape>(shape)) + 2;
}

/** Columns of the zero-bordered input every patch (of the padded tile rows) lies in. */
export function winogradPaddedWidth(shape: usize): i32 {
  return 2 * tileColumns(changetype<ConvShape>(shape)) + 2;
}

/** Chunks of {@link packWinogradWeightsChunk}: one per panel of 4 output channels. */
export function packWinogradWeightsChunks(shape: usize): i32 {
  return (changetype<ConvShape>(shape).outC + MR - 1) / MR;
}

/**
 * Transforms the weights of panel `chunk` (output channels [4·chunk, +4)), `U_ξ[o][c] =
 * (G·W[o][c]·Gᵀ)_ξ`, packed for the tile as 16 matrices of row panels, `[16][⌈C_out/4⌉][C_in][4]`
 * floats at dst (rows past C_out zero).
 */
export function packWinogradWeightsChunk(chunk: i32, thread: i32, shape: usize, w: usize, dst: usize): void {
  const s = changetype<ConvShape>(shape);
  const m = s.outC;
  const c = s.inC;
  const step = bytes(roundUp(m, MR) * c);
  const panel = dst + bytes(chunk * c * MR);
  const o0 = chunk * MR;
  const o1 = min(m, o0 + MR);
  if (o1 - o0 < MR) {
    for (let xi = 0; xi < XI; xi++) memory.fill(panel + <usize>xi * step, 0, bytes(c * MR));
  }
  for (let o = o0; o < o1; o++) {
    for (let ci = 0; ci < c; ci++) {
      const g = w + bytes((o * c + ci) * 9);
      const at = panel + bytes(ci * MR + o - o0);
      const g00 = load<f32>(g), g01 = load<f32>(g, 4), g02 = load<f32>(g, 8);
      const g10 = load<f32>(g, 12), g11 = load<f32>(g, 16), g12 = load<f32>(g, 20);
      const g20 = load<f32>(g, 24), g21 = load<f32>(g, 28), g22 = load<f32>(g, 32);
      // Row i of G·g, then ·Gᵀ along it: row i of U.
      storeGRow(at, step, g00, g01, g02);
      storeGRow(at + 4 * step, step, (g00 + g10 + g20) * 0.5, (g01 + g11 + g21) * 0.5, (g02 + g12 + g22) * 0.5);
      storeGRow(at + 8 * step, step, (g00 - g10 + g20) * 0.5, (g01 - g11 + g21) * 0.5, (g02 - g12 + g22) * 0.5);
      storeGRow(at + 12 * step, step, g20, g21, g22);
    }
  }
}

/** `(t·Gᵀ)_j = t0, (t0 + t1 + t2)/2, (t0 − t1 + t2)/2, t2` at dst + j·step. */
@inline function storeGRow(dst: usize, step: usize, t0: f32, t1: f32, t2: f32): void {
  store<f32>(dst, t0);
  store<f32>(dst + step, (t0 + t1 + t2) * 0.5);
  store<f32>(dst + 2 * step, (t0 - t1 + t2) * 0.5);
  store<f32>(dst + 3 * step, t2);
}

/**
 * Chunks of the batch's tile rows below which the forward also splits the output channels, into
 * about this many blocks: one image of 512@7×7 (4 tile rows, one chunk) ran on one thread, at 2
 * threads no faster than the direct forward. Each block transforms its input tiles again: split in
 * 8 it took 1.05–1.19× the CPU time of 2 blocks (1×512×7×7 10.1–10.3 against 9.4–9.8 ms,
 * 1×256×7×7 2.4 against 2.0; 1 thread).
 */
const MIN_CHUNKS: i32 = 2;

/** Blocks of tile rows per image. */
@inline function rowBlocks(s: ConvShape): i32 {
  const rows = chunkRows(s);
  return (tileRows(s) + rows - 1) / rows;
}

/** Output channels per chunk, a multiple of MR: all of them unless the batch has fewer than MIN_CHUNKS blocks of tile rows. */
@inline function channelBlock(s: ConvShape): i32 {
  const chunks = s.batch * rowBlocks(s);
  if (chunks >= MIN_CHUNKS) return s.outC;
  const split = (MIN_CHUNKS + chunks - 1) / chunks;
  return ((s.outC + MR - 1) / MR + split - 1) / split * MR;
}

/** Chunks of {@link winogradForwardChunk}: per image, block of tile rows and block of output channels. */
export function winogradForwardChunks(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  const ob = channelBlock(s);
  return s.batch * rowBlocks(s) * ((s.outC + ob - 1) / ob);
}

/** Scratch bytes per thread for {@link winogradForwardChunk}: transformed inputs, products, edge tile. */
export function winogradForwardScratch(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  const tiles = chunkRows(s) * tileColumns(s);
  return <i32>bytes(XI * blockSize(s.inC) * roundUp(tiles, NR) + XI * s.outC * tiles + MR * NR);
}

/** The even lanes of a then b: `[a0, a2, b0, b2]`. */
@inline export function evens(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(a, b, 0, 2, 4, 6);
}

/** The odd lanes of a then b: `[a1, a3, b1, b3]`. */
@inline export function odds(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(a, b, 1, 3, 5, 7);
}

/**
 * One chunk: image n, tile rows [r0, r1), output channels [o0, o1). For each block of input
 * channels, the input transform `V_ξ[c][t] = (Bᵀ·d_ct·B)_ξ` written as packed B panels, then
 * `M_ξ (+)= U_ξ·V_ξ` for the chunk's rows of U; finally `y = Aᵀ·M·A + bias` per tile, then the
 * ReLU (`y < 0 ? 0 : y`, NaN kept) when `relu` is 1.
 * `src` is the padded input (`[N][C_in][hs][ws]` with hs, ws from winogradPaddedHeight/Width),
 * `upack` from {@link packWinogradWeightsChunk}, `bias` 0 for none.
 */
export function winogradForwardChunk(chunk: i32, thread: i32, shape: usize, src: usize, hs: i32, ws: i32, upack: usize, bias: usize, y: usize, scratch: usize, scratchStride: usize, relu: i32): void {
  const s = changetype<ConvShape>(shape);
  const m = s.outC;
  const c = s.inC;
  const tw = tileColumns(s);
  const rows = chunkRows(s);
  const blocks = rowBlocks(s);
  const ob = channelBlock(s);
  const oBlocks = (m + ob - 1) / ob;
  const o0 = (chunk % oBlocks) * ob;
  const mb = min(m, o0 + ob) - o0;
  const n = chunk / oBlocks / blocks;
  const r0 = (chunk / oBlocks % blocks) * rows;
  const r1 = min(tileRows(s), r0 + rows);
  const tiles = (r1 - r0) * tw;
  const kb = blockSize(c);
  const v = scratch + <usize>thread * scratchStride;
  const prod = v + bytes(XI * kb * roundUp(tiles, NR));
  const edge = prod + bytes(XI * mb * tiles);
  const image = src + bytes(n * c * hs * ws);
  const uStep = bytes(roundUp(m, MR) * c);
  const row = bytes(ws);
  for (let p0 = 0; p0 < c; p0 += kb) {
    const kc = min(kb, c - p0);
    const vStep = bytes(kc * roundUp(tiles, NR));
    for (let ci = 0; ci < kc; ci++) {
      const plane = image + bytes((p0 + ci) * hs * ws);
      for (let r = r0; r < r1; r++) {
        for (let t0 = 0; t0 < tw; t0 += 4) {
          const t = (r - r0) * tw + t0;
          // Four tiles side by side: lane l is tile t0 + l, whose patch starts at column 2(t0 + l).
          // Per patch row, the raw columns [0, 8) and [2, 10) from the tile row's start.
          const at = plane + bytes(2 * r * ws + 2 * t0);
          const a0 = v128.load(at), b0 = v128.load(at, 16), c0 = v128.load(at, 8), e0 = v128.load(at, 24);
          const a1 = v128.load(at + row), b1 = v128.load(at + row, 16), c1 = v128.load(at + row, 8), e1 = v128.load(at + row, 24);
          const a2 = v128.load(at + 2 * row), b2 = v128.load(at + 2 * row, 16), c2 = v128.load(at + 2 * row, 8), e2 = v128.load(at + 2 * row, 24);
          const a3 = v128.load(at + 3 * row), b3 = v128.load(at + 3 * row, 16), c3 = v128.load(at + 3 * row, 8), e3 = v128.load(at + 3 * row, 24);
          // Bᵀ·d down the columns, then ·B along each row, stored where packed B panels of 8 tiles keep them.
          const out = v + bytes((t >> 3) * kc * NR + ci * NR + (t & 7));
          transformRow(out, vStep, f32x4.sub(a0, a2), f32x4.sub(b0, b2), f32x4.sub(c0, c2), f32x4.sub(e0, e2));
          transformRow(out + 4 * vStep, vStep, f32x4.add(a1, a2), f32x4.add(b1, b2), f32x4.add(c1, c2), f32x4.add(e1, e2));
          transformRow(out + 8 * vStep, vStep, f32x4.sub(a2, a1), f32x4.sub(b2, b1), f32x4.sub(c2, c1), f32x4.sub(e2, e1));
          transformRow(out + 12 * vStep, vStep, f32x4.sub(a1, a3), f32x4.sub(b1, b3), f32x4.sub(c1, c3), f32x4.sub(e1, e3));
        }
      }
    }
    const init = p0 == 0 ? INIT_ZERO : INIT_C;
    for (let xi = 0; xi < XI; xi++) {
      multiplyBlock(mb, kc, upack + <usize>xi * uStep + bytes(o0 * c + p0 * MR), bytes(c * MR), v + <usize>xi * vStep, tiles, prod + bytes(xi * mb * tiles), tiles, init, 0, edge);
    }
  }
  outputTransform(s, prod, tiles, n, r0, r1, o0, o0 + mb, bias, y, edge);
  if (relu != 0) {
    const p = positions(s);
    const h0 = 2 * r0;
    const h1 = min(s.outH, 2 * r1);
    for (let o = o0; o < o0 + mb; o++) reluInPlace(y + bytes((n * m + o) * p + h0 * s.outW), (h1 - h0) * s.outW);
  }
}

/** `y[n, o] = Aᵀ·M_o·A + bias[o]` for the chunk's tiles and output channels [o0, o1), four tiles at a time; outputs past the edge are dropped. */
function outputTransform(s: ConvShape, prod: usize, tiles: i32, n: i32, r0: i32, r1: i32, o0: i32, o1: i32, bias: usize, y: usize, tmp: usize): void {
  const m = s.outC;
  const tw = tileColumns(s);
  const ow = s.outW;
  const step = bytes((o1 - o0) * tiles);
  for (let o = o0; o < o1; o++) {
    const b = f32x4.splat(bias == 0 ? 0 : load<f32>(bias + bytes(o)));
    const plane = y + bytes((n * m + o) * positions(s));
    for (let r = r0; r < r1; r++) {
      for (let t0 = 0; t0 < tw; t0 += 4) {
        const at = prod + bytes((o - o0) * tiles + (r - r0) * tw + t0);
        // Aᵀ·M down the columns of the 4×4 block (ξ = 4i + j): u0 = M0 + M1 + M2, u1 = M1 − M2 − M3 per column j.
        const u00 = columnSum(at, step), u10 = columnDifference(at, step);
        const u01 = columnSum(at + step, step), u11 = columnDifference(at + step, step);
        const u02 = columnSum(at + 2 * step, step), u12 = columnDifference(at + 2 * step, step);
        const u03 = columnSum(at + 3 * step, step), u13 = columnDifference(at + 3 * step, step);
        // (Aᵀ·M)·A along the rows, plus the bias.
        const y00 = f32x4.add(f32x4.add(f32x4.add(u00, u01), u02), b);
        const y01 = f32x4.add(f32x4.sub(f32x4.sub(u01, u02), u03), b);
        const y10 = f32x4.add(f32x4.add(f32x4.add(u10, u11), u12), b);
        const y11 = f32x4.add(f32x4.sub(f32x4.sub(u11, u12), u13), b);
        const col = 2 * t0;
        const top = plane + bytes(2 * r * ow + col);
        storeRow(top, tmp, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5), v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), ow - col);
        if (2 * r + 1 < s.outH) storeRow(top + bytes(ow), tmp, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5), v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), ow - col);
      }
    }
  }
}

/** `M_{0j} + M_{1j} + M_{2j}` for the 4 tiles at `at` (column j's first product; `step` bytes between products). */
@inline function columnSum(at: usize, step: usize): v128 {
  return f32x4.add(f32x4.add(v128.load(at), v128.load(at + 4 * step)), v128.load(at + 8 * step));
}

/** `M_{1j} − M_{2j} − M_{3j}` for the 4 tiles at `at`. */
@inline function columnDifference(at: usize, step: usize): v128 {
  return f32x4.sub(f32x4.sub(v128.load(at + 4 * step), v128.load(at + 8 * step)), v128.load(at + 12 * step));
}

/**
 * `(x·B)_j` for one row x of a patch (after Bᵀ), four tiles at a time: `a, b` hold the row's raw
 * columns [0, 8) and `c, e` its columns [2, 10) (tile l's x_k is column 2l + k); the four results
 * go to dst, dst + step, dst + 2·step, dst + 3·step.
 */
@inline export function transformRow(dst: usize, step: usize, a: v128, b: v128, c: v128, e: v128): void {
  const x0 = evens(a, b), x1 = odds(a, b), x2 = evens(c, e), x3 = odds(c, e);
  v128.store(dst, f32x4.sub(x0, x2));
  v128.store(dst + step, f32x4.add(x1, x2));
  v128.store(dst + 2 * step, f32x4.sub(x2, x1));
  v128.store(dst + 3 * step, f32x4.sub(x1, x3));
}

/** Stores the first `min(8, count)` of the 8 floats `lo, hi` at dst (through `tmp`, 8 floats, when fewer). */
@inline function storeRow(dst: usize, tmp: usize, lo: v128, hi: v128, count: i32): void {
  if (count >= 8) {
    v128.store(dst, lo);
    v128.store(dst, hi, 16);
    return;
  }
  if (count <= 0) return;
  v128.store(tmp, lo);
  v128.store(tmp, hi, 16);
  memory.copy(dst, tmp, bytes(count));
}
