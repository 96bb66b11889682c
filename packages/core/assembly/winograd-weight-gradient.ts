// The weight gradient of a 3×3 stride-1 convolution (one group, no dilation) by Winograd
// F(2×2, 3×3). The forward (winograd.ts) computes each 2×2 output tile as
//   Y = Aᵀ·[ Σ_c U_oc ⊙ V_c ]·A,   U_oc = G·W_oc·Gᵀ,   V_c = Bᵀ·d_c·B,
// so by the chain rule ∂L/∂U_oc = Σ_tiles (A·dY_o·Aᵀ) ⊙ V_c and dW_oc = Gᵀ·(∂L/∂U_oc)·G: sixteen
// matrix products P_ξ = Ŷ_ξ·V_ξᵀ ([C_out × tiles]·[tiles × C_in]) reducing over the tiles, between
// transforms costing O(C_out + C_in) per tile and one O(C_out·C_in) output transform: 16 multiply-adds
// per tile and channel pair where im2col does 36. dy and x are first copied with four channels
// interleaved (`[N][⌈C/4⌉][H][W][4]`, zero-bordered), so that one tile's transform runs four
// channels across the SIMD lanes and stores straight into the tile's packed panels. A chunk is a
// fixed group of images whose partial sums it writes whole; the host adds the partials in order
// (sumPartials), so the result does not depend on the thread count, then transforms them
// (winogradWeightOutput).

import { sum } from './conv2d';
import { bytes, ConvShape } from './conv-shape';
import { storeTransposed4 } from './pack';
import { INIT_C, MR, NR, multiplyBlock } from './tile';
import { XI } from './winograd';

/** Tiles per block of the reduction: the packed transforms of a block stay in L2. */
const BLOCK_TILES: i32 = 64;
/** Bytes added between the 16 packed matrices, so that a tile's 16 stores do not share a cache set. */
const SKEW: i32 = 64;

/**
 * Copies image `chunk` of `src` (`[N][channels][h][w]`) into dst with four channels interleaved,
 * `[N][⌈channels/4⌉][hs][ws][4]`: (c, r, col) goes to (⌊c/4⌋, r + top, col + left, c mod 4);
 * everything else (the border, channels past the last) is 0.
 */
export function interleaveChunk(chunk: i32, thread: i32, src: usize, channels: i32, h: i32, w: i32, top: i32, left: i32, dst: usize, hs: i32, ws: i32): void {
  const groups = (channels + 3) >> 2;
  const plane = h * w;
  let out = dst + bytes(chunk * groups * hs * ws * 4);
  for (let g = 0; g < groups; g++) {
    const c0 = g * 4;
    const valid = min(4, channels - c0);
    const s0 = src + bytes((chunk * channels + c0) * plane);
    memory.fill(out, 0, bytes(hs * ws * 4));
    for (let r = 0; r < h; r++) {
      const row = out + bytes(((r + top) * ws + left) * 4);
      const from = s0 + bytes(r * w);
      let col = 0;
      if (valid == 4) {
        // Four columns of the four channels, transposed: each column's four channels side by side.
        for (; col + 4 <= w; col += 4) {
          const at = from + bytes(col);
          storeTransposed4(v128.load(at), v128.load(at + bytes(plane)), v128.load(at + bytes(2 * plane)), v128.load(at + bytes(3 * plane)), row + bytes(col * 4), 16);
        }
      }
      for (; col < w; col++) {
        const at = from + bytes(col);
        const to = row + bytes(col * 4);
        for (let k = 0; k < valid; k++) store<f32>(to + bytes(k), load<f32>(at + bytes(k * plane)));
      }
    }
    out += bytes(hs * ws * 4);
  }
}

/** Floats of one image group's partial sums: P `[16][C_out][C_in]` then db `[C_out]`. */
export function winogradWeightPartialFloats(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return XI * s.outC * s.inC + s.outC;
}

/** Bytes of one ξ's packed Ŷ panels (`[⌈C_out/4⌉][kt][4]`, kt ≤ BLOCK_TILES tiles) plus the skew. */
@inline function aBytes(s: ConvShape): usize {
  return bytes(((s.outC + 3) >> 2) * BLOCK_TILES * MR + SKEW / 4);
}

/** Bytes of one ξ's packed V panels (`[⌈C_in/8⌉][kt][8]`) plus the skew. */
@inline function bBytes(s: ConvShape): usize {
  return bytes(((s.inC + 7) >> 3) * BLOCK_TILES * NR + SKEW / 4);
}

