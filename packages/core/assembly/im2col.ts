// im2col and col2im over blocks: the column matrix of one image and one group has a row per kernel
// tap t = (c, i, j) and a column per output position p = (oh, ow), holding
// x[c, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW] (0 outside the image). A block of positions
// crosses whole output-row segments; with stride 1 a segment is one contiguous run of the input
// row, copied four floats at a time.

import { ConvShape, positions } from './conv-shape';
import { packRowsB } from './pack';

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** Zeroes n floats at dst. */
@inline function zero(dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(dst, i), i32x4.splat(0));
  for (; i < n; i++) store<f32>(at(dst, i), 0);
}

/**
 * The output columns [lo, hi) whose tap (column offset `dj` = j·dW − padLeft) lands inside the
 * input row of width w: `0 ≤ ow·sW + dj < w`.
 */
@inline function validFrom(dj: i32, sw: i32): i32 {
  return dj >= 0 ? 0 : (-dj + sw - 1) / sw;
}
@inline function validTo(dj: i32, sw: i32, w: i32): i32 {
  return w - 1 - dj < 0 ? 0 : (w - 1 - dj) / sw + 1;
}

/**
 * Writes taps [t0, t0 + nt) × positions [q0, q0 + np) of the column matrix of the image whose
 * group's first channel plane starts at `x`, row-major with `ld` floats per row, at dst.
 * Positions past the last are written as 0.
 */
export function im2colBlock(s: ConvShape, x: usize, t0: i32, nt: i32, q0: i32, np: i32, dst: usize, ld: i32): void {
  const h = s.inH;
  const w = s.inW;
  const ow = s.outW;
  const sh = s.strideH;
  const sw = s.strideW;
  const end = min(q0 + np, positions(s));
  if (inside(s)) {
    im2colInside(s, x, t0, nt, q0, end, np, dst, ld, 0);
    return;
  }
  const kk = s.kH * s.kW;
  let c = t0 / kk;
  let i = (t0 % kk) / s.kW;
  let j = t0 % s.kW;
  for (let r = 0; r < nt; r++) {
    const plane = x + (<usize>(c * h * w) << 2);
    const di = i * s.dilationH - s.padTop;
    const dj = j * s.dilationW - s.padLeft;
    const from = validFrom(dj, sw);
    const to = validTo(dj, sw, w);
    const row = at(dst, r * ld);
    let oh = q0 / ow;
    let a = q0 % ow;
    let u = 0;
    for (let q = q0; q < end; oh++, a = 0) {
      const len = min(ow - a, end - q);
      const seg = at(row, u);
      const ih = oh * sh + di;
      if (<u32>ih >= <u32>h) {
        zero(seg, len);
      } else {
        const lo = min(max(from, a), a + len);
        const hi = max(min(to, a + len), lo);
        zero(seg, lo - a);
        const src = at(plane, ih * w + dj);
        if (sw == 1) {
          let b = lo;
          for (; b + 4 <= hi; b += 4) v128.store(at(seg, b - a), v128.load(at(src, b)));
          for (; b < hi; b++) store<f32>(at(seg, b - a), load<f32>(at(src, b)));
        } else {
          for (let b = lo; b < hi; b++) store<f32>(at(seg, b - a), load<f32>(at(src, b * sw)));
        }
        zero(at(seg, hi - a), a + len - hi);
      }
      u += len;
      q += len;
    }
    zero(at(row, u), np - u);
    if (++j == s.kW) {
      j = 0;
      if (++i == s.kH) {
        i = 0;
        c++;
      }
    }
  }
}

/** Copies n floats from src to dst, four at a time. */
@inline function copy(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(dst, i), v128.load(at(src, i)));
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(src, i)));
}

/** Stride 1 without padding: every tap of every position lies inside the image. */
@inline function inside(s: ConvShape): bool {
  return s.strideH == 1 && s.strideW == 1 && s.padTop == 0 && s.padLeft == 0 &&
    s.outH - 1 + (s.kH - 1) * s.dilationH < s.inH && s.outW - 1 + (s.kW - 1) * s.dilationW < s.inW;
}

/**
 * Copies n floats from src to position u of tap row r of a block stored in panels of 8 positions
 * (`[⌈np/8⌉][kc][8]`, `panel` = kc·8 floats per panel): one piece per panel crossed.
 */
