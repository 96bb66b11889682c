// im2col and col2im over blocks: the column matrix of one image and one group has a row per kernel
// tap t = (c, i, j) and a column per output position p = (oh, ow), holding
// x[c, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW] (0 outside the image). Blocks of it are
// written straight into the layout their consumer wants, and read back four positions at a time:
// where four consecutive positions sit on one output row with stride 1, their inputs are four
// consecutive floats, one v128.

import { ConvShape, positions } from './conv-shape';

/** An input row index that no tap can bring back into range: marks positions past the end. */
const OUTSIDE: i32 = -0x40000000;

/**
 * Fills `table` for positions [q0, q0 + np) (np a multiple of 4): per position the input row and
 * column of its tap (0, 0), `oh·sH − padTop` and `ow·sW − padLeft` (OUTSIDE past the last
 * position), then per quad of positions 1 when its four inputs are consecutive floats, else 0.
 * Returns the address of the quad flags.
 */
function fillTable(s: ConvShape, q0: i32, np: i32, table: usize): usize {
  const total = positions(s);
  let oh = q0 / s.outW;
  let ow = q0 % s.outW;
  for (let t = 0; t < np; t++) {
    const at = table + (<usize>t << 3);
    if (q0 + t < total) {
      store<i32>(at, oh * s.strideH - s.padTop);
      store<i32>(at, ow * s.strideW - s.padLeft, 4);
    } else {
      store<i32>(at, OUTSIDE);
      store<i32>(at, 0, 4);
    }
    if (++ow == s.outW) {
      ow = 0;
      oh++;
    }
  }
  const flags = table + (<usize>np << 3);
  for (let t = 0; t < np; t += 4) {
    const first = table + (<usize>t << 3);
    const last = first + 24;
    const row = load<i32>(first);
    const straight = s.strideW == 1 && row != OUTSIDE && load<i32>(last) == row && load<i32>(last, 4) == load<i32>(first, 4) + 3;
    store<u8>(flags + <usize>t, straight ? 1 : 0);
  }
  return flags;
}

/** Bytes of table {@link im2colBlock} and {@link col2imBlock} need for `np` positions. */
export function tableBytes(np: i32): i32 {
  return np * 8 + np;
}

/**
 * Writes taps [t0, t0 + nt) × positions [q0, q0 + np) (np a multiple of 4) of the column matrix
 * of the image whose group's first channel plane starts at `x`. Element (tap r, position u) goes
 * to `dst + 4·(r·rowStride + u)` when `panelKc` is 0 (row-major), or into panels of 8 positions,
 * `dst + 4·(⌊u/8⌋·panelKc·8 + r·8 + u mod 8)` (the B layout of the tile, with panelKc = nt).
 */
export function im2colBlock(s: ConvShape, x: usize, t0: i32, nt: i32, q0: i32, np: i32, dst: usize, rowStride: i32, panelKc: i32, table: usize): void {
  const flags = fillTable(s, q0, np, table);
  const h = s.inH;
  const w = s.inW;
  const kk = s.kH * s.kW;
  let c = t0 / kk;
  let i = (t0 % kk) / s.kW;
  let j = t0 % s.kW;
  for (let r = 0; r < nt; r++) {
    const plane = x + (<usize>(c * h * w) << 2);
    const di = i * s.dilationH;
    const dj = j * s.dilationW;
    for (let u = 0; u < np; u += 4) {
      const o = panelKc > 0 ? (u >> 3) * panelKc * 8 + r * 8 + (u & 7) : r * rowStride + u;
      const d = dst + (<usize>o << 2);
      const e = table + (<usize>u << 3);
      if (load<u8>(flags + <usize>u)) {
        const ih = load<i32>(e) + di;
        const iw = load<i32>(e, 4) + dj;
        if (<u32>ih >= <u32>h) {
          v128.store(d, i32x4.splat(0));
          continue;
        }
        if (iw >= 0 && iw + 3 < w) {
          v128.store(d, v128.load(plane + (<usize>(ih * w + iw) << 2)));
          continue;
        }
      }
      for (let l = 0; l < 4; l++) {
        const ih = load<i32>(e + (<usize>l << 3)) + di;
        const iw = load<i32>(e + (<usize>l << 3), 4) + dj;
        store<f32>(d + (<usize>l << 2), <u32>ih < <u32>h && <u32>iw < <u32>w ? load<f32>(plane + (<usize>(ih * w + iw) << 2)) : 0);
      }
    }
    if (++j == s.kW) {
      j = 0;
      if (++i == s.kH) {
        i = 0;
        c++;
      }
    }
  }
}

/**
 * The adjoint of {@link im2colBlock} for a row-major block: adds element (tap r, position u) of
 * `src` (taps [0, nt), positions [q0, q0 + np), `ld` floats per row) into the input position it
 * was read from, in the image whose group's first channel plane starts at `dx`.
 */
export function col2imBlock(s: ConvShape, src: usize, ld: i32, nt: i32, q0: i32, np: i32, dx: usize, table: usize): void {
  const flags = fillTable(s, q0, np, table);
  const h = s.inH;
  const w = s.inW;
  let c = 0;
  let i = 0;
  let j = 0;
  for (let r = 0; r < nt; r++) {
    const plane = dx + (<usize>(c * h * w) << 2);
    const di = i * s.dilationH;
    const dj = j * s.dilationW;
    for (let u = 0; u < np; u += 4) {
      const g = src + (<usize>(r * ld + u) << 2);
      const e = table + (<usize>u << 3);
      if (load<u8>(flags + <usize>u)) {
        const ih = load<i32>(e) + di;
        const iw = load<i32>(e, 4) + dj;
        if (<u32>ih >= <u32>h) continue;
        if (iw >= 0 && iw + 3 < w) {
          const p = plane + (<usize>(ih * w + iw) << 2);
          v128.store(p, f32x4.add(v128.load(p), v128.load(g)));
          continue;
        }
      }
      for (let l = 0; l < 4; l++) {
        const ih = load<i32>(e + (<usize>l << 3)) + di;
        const iw = load<i32>(e + (<usize>l << 3), 4) + dj;
        if (<u32>ih < <u32>h && <u32>iw < <u32>w) {
          const p = plane + (<usize>(ih * w + iw) << 2);
          store<f32>(p, load<f32>(p) + load<f32>(g + (<usize>l << 2)));
        }
      }
    }
    if (++j == s.kW) {
      j = 0;
      if (++i == s.kH) {
        i = 0;
        c++;
      }
    }
  }
}