/** Scratch bytes per thread for {@link winogradWeightChunk}: one block's packed transforms and the edge tile. */
export function winogradWeightScratch(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return <i32>(XI * (aBytes(s) + bBytes(s)) + bytes(MR * NR));
}

/** The 4 values `a, a + b, a − b, −b` (one row of ·Aᵀ) at dst, dst + step, dst + 2·step, dst + 3·step. */
@inline function gradientRow(dst: usize, step: usize, a: v128, b: v128): void {
  v128.store(dst, a);
  v128.store(dst + step, f32x4.add(a, b));
  v128.store(dst + 2 * step, f32x4.sub(a, b));
  v128.store(dst + 3 * step, f32x4.neg(b));
}

/** The 4 values `x0 − x2, x1 + x2, x2 − x1, x1 − x3` (one row of ·B) at dst, dst + step, dst + 2·step, dst + 3·step. */
@inline function inputRow(dst: usize, step: usize, x0: v128, x1: v128, x2: v128, x3: v128): void {
  v128.store(dst, f32x4.sub(x0, x2));
  v128.store(dst + step, f32x4.add(x1, x2));
  v128.store(dst + 2 * step, f32x4.sub(x2, x1));
  v128.store(dst + 3 * step, f32x4.sub(x1, x3));
}

/**
 * One chunk: images [q·perGroup, +perGroup) (q = chunk). Overwrites partial q (`partials +
 * q·winogradWeightPartialFloats` floats) with `P_ξ[o][c] = Σ_tiles Ŷ_ξ[o][t]·V_ξ[c][t]`, where
 * `Ŷ = A·dY·Aᵀ` and `V = Bᵀ·d·B`, and `db[o] = Σ dy[n, o]`. `dyi` is dy interleaved
 * ({@link interleaveChunk}) into 2·⌈H_out/2⌉ × 2·⌈W_out/2⌉ planes, `xi` the input interleaved
 * and padded into (2·⌈H_out/2⌉ + 2) × `ws` planes, ws = 2·⌈W_out/2⌉ + 2.
 */