@inline function copyToPanels(dst: usize, panel: i32, r: i32, u: i32, src: usize, n: i32): void {
  while (n > 0) {
    const off = u & 7;
    const piece = min(n, 8 - off);
    const d = at(dst, (u >> 3) * panel + r * 8 + off);
    if (piece == 8) {
      v128.store(d, v128.load(src));
      v128.store(d, v128.load(src, 16), 16);
    } else {
      for (let i = 0; i < piece; i++) store<f32>(at(d, i), load<f32>(at(src, i)));
    }
    u += piece;
    src = at(src, piece);
    n -= piece;
  }
}

/**
 * {@link im2colBlock} where every tap lies inside the image (see {@link inside}): each output-row
 * segment is a plain copy of part of an input row. With `panelKc` > 0 the block is written in the
 * tile's B layout (panels of 8 positions, `panelKc` = nt rows each) instead of row-major.
 */
function im2colInside(s: ConvShape, x: usize, t0: i32, nt: i32, q0: i32, end: i32, np: i32, dst: usize, ld: i32, panelKc: i32): void {
  const w = s.inW;
  const ow = s.outW;
  const kk = s.kH * s.kW;
  let c = t0 / kk;
  let i = (t0 % kk) / s.kW;
  let j = t0 % s.kW;
  for (let r = 0; r < nt; r++) {
    const tap = at(x, (c * s.inH + i * s.dilationH) * w + j * s.dilationW);
    const row = at(dst, r * ld);
    let oh = q0 / ow;
    let a = q0 % ow;
    let u = 0;
    for (let q = q0; q < end; oh++, a = 0) {
      const len = min(ow - a, end - q);
      if (panelKc > 0) copyToPanels(dst, panelKc * 8, r, u, at(tap, oh * w + a), len);
      else copy(at(row, u), at(tap, oh * w + a), len);
      u += len;
      q += len;
    }
    if (panelKc > 0) {
      for (; u < np; u++) store<f32>(at(dst, (u >> 3) * panelKc * 8 + r * 8 + (u & 7)), 0);
    } else {
      zero(at(row, u), np - u);
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
 * The adjoint of {@link im2colBlock} for all taps: adds element (tap r, position q0 + u) of `src`
 * (row-major, `ld` floats per row) into the input position it was read from, in the image whose
 * group's first channel plane starts at `dx`.
 */
export function col2imBlock(s: ConvShape, src: usize, ld: i32, nt: i32, q0: i32, np: i32, dx: usize): void {
  const h = s.inH;
  const w = s.inW;
  const ow = s.outW;
  const sh = s.strideH;
  const sw = s.strideW;
  const end = min(q0 + np, positions(s));
  let c = 0;
  let i = 0;
  let j = 0;
  for (let r = 0; r < nt; r++) {
    const plane = dx + (<usize>(c * h * w) << 2);
    const di = i * s.dilationH - s.padTop;
    const dj = j * s.dilationW - s.padLeft;
    const from = validFrom(dj, sw);
    const to = validTo(dj, sw, w);
    const row = at(src, r * ld);
    let oh = q0 / ow;
    let a = q0 % ow;
    let u = 0;
    for (let q = q0; q < end; oh++, a = 0) {
      const len = min(ow - a, end - q);
      const ih = oh * sh + di;
      if (<u32>ih < <u32>h) {
        const seg = at(row, u);
        const lo = min(max(from, a), a + len);
        const hi = max(min(to, a + len), lo);
        const out = at(plane, ih * w + dj);
        if (sw == 1) {
          let b = lo;
          for (; b + 4 <= hi; b += 4) {
            const p = at(out, b);
            v128.store(p, f32x4.add(v128.load(p), v128.load(at(seg, b - a))));
          }
          for (; b < hi; b++) store<f32>(at(out, b), load<f32>(at(out, b)) + load<f32>(at(seg, b - a)));
        } else {
          for (let b = lo; b < hi; b++) store<f32>(at(out, b * sw), load<f32>(at(out, b * sw)) + load<f32>(at(seg, b - a)));
        }
      }
      u += len;
      q += len;
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
 * Taps [t0, t0 + nt) × positions [q0, q0 + np) of the column matrix in the tile's B layout
 * (panels of 8 positions, zero past the last position) at dst: straight from the image where every
 * tap lies inside it, else through the row-major scratch `cols` ([nt][np]).
 */
export function im2colPanels(s: ConvShape, x: usize, t0: i32, nt: i32, q0: i32, np: i32, dst: usize, cols: usize): void {
  const np8 = (np + 7) & ~7;
  if (inside(s)) {
    im2colInside(s, x, t0, nt, q0, min(q0 + np, positions(s)), np8, dst, 0, nt);
  } else {
    im2colBlock(s, x, t0, nt, q0, np, cols, np);
    packRowsB(cols, np, 0, nt, 0, np, dst);
  }
}
