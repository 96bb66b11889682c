// im2col and col2im over blocks: the column matrix of one image and one group has a row per kernel
// tap t = (c, i, j) and a column per output position p = (oh, ow), holding
// x[c, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW] (0 outside the image). A block of positions
// crosses whole output-row segments; with stride 1 a segment is one contiguous run of the input
// row, copied four floats at a time; with stride 2 every other float of one, four at a time from
// two loads and a shuffle (reading one float past the segment's last: the image needs 4 bytes of
// slack).

import { ConvShape, positions } from './conv-shape';

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

/** Copies n floats from src to dst, four at a time. */
@inline function copy(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(dst, i), v128.load(at(src, i)));
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(src, i)));
}

/** Copies n floats taken every `sw`-th from src to dst: with stride 1 or 2, four at a time. */
@inline function gather(dst: usize, src: usize, n: i32, sw: i32): void {
  let i = 0;
  if (sw == 1) {
    copy(dst, src, n);
    return;
  }
  if (sw == 2) {
    for (; i + 4 <= n; i += 4) {
      const from = at(src, 2 * i);
      v128.store(at(dst, i), v128.shuffle<f32>(v128.load(from), v128.load(from, 16), 0, 2, 4, 6));
    }
  }
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(src, i * sw)));
}

// A block is written row-major (`panel` 0: element (r, u) at r·ld + u) or in the tile's B layout
// (`panel` = kc·8 floats per panel of 8 positions: element (r, u) at ⌊u/8⌋·panel + r·8 + u mod 8).
// A run of positions along one tap row is contiguous in the first and cut at every 8th position in
// the second.

@inline function offset(ld: i32, panel: i32, r: i32, u: i32): i32 {
  return panel == 0 ? r * ld + u : (u >> 3) * panel + r * 8 + (u & 7);
}

/** Writes n zeros at positions [u, u + n) of tap row r. */
@inline function putZeros(dst: usize, ld: i32, panel: i32, r: i32, u: i32, n: i32): void {
  if (panel == 0) {
    zero(at(dst, r * ld + u), n);
    return;
  }
  while (n > 0) {
    const piece = min(n, 8 - (u & 7));
    zero(at(dst, offset(ld, panel, r, u)), piece);
    u += piece;
    n -= piece;
  }
}

/** Copies n consecutive floats from src to positions [u, u + n) of tap row r. */
@inline function putCopy(dst: usize, ld: i32, panel: i32, r: i32, u: i32, src: usize, n: i32): void {
  if (panel == 0) {
    copy(at(dst, r * ld + u), src, n);
    return;
  }
  while (n > 0) {
    const piece = min(n, 8 - (u & 7));
    const d = at(dst, offset(ld, panel, r, u));
    if (piece == 8) {
      v128.store(d, v128.load(src));
      v128.store(d, v128.load(src, 16), 16);
    } else {
      copy(d, src, piece);
    }
    u += piece;
    src = at(src, piece);
    n -= piece;
  }
}

/** Copies n floats taken every `sw`-th from src (sw > 1) to positions [u, u + n) of tap row r. */
@inline function putGather(dst: usize, ld: i32, panel: i32, r: i32, u: i32, src: usize, n: i32, sw: i32): void {
  if (panel == 0) {
    gather(at(dst, r * ld + u), src, n, sw);
    return;
  }
  while (n > 0) {
    const piece = min(n, 8 - (u & 7));
    gather(at(dst, offset(ld, panel, r, u)), src, piece, sw);
    u += piece;
    src = at(src, piece * sw);
    n -= piece;
  }
}

/**
 * Writes taps [t0, t0 + nt) × positions [q0, q0 + np) of the column matrix of the image whose
 * group's first channel plane starts at `x`: row-major with `ld` floats per row when `panelKc`
 * is 0, else in the tile's B layout with `panelKc` (= nt) taps per panel and np rounded up to 8.
 * Positions past the last are written as 0. With stride 2 along W, reads up to 4 bytes past the image.
 * Panels are written by {@link im2colPanels} when output rows are at least 8 positions long or
 * panels hold whole rows (W_out 1, 2, 4): per float 1.3–1.4× faster than here at rows of 14
 * (8×64×28×28 → 128, 3×3 stride 2) and 1.7× at rows of 4 (8×256×7×7 → 512), but 0.91× at rows
 * of 7, where every panel straddles two rows at a different place (1-thread CPU time, A/B in one process).
 */