export function winogradWeightChunk(chunk: i32, thread: i32, shape: usize, dy: usize, dyi: usize, xi: usize, perGroup: i32, partials: usize, scratch: usize, scratchStride: usize): void {
  const s = changetype<ConvShape>(shape);
  const m = s.outC;
  const c = s.inC;
  const p = s.outH * s.outW;
  const th = (s.outH + 1) >> 1;
  const tw = (s.outW + 1) >> 1;
  const m4 = (m + 3) >> 2;
  const c4 = (c + 3) >> 2;
  const hs = 2 * th + 2;
  const ws = 2 * tw + 2;
  const n0 = chunk * perGroup;
  const n1 = min(s.batch, n0 + perGroup);
  const apack = scratch + <usize>thread * scratchStride;
  const bpack = apack + XI * aBytes(s);
  const edge = bpack + XI * bBytes(s);
  const aStep = aBytes(s);
  const bStep = bBytes(s);
  const part = partials + bytes(chunk * winogradWeightPartialFloats(shape));
  const biasRow = part + bytes(XI * m * c);
  memory.fill(part, 0, bytes(XI * m * c + m));
  for (let n = n0; n < n1; n++) {
    for (let o = 0; o < m; o++) {
      const at = biasRow + bytes(o);
      store<f32>(at, load<f32>(at) + sum(dy + bytes((n * m + o) * p), p));
    }
  }
  const perImage = th * tw;
  const tiles = (n1 - n0) * perImage;
  const dyRow = bytes(2 * tw * 4);
  const xRow = bytes(ws * 4);
  for (let t0 = 0; t0 < tiles; t0 += BLOCK_TILES) {
    const kt = min(BLOCK_TILES, tiles - t0);
    // Ŷ of four output channels per tile, into their row panel of each ξ.
    for (let g = 0; g < m4; g++) {
      for (let t = 0; t < kt; t++) {
        const q = t0 + t;
        const n = n0 + q / perImage;
        const r = (q % perImage) / tw;
        const col = q % tw;
        const d = dyi + bytes((((n * m4 + g) * 2 * th + 2 * r) * 2 * tw + 2 * col) * 4);
        const a0 = v128.load(d), b0 = v128.load(d, 16);
        const a1 = v128.load(d + dyRow), b1 = v128.load(d + dyRow, 16);
        // dY = [a0 b0; a1 b1]; A·dY has rows (a0, b0), (a0 + a1, b0 + b1), (a0 − a1, b0 − b1), (−a1, −b1).
        const out = apack + bytes((g * kt + t) * MR);
        gradientRow(out, aStep, a0, b0);
        gradientRow(out + 4 * aStep, aStep, f32x4.add(a0, a1), f32x4.add(b0, b1));
        gradientRow(out + 8 * aStep, aStep, f32x4.sub(a0, a1), f32x4.sub(b0, b1));
        gradientRow(out + 12 * aStep, aStep, f32x4.neg(a1), f32x4.neg(b1));
      }
    }
    // V of four input channels per tile, into half of their column panel of each ξ.
    for (let g = 0; g < c4; g++) {
      for (let t = 0; t < kt; t++) {
        const q = t0 + t;
        const n = n0 + q / perImage;
        const r = (q % perImage) / tw;
        const col = q % tw;
        const d = xi + bytes((((n * c4 + g) * hs + 2 * r) * ws + 2 * col) * 4);
        const p00 = v128.load(d), p01 = v128.load(d, 16), p02 = v128.load(d, 32), p03 = v128.load(d, 48);
        const p10 = v128.load(d + xRow), p11 = v128.load(d + xRow, 16), p12 = v128.load(d + xRow, 32), p13 = v128.load(d + xRow, 48);
        const p20 = v128.load(d + 2 * xRow), p21 = v128.load(d + 2 * xRow, 16), p22 = v128.load(d + 2 * xRow, 32), p23 = v128.load(d + 2 * xRow, 48);
        const p30 = v128.load(d + 3 * xRow), p31 = v128.load(d + 3 * xRow, 16), p32 = v128.load(d + 3 * xRow, 32), p33 = v128.load(d + 3 * xRow, 48);
        // Bᵀ·d down the columns, then ·B along each row.
        const out = bpack + bytes(((g >> 1) * kt + t) * NR + (g & 1) * 4);
        inputRow(out, bStep, f32x4.sub(p00, p20), f32x4.sub(p01, p21), f32x4.sub(p02, p22), f32x4.sub(p03, p23));
        inputRow(out + 4 * bStep, bStep, f32x4.add(p10, p20), f32x4.add(p11, p21), f32x4.add(p12, p22), f32x4.add(p13, p23));
        inputRow(out + 8 * bStep, bStep, f32x4.sub(p20, p10), f32x4.sub(p21, p11), f32x4.sub(p22, p12), f32x4.sub(p23, p13));
        inputRow(out + 12 * bStep, bStep, f32x4.sub(p10, p30), f32x4.sub(p11, p31), f32x4.sub(p12, p32), f32x4.sub(p13, p33));
      }
    }
    for (let x = 0; x < XI; x++) {
      multiplyBlock(m, kt, apack + <usize>x * aStep, bytes(kt * MR), bpack + <usize>x * bStep, c, part + bytes(x * m * c), c, INIT_C, 0, edge);
    }
  }
}

/** `(Gᵀ·p)`: `p0 + (p1 + p2)/2, (p1 − p2)/2, (p1 + p2)/2 + p3`, the first of the three at dst. */
@inline function gradientColumn(dst: usize, step: usize, p0: f32, p1: f32, p2: f32, p3: f32): void {
  const half = (p1 + p2) * 0.5;
  store<f32>(dst, p0 + half);
  store<f32>(dst + step, (p1 - p2) * 0.5);
  store<f32>(dst + 2 * step, half + p3);
}

/**
 * `dW[o][c] = Gᵀ·P[o][c]·G` (3×3 from 4×4, ξ = 4i + j) for the summed partials at `sums`
 * (`[16][C_out][C_in]`), into dw (`[C_out][C_in][3][3]`); `tmp` holds 12 floats.
 */
export function winogradWeightOutput(shape: usize, sums: usize, dw: usize, tmp: usize): void {
  const s = changetype<ConvShape>(shape);
  const mc = s.outC * s.inC;
  const step = bytes(mc);
  for (let k = 0; k < mc; k++) {
    const at = sums + bytes(k);
    // Gᵀ down each column j (rows of tmp: 3 × 4), then along each of the 3 rows.
    for (let j = 0; j < 4; j++) {
      const col = at + <usize>j * step;
      gradientColumn(tmp + bytes(j), 16, load<f32>(col), load<f32>(col + 4 * step), load<f32>(col + 8 * step), load<f32>(col + 12 * step));
    }
    const out = dw + bytes(9 * k);
    for (let i = 0; i < 3; i++) {
      const t = tmp + bytes(4 * i);
      gradientColumn(out + bytes(3 * i), 4, load<f32>(t), load<f32>(t, 4), load<f32>(t, 8), load<f32>(t, 12));
    }
  }
}
