// The weight gradient of a 3×3 stride-1 convolution (one group, no dilation) by Winograd
// F(4×4, 3×3), for small maps. The forward (winograd4.ts) computes each 4×4 output tile as
//   Y = Aᵀ·[ Σ_c U_oc ⊙ V_c ]·A,   U_oc = G·W_oc·Gᵀ,   V_c = Bᵀ·d_c·B,
// so ∂L/∂U_oc = Σ_tiles (A·dY_o·Aᵀ) ⊙ V_c and dW_oc = Gᵀ·(∂L/∂U_oc)·G: per pair of channels 36
// multiply-adds per tile where im2col (and batch-gemm) do 144. On a 4×4 map with padding 1 that is
// one tile per image: dW_oc is the correlation of the zero-bordered 6×6 input with the 4×4 dy,
// F(3×3, 4×4). With G = D·G′ (D = diag(¼, ⅙, ⅙, 1/24, 1/24, 1), G′ integer),
// Gᵀ·M·G = G′ᵀ·(D·M·D)·G′: D is applied to the transformed dy, once per tile and output channel.
// Unlike winograd-weight-gradient.ts (F(2×2)), which writes 16 partial C_out×C_in matrices per group
// of images for the host to add, a chunk here is a block of output channels: for each block of 8
// input channels it reduces all 36 products over every tile of the batch into a 9 KiB buffer that
// stays in L1 and transforms them into dW at once. Nothing is summed across chunks, so the result
// does not depend on the thread count.

import { sum } from './conv2d';
import { bytes, ConvShape, positions } from './conv-shape';
import { madd, MR, NR } from './tile';
import { bt6, XI } from './winograd4';

/** Row panels (of MR output channels) per chunk: the chunk's buffer is XI·PANELS 4×8 tiles. */
const PANELS: i32 = 2;

/** Tile rows per image: `⌈H_out/4⌉`. */
@inline function tileRows(s: ConvShape): i32 {
  return (s.outH + 3) >> 2;
}

/** Tiles per row: `⌈W_out/4⌉`. */
@inline function tileColumns(s: ConvShape): i32 {
  return (s.outW + 3) >> 2;
}

/** Tiles of the whole batch, the reduction of each product. */
@inline function allTiles(s: ConvShape): i32 {
  return s.batch * tileRows(s) * tileColumns(s);
}

/** Floats of the transformed dy, `[⌈C_out/4⌉][36][tiles][4]` (A panels of the tile). */
export function winograd4WeightGradientsFloats(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return ((s.outC + 3) >> 2) * MR * XI * allTiles(s);
}

/** Floats of the transformed input, `[⌈C_in/8⌉][36][tiles][8]` (B panels of the tile). */
export function winograd4WeightInputsFloats(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return ((s.inC + 7) >> 3) * NR * XI * allTiles(s);
}

/** `s·(A·y)`: `s0·y0, s1·(e + o), s2·(e − o), s3·(e′ + o′), s4·(e′ − o′), s5·y3` (e = y0 + y2, o = y1 + y3, e′ = y0 + 4y2, o′ = 2y1 + 8y3) at dst + i·step, s = D's diagonal. */
@inline function a6(dst: usize, step: usize, y0: v128, y1: v128, y2: v128, y3: v128): void {
  const e = f32x4.add(y0, y2), o = f32x4.add(y1, y3);
  const e2 = f32x4.add(y0, f32x4.mul(f32x4.splat(4), y2));
  const o2 = f32x4.add(f32x4.add(y1, y1), f32x4.mul(f32x4.splat(8), y3));
  v128.store(dst, f32x4.mul(y0, f32x4.splat(0.25)));
  v128.store(dst + step, f32x4.mul(f32x4.add(e, o), f32x4.splat(<f32>1 / 6)));
  v128.store(dst + 2 * step, f32x4.mul(f32x4.sub(e, o), f32x4.splat(<f32>1 / 6)));
  v128.store(dst + 3 * step, f32x4.mul(f32x4.add(e2, o2), f32x4.splat(<f32>1 / 24)));
  v128.store(dst + 4 * step, f32x4.mul(f32x4.sub(e2, o2), f32x4.splat(<f32>1 / 24)));
  v128.store(dst + 5 * step, y3);
}