export function im2colBlock(s: ConvShape, x: usize, t0: i32, nt: i32, q0: i32, np: i32, dst: usize, ld: i32, panelKc: i32): void {
  if (panelKc > 0 && q0 % 8 == 0 && (s.outW >= 8 || 8 % s.outW == 0)) {
    im2colPanels(s, x, t0, nt, q0, np, dst);
    return;
  }
  if (panelKc == 0 && q0 == 0 && np >= positions(s)) {
    im2colRows(s, x, t0, nt, dst, ld);
    return;
  }
  const h = s.inH;
  const w = s.inW;
  const ow = s.outW;
  const sh = s.strideH;
  const sw = s.strideW;
  const panel = panelKc * 8;
  const end = min(q0 + np, positions(s));
  const np8 = panelKc > 0 ? (np + 7) & ~7 : np;
  const kk = s.kH * s.kW;
  let c = t0 / kk;
  let i = (t0 % kk) / s.kW;
  let j = t0 % s.kW;
  for (let r = 0; r < nt; r++) {
    const plane = at(x, c * h * w);
    const di = i * s.dilationH - s.padTop;
    const dj = j * s.dilationW - s.padLeft;
    const from = validFrom(dj, sw);
    const to = validTo(dj, sw, w);
    let oh = q0 / ow;
    let a = q0 % ow;
    let u = 0;
    for (let q = q0; q < end; oh++, a = 0) {
      const len = min(ow - a, end - q);
      const ih = oh * sh + di;
      if (<u32>ih >= <u32>h) {
        putZeros(dst, ld, panel, r, u, len);
      } else {
        const lo = min(max(from, a), a + len);
        const hi = max(min(to, a + len), lo);
        putZeros(dst, ld, panel, r, u, lo - a);
        const src = at(plane, ih * w + dj);
        if (sw == 1) putCopy(dst, ld, panel, r, u + lo - a, at(src, lo), hi - lo);
        else putGather(dst, ld, panel, r, u + lo - a, at(src, lo * sw), hi - lo, sw);
        putZeros(dst, ld, panel, r, u + hi - a, a + len - hi);
      }
      u += len;
      q += len;
    }
    putZeros(dst, ld, panel, r, u, np8 - u);
    if (++j == s.kW) {
      j = 0;
      if (++i == s.kH) {
        i = 0;
        c++;
      }
    }
  }
}

/** The output columns [lo, hi) of a tap with column offset `dj` that read inside the input row, within [0, W_out). */
@inline export function validLo(dj: i32, sw: i32, ow: i32): i32 {
  return min(ow, validFrom(dj, sw));
}
@inline export function validHi(dj: i32, sw: i32, w: i32, ow: i32): i32 {
  return max(validLo(dj, sw, ow), min(ow, validTo(dj, sw, w)));
}

/**
 * {@link im2colBlock} row-major for all positions of the image: each output row of each tap is
 * one segment (zeros, the taps that land inside the input row, zeros) with the bounds worked
 * out once per tap. On small maps (rows of 4–14 positions) this ran 1.3–1.8× faster per float
 * than the general loop, which clips every segment to the block.
 */
