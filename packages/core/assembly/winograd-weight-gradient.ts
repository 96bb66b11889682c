// The weight gradient of a 3×3 stride-1 convolution (one group, no dilation) by Winograd
// F(2×2, 3×3). The forward (winograd.ts) computes each 2×2 output tile as
//   Y = Aᵀ·[ Σ_c U_oc ⊙ V_c ]·A,   U_oc = G·W_oc·Gᵀ,   V_c = Bᵀ·d_c·B,
// so by the chain rule ∂L/∂U_oc = Σ_tiles (A·dY_o·Aᵀ) ⊙ V_c and dW_oc = Gᵀ·(∂L/∂U_oc)·G: sixteen
// matrix products P_ξ = Ŷ_ξ·V_ξᵀ ([C_out × tiles]·[tiles × C_in]) reducing over the tiles, between
// transforms costing O(C_out + C_in) per tile and one O(C_out·C_in) output transform: 16 multiply-adds
// per tile and channel pair where im2col does 36. A chunk is a fixed group of images whose partial
// sums it writes whole; the host adds the partials in order (sumPartials), so the result does not
// depend on the thread count, then transforms them (winogradWeightOutput).

import { sum } from './conv2d';
import { ConvShape } from './conv-shape';
import { packColsB, packRowsA } from './pack';
import { INIT_C, MR, NR, multiplyBlock } from './tile';
import { XI, evens, odds, tileColumns, tileRows, transformRow } from './winograd';

/** Tiles per block of the reduction (a multiple of 4, the lanes): transforms of a block stay in L2. */
const BLOCK_TILES: i32 = 64;

@inline function bytes(floats: i32): usize {
  return <usize>floats << 2;
}

@inline function roundUp(v: i32, m: i32): i32 {
  return (v + m - 1) / m * m;
}

/** Floats of one image group's partial sums: P `[16][C_out][C_in]` then db `[C_out]`. */
export function winogradWeightPartialFloats(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return XI * s.outC * s.inC + s.outC;
}

/** Scratch bytes per thread for {@link winogradWeightChunk}: the transforms, their packed panels, the edge tile. */
export function winogradWeightScratch(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return <i32>bytes(XI * BLOCK_TILES * (max(s.outC, s.inC) + roundUp(s.outC, MR) + roundUp(s.inC, NR)) + MR * NR);
}

/**
 * `(x·Aᵀ)` for one row x = (a, b) of A·dY, four tiles at a time: `a, a + b, a − b, −b` at dst,
 * dst + step, dst + 2·step, dst + 3·step.
 */
@inline function gradientRow(dst: usize, step: usize, a: v128, b: v128): void {
  v128.store(dst, a);
  v128.store(dst + step, f32x4.add(a, b));
  v128.store(dst + 2 * step, f32x4.sub(a, b));
  v128.store(dst + 3 * step, f32x4.neg(b));
}

/**
 * One chunk: images [q·perGroup, +perGroup) (q = chunk). Overwrites partial q (`partials +
 * q·winogradWeightPartialFloats` floats) with `P_ξ[o][c] = Σ_tiles Ŷ_ξ[o][t]·V_ξ[c][t]`, where
 * `Ŷ = A·dY·Aᵀ` (dY zero past the output's edge) and `V = Bᵀ·d·B` from `src` (the input padded as for
 * the forward: winogradPaddedHeight × winogradPaddedWidth), and `db[o] = Σ dy[n, o]`. dy is read up
 * to 7 floats past a row's end (masked): it needs 32 bytes of slack.
 */