/**
 * Image `chunk`: `Ŷ = D·A·dY·Aᵀ·D` of every tile and group of four output channels into
 * `u` (`[⌈C_out/4⌉][36][tiles][4]`) and `V = Bᵀ·d·B` of every tile and group of four input
 * channels into half of `v`'s panel (`[⌈C_in/8⌉][36][tiles][8]`; zeros in the half past the last
 * group). Tile t = (n·⌈H_out/4⌉ + row)·⌈W_out/4⌉ + column. `dyi` is dy interleaved
 * (interleaveChunk) into 4·⌈H_out/4⌉ × 4·⌈W_out/4⌉ planes, `xi` the input interleaved and padded into
 * (4·⌈H_out/4⌉ + 2) × (4·⌈W_out/4⌉ + 2) planes. `tmp` (per thread, 36 vectors) at scratch.
 */
export function winograd4WeightTransformChunk(chunk: i32, thread: i32, shape: usize, dyi: usize, xi: usize, u: usize, v: usize, scratch: usize, scratchStride: usize): void {
  const s = changetype<ConvShape>(shape);
  const th = tileRows(s);
  const tw = tileColumns(s);
  const nt = allTiles(s);
  const m4 = (s.outC + 3) >> 2;
  const c4 = (s.inC + 3) >> 2;
  const tmp = scratch + <usize>thread * scratchStride;
  const n = chunk;
  const dyRow = bytes(16 * tw);
  const uStep = bytes(MR * nt);
  for (let g = 0; g < m4; g++) {
    for (let r = 0; r < th; r++) {
      for (let col = 0; col < tw; col++) {
        const t = (n * th + r) * tw + col;
        const d = dyi + bytes((((n * m4 + g) * 4 * th + 4 * r) * 4 * tw + 4 * col) * 4);
        // A down the four columns into tmp (6 rows of 4 vectors), then A along each row.
        for (let j: usize = 0; j < 4; j++) {
          const at = d + j * 16;
          a6(tmp + j * 16, 64, v128.load(at), v128.load(at + dyRow), v128.load(at + 2 * dyRow), v128.load(at + 3 * dyRow));
        }
        const out = u + bytes(g * MR * XI * nt + t * MR);
        for (let i: usize = 0; i < 6; i++) {
          const row = tmp + i * 64;
          a6(out + 6 * i * uStep, uStep, v128.load(row), v128.load(row, 16), v128.load(row, 32), v128.load(row, 48));
        }
      }
    }
  }
  const hs = 4 * th + 2;
  const ws = 4 * tw + 2;
  const xRow = bytes(4 * ws);
  const vStep = bytes(NR * nt);
  for (let g = 0; g < c4; g++) {
    for (let r = 0; r < th; r++) {
      for (let col = 0; col < tw; col++) {
        const t = (n * th + r) * tw + col;
        const d = xi + bytes((((n * c4 + g) * hs + 4 * r) * ws + 4 * col) * 4);
        // Bᵀ down the six columns into tmp (6 rows of 6 vectors), then B along each row.
        for (let j: usize = 0; j < 6; j++) {
          const at = d + j * 16;
          bt6(tmp + j * 16, 96, v128.load(at), v128.load(at + xRow), v128.load(at + 2 * xRow), v128.load(at + 3 * xRow), v128.load(at + 4 * xRow), v128.load(at + 5 * xRow));
        }
        const out = v + bytes((g >> 1) * NR * XI * nt + t * NR + (g & 1) * 4);
        for (let i: usize = 0; i < 6; i++) {
          const row = tmp + i * 96;
          bt6(out + 6 * i * vStep, vStep, v128.load(row), v128.load(row, 16), v128.load(row, 32), v128.load(row, 48), v128.load(row, 64), v128.load(row, 80));
        }
        if ((g & 1) == 0 && g == c4 - 1) {
          for (let xi: usize = 0; xi < <usize>XI; xi++) v128.store(out + xi * vStep, f32x4.splat(0), 16);
        }
      }
    }
  }
}

/** Floats of a chunk's product buffer: XI·PANELS tiles of 4×8. */
const BUFFER_FLOATS: i32 = XI * PANELS * MR * NR;
/** Floats of the output transform's buffer: 3 columns of 6 vectors. */
const TMP_FLOATS: i32 = 3 * 6 * 4;

/** Scratch bytes per thread for the kernels here: a chunk's product buffer and the output transform's buffer (the input transforms use the first 36 vectors). */
export function winograd4WeightScratch(shape: usize): i32 {
  return <i32>bytes(BUFFER_FLOATS + TMP_FLOATS);
}

/** Chunks of {@link winograd4WeightChunk}: blocks of PANELS·4 output channels. */
export function winograd4WeightChunks(shape: usize): i32 {
  const s = changetype<ConvShape>(shape);
  return (((s.outC + 3) >> 2) + PANELS - 1) / PANELS;
}