function im2colRows(s: ConvShape, x: usize, t0: i32, nt: i32, dst: usize, ld: i32): void {
  const h = s.inH;
  const w = s.inW;
  const ow = s.outW;
  const sh = s.strideH;
  const sw = s.strideW;
  const kk = s.kH * s.kW;
  let c = t0 / kk;
  let i = (t0 % kk) / s.kW;
  let j = t0 % s.kW;
  for (let r = 0; r < nt; r++) {
    const di = i * s.dilationH - s.padTop;
    const dj = j * s.dilationW - s.padLeft;
    const lo = validLo(dj, sw, ow);
    const hi = validHi(dj, sw, w, ow);
    const plane = at(x, c * h * w + dj);
    let d = at(dst, r * ld);
    for (let oh = 0; oh < s.outH; oh++, d = at(d, ow)) {
      const ih = oh * sh + di;
      if (<u32>ih >= <u32>h) {
        zero(d, ow);
        continue;
      }
      for (let k = 0; k < lo; k++) store<f32>(at(d, k), 0);
      gather(at(d, lo), at(plane, ih * w + lo * sw), hi - lo, sw);
      for (let k = hi; k < ow; k++) store<f32>(at(d, k), 0);
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
 * {@link im2colBlock} in the tile's B layout: panel ⌊u/8⌋ of 8 positions holds `[nt][8]` floats
 * (element (r, u) at `⌊u/8⌋·8·nt + r·8 + u mod 8`), np rounded up to 8, written panel by panel
 * and within a panel tap by tap, in memory order, run by run of the panel's positions within one output row.
 * A panel's positions within one output row whose taps land inside the input row are copied
 * (stride 1) or gathered (stride 2: four at a time).
 */
function im2colPanels(s: ConvShape, x: usize, t0: i32, nt: i32, q0: i32, np: i32, dst: usize): void {
  const h = s.inH;
  const w = s.inW;
  const hw = h * w;
  const ow = s.outW;
  const sh = s.strideH;
  const sw = s.strideW;
  const kk = s.kH * s.kW;
  const end = min(q0 + np, positions(s));
  const c0 = t0 / kk;
  const i0 = (t0 % kk) / s.kW;
  const j0 = t0 % s.kW;
  for (let u0 = 0; u0 < np; u0 += 8) {
    const panel = at(dst, u0 * nt);
    let q = q0 + u0;
    const qEnd = min(q + 8, end);
    let e = 0;
    while (q < qEnd) {
      const oh = q / ow;
      const a = q - oh * ow;
      const len = min(qEnd - q, ow - a);
      const top = oh * sh - s.padTop;
      const left = a * sw - s.padLeft;
      let c = c0;
      let i = i0;
      let j = j0;
      let d = at(panel, e);
      for (let r = 0; r < nt; r++, d += 32) {
        const ih = top + i * s.dilationH;
        const iw = left + j * s.dilationW;
        if (<u32>ih >= <u32>h) {
          zero(d, len);
        } else {
          const src = at(x, c * hw + ih * w + iw);
          if (iw >= 0 && iw + (len - 1) * sw < w) {
            if (len == 8 && sw == 2) {
              v128.store(d, v128.shuffle<f32>(v128.load(src), v128.load(src, 16), 0, 2, 4, 6));
              v128.store(d, v128.shuffle<f32>(v128.load(src, 32), v128.load(src, 48), 0, 2, 4, 6), 16);
            } else if (len == 8 && sw == 1) {
              v128.store(d, v128.load(src));
              v128.store(d, v128.load(src, 16), 16);
            } else {
              gather(d, src, len, sw);
            }
          } else {
            for (let k = 0; k < len; k++) {
              if (<u32>(iw + k * sw) < <u32>w) store<f32>(at(d, k), load<f32>(at(src, k * sw)));
              else store<f32>(at(d, k), 0);
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
      e += len;
      q += len;
    }
    if (e < 8) {
      for (let r = 0, d = at(panel, e); r < nt; r++, d += 32) zero(d, 8 - e);
    }
  }
}

/**
 * The adjoint of {@link im2colBlock} for all taps: adds element (tap r, position q0 + u) of `src`
 * (row-major, `ld` floats per row) into the input position it was read from, in the image whose
 * group's first channel plane starts at `dx`.
 */
export function col2imBlock(s: ConvShape, src: usize, ld: i32, nt: i32, q0: i32, np: i32, dx: usize): void {
  if (q0 == 0 && np >= positions(s)) {
    col2imRows(s, src, ld, nt, dx);
    return;
  }
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
          let b = lo;
          if (sw == 2) {
            // Four values at a time into every other float, zeros added between them (dx is never
            // −0: it starts at +0); b + 4 < hi keeps the last odd lane inside the segment's span.
            const none = f32x4.splat(0);
            for (; b + 4 < hi; b += 4) {
              const v = v128.load(at(seg, b - a));
              const p = at(out, 2 * b);
              v128.store(p, f32x4.add(v128.load(p), v128.shuffle<f32>(v, none, 0, 4, 1, 5)));
              v128.store(p, f32x4.add(v128.load(p, 16), v128.shuffle<f32>(v, none, 2, 6, 3, 7)), 16);
            }
          }
          for (; b < hi; b++) store<f32>(at(out, b * sw), load<f32>(at(out, b * sw)) + load<f32>(at(seg, b - a)));
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



/** Adds n floats of `seg` into every `sw`-th float of `out`: with stride 1 or 2 four at a time. */
@inline function scatterAdd(out: usize, seg: usize, n: i32, sw: i32): void {
  let b = 0;
  if (sw == 1) {
    for (; b + 4 <= n; b += 4) {
      const p = at(out, b);
      v128.store(p, f32x4.add(v128.load(p), v128.load(at(seg, b))));
    }
  } else if (sw == 2) {
    // Four values at a time into every other float, zeros added between them (dx is never −0: it
    // starts at +0); b + 4 < n keeps the last odd lane inside the span of the segment's targets.
    const none = f32x4.splat(0);
    for (; b + 4 < n; b += 4) {
      const v = v128.load(at(seg, b));
      const p = at(out, 2 * b);
      v128.store(p, f32x4.add(v128.load(p), v128.shuffle<f32>(v, none, 0, 4, 1, 5)));
      v128.store(p, f32x4.add(v128.load(p, 16), v128.shuffle<f32>(v, none, 2, 6, 3, 7)), 16);
    }
  }
  for (; b < n; b++) store<f32>(at(out, b * sw), load<f32>(at(out, b * sw)) + load<f32>(at(seg, b)));
}

/**
 * {@link col2imBlock} for all positions of the image: each output row of each tap is one segment
 * added into the input row it was read from, the bounds worked out once per tap (as {@link im2colRows}).
 */
function col2imRows(s: ConvShape, src: usize, ld: i32, nt: i32, dx: usize): void {
  const h = s.inH;
  const w = s.inW;
  const ow = s.outW;
  const sh = s.strideH;
  const sw = s.strideW;
  let c = 0;
  let i = 0;
  let j = 0;
  for (let r = 0; r < nt; r++) {
    const di = i * s.dilationH - s.padTop;
    const dj = j * s.dilationW - s.padLeft;
    const lo = validLo(dj, sw, ow);
    const hi = validHi(dj, sw, w, ow);
    const plane = at(dx, c * h * w + dj);
    let seg = at(src, r * ld);
    for (let oh = 0; oh < s.outH; oh++, seg = at(seg, ow)) {
      const ih = oh * sh + di;
      if (<u32>ih < <u32>h) scatterAdd(at(plane, ih * w + lo * sw), at(seg, lo), hi - lo, sw);
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