export function winogradWeightChunk(chunk: i32, thread: i32, shape: usize, dy: usize, src: usize, hs: i32, ws: i32, perGroup: i32, partials: usize, scratch: usize, scratchStride: usize): void {
  const s = changetype<ConvShape>(shape);
  const m = s.outC;
  const c = s.inC;
  const oh = s.outH;
  const ow = s.outW;
  const p = oh * ow;
  const th = tileRows(s);
  const tw = tileColumns(s);
  const n0 = chunk * perGroup;
  const n1 = min(s.batch, n0 + perGroup);
  const temp = scratch + <usize>thread * scratchStride;
  const apack = temp + bytes(XI * BLOCK_TILES * max(m, c));
  const bpack = apack + bytes(XI * BLOCK_TILES * roundUp(m, MR));
  const edge = bpack + bytes(XI * BLOCK_TILES * roundUp(c, NR));
  const part = partials + bytes(chunk * winogradWeightPartialFloats(shape));
  const biasRow = part + bytes(XI * m * c);
  memory.fill(part, 0, bytes(XI * m * c + m));
  for (let n = n0; n < n1; n++) {
    for (let o = 0; o < m; o++) {
      const at = biasRow + bytes(o);
      store<f32>(at, load<f32>(at) + sum(dy + bytes((n * m + o) * p), p));
    }
  }
  const unitsPerImage = th * (tw >> 2);
  const units = (n1 - n0) * unitsPerImage;
  const zero = f32x4.splat(0);
  const row = bytes(ws);
  for (let u0 = 0; u0 < units; u0 += BLOCK_TILES >> 2) {
    const kt = min(BLOCK_TILES, (units - u0) << 2);
    // Ŷ_ξ[o][t] as `[C_out][16][kt]` (the 16 stores of a tile fall in different cache sets), then packed as A.
    const step = bytes(kt);
    for (let u = u0; u < u0 + (kt >> 2); u++) {
      const n = n0 + u / unitsPerImage;
      const r = (u % unitsPerImage) / (tw >> 2);
      const t0 = ((u % (tw >> 2)) << 2);
      const room = i32x4.splat(ow - 2 * t0);
      const maskLo = i32x4.lt_s(i32x4(0, 1, 2, 3), room);
      const maskHi = i32x4.lt_s(i32x4(4, 5, 6, 7), room);
      // Without a second output row, the first is read again and masked out.
      const second = 2 * r + 1 < oh;
      const below = second ? bytes(ow) : 0;
      const maskLo1 = second ? maskLo : zero;
      const maskHi1 = second ? maskHi : zero;
      for (let o = 0; o < m; o++) {
        const d = dy + bytes(((n * m + o) * oh + 2 * r) * ow + 2 * t0);
        const lo0 = v128.and(v128.load(d), maskLo), hi0 = v128.and(v128.load(d, 16), maskHi);
        const lo1 = v128.and(v128.load(d + below), maskLo1), hi1 = v128.and(v128.load(d + below, 16), maskHi1);
        // Tile l's dY is [a0 b0; a1 b1] in lane l; A·dY has rows (a0, b0), (a0 + a1, b0 + b1), (a0 − a1, b0 − b1), (−a1, −b1).
        const a0 = evens(lo0, hi0), b0 = odds(lo0, hi0), a1 = evens(lo1, hi1), b1 = odds(lo1, hi1);
        const out = temp + bytes(o * XI * kt + ((u - u0) << 2));
        gradientRow(out, step, a0, b0);
        gradientRow(out + 4 * step, step, f32x4.add(a0, a1), f32x4.add(b0, b1));
        gradientRow(out + 8 * step, step, f32x4.sub(a0, a1), f32x4.sub(b0, b1));
        gradientRow(out + 12 * step, step, f32x4.neg(a1), f32x4.neg(b1));
      }
    }
    for (let xi = 0; xi < XI; xi++) packRowsA(temp + <usize>xi * step, XI * kt, m, 0, kt, apack + bytes(xi * roundUp(m, MR) * kt));
    // V_ξ[c][t] as `[C_in][16][kt]`, then packed as B.
    for (let u = u0; u < u0 + (kt >> 2); u++) {
      const n = n0 + u / unitsPerImage;
      const r = (u % unitsPerImage) / (tw >> 2);
      const t0 = ((u % (tw >> 2)) << 2);
      for (let ci = 0; ci < c; ci++) {
        const at = src + bytes((n * c + ci) * hs * ws + 2 * r * ws + 2 * t0);
        const a0 = v128.load(at), b0 = v128.load(at, 16), c0 = v128.load(at, 8), e0 = v128.load(at, 24);
        const a1 = v128.load(at + row), b1 = v128.load(at + row, 16), c1 = v128.load(at + row, 8), e1 = v128.load(at + row, 24);
        const a2 = v128.load(at + 2 * row), b2 = v128.load(at + 2 * row, 16), c2 = v128.load(at + 2 * row, 8), e2 = v128.load(at + 2 * row, 24);
        const a3 = v128.load(at + 3 * row), b3 = v128.load(at + 3 * row, 16), c3 = v128.load(at + 3 * row, 8), e3 = v128.load(at + 3 * row, 24);
        const out = temp + bytes(ci * XI * kt + ((u - u0) << 2));
        transformRow(out, step, f32x4.sub(a0, a2), f32x4.sub(b0, b2), f32x4.sub(c0, c2), f32x4.sub(e0, e2));
        transformRow(out + 4 * step, step, f32x4.add(a1, a2), f32x4.add(b1, b2), f32x4.add(c1, c2), f32x4.add(e1, e2));
        transformRow(out + 8 * step, step, f32x4.sub(a2, a1), f32x4.sub(b2, b1), f32x4.sub(c2, c1), f32x4.sub(e2, e1));
        transformRow(out + 12 * step, step, f32x4.sub(a1, a3), f32x4.sub(b1, b3), f32x4.sub(c1, c3), f32x4.sub(e1, e3));
      }
    }
    for (let xi = 0; xi < XI; xi++) packColsB(temp + <usize>xi * step, XI * kt, 0, kt, 0, c, bpack + bytes(xi * roundUp(c, NR) * kt));
    for (let xi = 0; xi < XI; xi++) {
      multiplyBlock(m, kt, apack + bytes(xi * roundUp(m, MR) * kt), bytes(kt * MR), bpack + bytes(xi * roundUp(c, NR) * kt), c, part + bytes(xi * m * c), c, INIT_C, 0, edge);
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
