// Max pooling forward (with each window's arg-max) and backward, a few planes per chunk.
// The same scan as the TypeScript kernel: row by row, the first maximum wins, a NaN wins over
// numbers (PyTorch's rule).

/** The geometry of one pooling call: consecutive i32 in this order (read into POOL_SHAPE_FIELDS by scripts/wasm-interface.mjs). */
@unmanaged
export class PoolShape {
  batch: i32;
  channels: i32;
  inH: i32;
  inW: i32;
  outH: i32;
  outW: i32;
  kH: i32;
  kW: i32;
  strideH: i32;
  strideW: i32;
  padH: i32;
  padW: i32;
  dilationH: i32;
  dilationW: i32;
}

/** Planes (image × channel) per chunk. */
const POOL_PLANES: i32 = 8;

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** First window tap (step d) from `start` that lands at or after 0. */
@inline function tapsFrom(start: i32, k: i32, d: i32): i32 {
  return start >= 0 ? 0 : min(k, (-start + d - 1) / d);
}

/** One past the last window tap from `start` that lands before n. */
@inline function tapsTo(start: i32, n: i32, k: i32, d: i32): i32 {
  return n - 1 - start < 0 ? 0 : min(k, (n - 1 - start) / d + 1);
}

/**
 * Four 2×2 windows with stride 2 whose top-left inputs are columns c, c + 2, c + 4, c + 6 of input
 * row `row` (an in-plane index): their maxima to y[0..4) and, unless argmax is 0, the in-plane
 * indices to argmax[0..4). Taps in row-major order, the first maximum or a NaN winning, as below.
 */
@inline function pool2x2(x: usize, row: i32, c: i32, w: i32, y: usize, argmax: usize): void {
  const top = at(x, row + c);
  const bottom = at(x, row + w + c);
  const t0 = v128.load(top);
  const t1 = v128.load(top, 16);
  const b0 = v128.load(bottom);
  const b1 = v128.load(bottom, 16);
  let best = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6);
  let arg = i32x4.add(i32x4.splat(row + c), i32x4(0, 2, 4, 6));
  let v = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
  let m = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
  best = v128.bitselect(v, best, m);
  arg = v128.bitselect(i32x4.add(arg, i32x4.splat(1)), arg, m);
  const below = i32x4.add(i32x4.splat(row + w + c), i32x4(0, 2, 4, 6));
  v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
  m = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
  best = v128.bitselect(v, best, m);
  arg = v128.bitselect(below, arg, m);
  v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
  m = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
  best = v128.bitselect(v, best, m);
  arg = v128.bitselect(i32x4.add(below, i32x4.splat(1)), arg, m);
  v128.store(y, best);
  if (argmax != 0) v128.store(argmax, arg);
}

/** Chunks of the pooling kernels. */
export function maxPool2dChunks(shape: usize): i32 {
  const s = changetype<PoolShape>(shape);
  return (s.batch * s.channels + POOL_PLANES - 1) / POOL_PLANES;
}

/**
 * `y` = the max of each window and, unless `argmax` is 0, its in-plane input index, for the
 * chunk's planes. Windows whose columns all lie inside the row (the interior) skip the clipping.
 */
export function maxPool2dForwardChunk(chunk: i32, thread: i32, shape: usize, x: usize, y: usize, argmax: usize): void {
  const s = changetype<PoolShape>(shape);
  const h = s.inH;
  const w = s.inW;
  const oh = s.outH;
  const ow = s.outW;
  const kw = s.kW;
  const dh = s.dilationH;
  const dw = s.dilationW;
  const sw = s.strideW;
  // Interior columns: the window starts at or after 0 and its last tap lands before w.
  const jLo = min(ow, (s.padW + sw - 1) / sw);
  const jHi = max(jLo, min(ow, w - 1 - (kw - 1) * dw + s.padW < 0 ? 0 : (w - 1 - (kw - 1) * dw + s.padW) / sw + 1));
  const pair = kw == 2 && dw == 1;
  const pairs = pair && s.kH == 2 && dh == 1 && sw == 2 && jLo == 0;
  const p1 = min(s.batch * s.channels, (chunk + 1) * POOL_PLANES);
  for (let plane = chunk * POOL_PLANES; plane < p1; plane++) {
    const xo = at(x, plane * h * w);
    let k = plane * oh * ow;
    for (let i = 0; i < oh; i++) {
      const hs = i * s.strideH - s.padH;
      const r0 = tapsFrom(hs, s.kH, dh);
      const r1 = max(r0, tapsTo(hs, h, s.kH, dh));
      let j = 0;
      if (pairs && r1 - r0 == 2) {
        // 2×2 windows, stride 2, inside the image: four outputs per step.
        const row = (hs + r0) * w;
        for (; j + 4 <= jHi; j += 4, k += 4) {
          pool2x2(xo, row, j * 2 - s.padW, w, at(y, k), argmax == 0 ? 0 : at(argmax, k));
        }
      }
      for (; j < ow; j++, k++) {
        const ws = j * sw - s.padW;
        const interior = j >= jLo && j < jHi;
        const q0 = interior ? 0 : tapsFrom(ws, kw, dw);
        const q1 = interior ? kw : max(q0, tapsTo(ws, w, kw, dw));
        let best = <f32>-Infinity;
        let arg = (hs + r0 * dh) * w + ws + q0 * dw;
        for (let r = r0; r < r1; r++) {
          const row = (hs + r * dh) * w + ws;
          if (interior && pair) {
            const v0 = load<f32>(at(xo, row));
            const v1 = load<f32>(at(xo, row + 1));
            let c = (v0 > best) | (v0 != v0);
            best = select(v0, best, c);
            arg = select(row, arg, c);
            c = (v1 > best) | (v1 != v1);
            best = select(v1, best, c);
            arg = select(row + 1, arg, c);
          } else {
            for (let q = q0; q < q1; q++) {
              const v = load<f32>(at(xo, row + q * dw));
              const c = (v > best) | (v != v);
              best = select(v, best, c);
              arg = select(row + q * dw, arg, c);
            }
          }
        }
        store<f32>(at(y, k), best);
        if (argmax != 0) store<i32>(at(argmax, k), arg);
      }
    }
  }
}

/** `dx` = zeros plus each `dy` added at its window's arg-max, for the chunk's planes. */
export function maxPool2dBackwardChunk(chunk: i32, thread: i32, shape: usize, dy: usize, argmax: usize, dx: usize): void {
  const s = changetype<PoolShape>(shape);
  const hw = s.inH * s.inW;
  const ohw = s.outH * s.outW;
  const p1 = min(s.batch * s.channels, (chunk + 1) * POOL_PLANES);
  for (let plane = chunk * POOL_PLANES; plane < p1; plane++) {
    const xo = at(dx, plane * hw);
    memory.fill(xo, 0, <usize>hw << 2);
    for (let k = plane * ohw, end = k + ohw; k < end; k++) {
      const d = at(xo, load<i32>(at(argmax, k)));
      store<f32>(d, load<f32>(d) + load<f32>(at(dy, k)));
    }
  }
}