/** `G′ᵀ·p`: `p0 − (p1 + p2) + (p3 + p4), (p2 − p1) + 2(p3 − p4), 4(p3 + p4) − (p1 + p2) + p5` at dst, dst + step, dst + 2·step. */
@inline function g3(dst: usize, step: usize, p0: v128, p1: v128, p2: v128, p3: v128, p4: v128, p5: v128): void {
  const a = f32x4.add(p1, p2), b = f32x4.sub(p2, p1), c = f32x4.add(p3, p4), d = f32x4.sub(p3, p4);
  v128.store(dst, f32x4.add(f32x4.sub(p0, a), c));
  v128.store(dst + step, f32x4.add(b, f32x4.add(d, d)));
  v128.store(dst + 2 * step, f32x4.add(f32x4.sub(f32x4.mul(f32x4.splat(4), c), a), p5));
}

/**
 * `out[r][j] = Σ_{p<kc} a[p][r]·b[p][j]` for a 4×8 tile (out: 8 floats per row), a packed `[kc][4]`,
 * b `[kc][8]`: the register tile of tile.ts, inlined, for the short reductions here (one or a few
 * tiles per image), where its calls' set-up cost as much as their products.
 */
@inline function product(kc: i32, a: usize, b: usize, out: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(c00, x, b0); c01 = madd(c01, x, b1);
    x = v128.load32_splat(a, 4);
    c10 = madd(c10, x, b0); c11 = madd(c11, x, b1);
    x = v128.load32_splat(a, 8);
    c20 = madd(c20, x, b0); c21 = madd(c21, x, b1);
    x = v128.load32_splat(a, 12);
    c30 = madd(c30, x, b0); c31 = madd(c31, x, b1);
    a += 16;
    b += 32;
  }
  v128.store(out, c00); v128.store(out, c01, 16);
  v128.store(out, c10, 32); v128.store(out, c11, 48);
  v128.store(out, c20, 64); v128.store(out, c21, 80);
  v128.store(out, c30, 96); v128.store(out, c31, 112);
}

/**
 * The 3×3 kernels of four channels (lane l of k_i is tap i of channel l) as 36 consecutive floats
 * at dst, channel by channel: the 9×4 block transposed with two 4×4 transposes and shuffles.
 */
@inline function storeKernels(dst: usize, k0: v128, k1: v128, k2: v128, k3: v128, k4: v128, k5: v128, k6: v128, k7: v128, k8: v128): void {
  // r_l = (k0..k3)[l], s_l = (k4..k7)[l]
  const a0 = v128.shuffle<f32>(k0, k1, 0, 4, 1, 5), a1 = v128.shuffle<f32>(k0, k1, 2, 6, 3, 7);
  const a2 = v128.shuffle<f32>(k2, k3, 0, 4, 1, 5), a3 = v128.shuffle<f32>(k2, k3, 2, 6, 3, 7);
  const r0 = v128.shuffle<f32>(a0, a2, 0, 1, 4, 5), r1 = v128.shuffle<f32>(a0, a2, 2, 3, 6, 7);
  const r2 = v128.shuffle<f32>(a1, a3, 0, 1, 4, 5), r3 = v128.shuffle<f32>(a1, a3, 2, 3, 6, 7);
  const b0 = v128.shuffle<f32>(k4, k5, 0, 4, 1, 5), b1 = v128.shuffle<f32>(k4, k5, 2, 6, 3, 7);
  const b2 = v128.shuffle<f32>(k6, k7, 0, 4, 1, 5), b3 = v128.shuffle<f32>(k6, k7, 2, 6, 3, 7);
  const s0 = v128.shuffle<f32>(b0, b2, 0, 1, 4, 5), s1 = v128.shuffle<f32>(b0, b2, 2, 3, 6, 7);
  const s2 = v128.shuffle<f32>(b1, b3, 0, 1, 4, 5), s3 = v128.shuffle<f32>(b1, b3, 2, 3, 6, 7);
  v128.store(dst, r0);
  v128.store(dst, s0, 16);
  v128.store(dst, v128.shuffle<f32>(k8, r1, 0, 4, 5, 6), 32);
  v128.store(dst, v128.shuffle<f32>(r1, s1, 3, 4, 5, 6), 48);
  v128.store(dst, v128.shuffle<f32>(v128.shuffle<f32>(s1, k8, 3, 5, 3, 5), r2, 0, 1, 4, 5), 64);
  v128.store(dst, v128.shuffle<f32>(r2, s2, 2, 3, 4, 5), 80);
  v128.store(dst, v128.shuffle<f32>(v128.shuffle<f32>(s2, k8, 2, 3, 6, 6), r3, 0, 1, 2, 4), 96);
  v128.store(dst, v128.shuffle<f32>(r3, s3, 1, 2, 3, 4), 112);
  v128.store(dst, v128.shuffle<f32>(s3, k8, 1, 2, 3, 7), 128);
}

/** Lanes [0, count) of x at dst, dst + step, … */
@inline function storeLanes(dst: usize, step: usize, x: v128, count: i32): void {
  store<f32>(dst, f32x4.extract_lane(x, 0));
  if (count > 1) store<f32>(dst + step, f32x4.extract_lane(x, 1));
  if (count > 2) store<f32>(dst + 2 * step, f32x4.extract_lane(x, 2));
  if (count > 3) store<f32>(dst + 3 * step, f32x4.extract_lane(x, 3));
}

/**
 * One chunk: output channels [8q, 8q + 8) (q = chunk). For each block of 8 input channels,
 * `M_ξ = Σ_tiles Ŷ_ξ·V_ξᵀ` for the 36 ξ into the per-thread buffer (4×8 tiles), then
 * `dW[o][c] = G′ᵀ·M[o][c]·G′` (3×3 from 6×6, ξ = 6i + j) into dw (`[C_out][C_in][3][3]`); and
 * `db[o] = Σ_n Σ dy[n, o]` (images in order). `u` and `v` as {@link winograd4WeightTransformChunk} left them.
 */
export function winograd4WeightChunk(chunk: i32, thread: i32, shape: usize, dy: usize, u: usize, v: usize, dw: usize, db: usize, scratch: usize, scratchStride: usize): void {
  const s = changetype<ConvShape>(shape);
  const m = s.outC;
  const c = s.inC;
  const p = positions(s);
  const nt = allTiles(s);
  const buf = scratch + <usize>thread * scratchStride;
  const tmp = buf + bytes(BUFFER_FLOATS);
  const g0 = chunk * PANELS;
  const panels = min(PANELS, ((m + 3) >> 2) - g0);
  for (let o = g0 * MR; o < min(m, (g0 + panels) * MR); o++) {
    let total: f32 = 0;
    for (let n = 0; n < s.batch; n++) total += sum(dy + bytes((n * m + o) * p), p);
    store<f32>(db + bytes(o), total);
  }
  const tileBytes = bytes(MR * NR);
  for (let c8 = 0; c8 < c; c8 += NR) {
    const b = v + bytes((c8 >> 3) * NR * XI * nt);
    for (let x = 0; x < XI; x++) {
      for (let q = 0; q < panels; q++) {
        const a = u + bytes(((g0 + q) * XI + x) * MR * nt);
        const out = buf + <usize>(x * PANELS + q) * tileBytes;
        product(nt, a, b + bytes(x * nt * NR), out);
      }
    }
    // G′ᵀ·M·G′ for four input channels at a time (the lanes): along each row i into column v of
    // tmp (`[3][6]` vectors), then down each column, leaving dW[·][u][v] at tmp + (6v + u)·16.
    const xiStep = <usize>PANELS * tileBytes;
    for (let q = 0; q < panels; q++) {
      for (let r = 0; r < MR; r++) {
        const o = (g0 + q) * MR + r;
        if (o >= m) break;
        for (let h = 0; h < 2; h++) {
          const ci = c8 + 4 * h;
          if (ci >= c) break;
          const at = buf + <usize>q * tileBytes + bytes(r * NR + 4 * h);
          for (let i: usize = 0; i < 6; i++) {
            const row = at + 6 * i * xiStep;
            g3(tmp + i * 16, 96, v128.load(row), v128.load(row + xiStep), v128.load(row + 2 * xiStep), v128.load(row + 3 * xiStep), v128.load(row + 4 * xiStep), v128.load(row + 5 * xiStep));
          }
          const count = min(4, c - ci);
          const dst = dw + bytes((o * c + ci) * 9);
          for (let j: usize = 0; j < 3; j++) {
            const col = tmp + j * 96;
            g3(col, 16, v128.load(col), v128.load(col, 16), v128.load(col, 32), v128.load(col, 48), v128.load(col, 64), v128.load(col, 80));
          }
          if (count == 4) {
            storeKernels(dst, v128.load(tmp), v128.load(tmp, 96), v128.load(tmp, 192), v128.load(tmp, 16), v128.load(tmp, 112), v128.load(tmp, 208), v128.load(tmp, 32), v128.load(tmp, 128), v128.load(tmp, 224));
          } else {
            for (let uu: usize = 0; uu < 3; uu++) {
              for (let vv: usize = 0; vv < 3; vv++) storeLanes(dst + bytes(<i32>(3 * uu + vv)), 36, v128.load(tmp + vv * 96 + uu * 16), count);
            }
          }
        }
      }
    }
  }
}
