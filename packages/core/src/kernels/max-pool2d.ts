import type { Pool2dGeometry } from '../shape/pool-geometry.js';
import { gradientBuffer } from '../gradient-buffers.js';

/** Window taps `[lo, hi)` of a k-tap window starting at `start` (step `d`) that land inside `[0, n)`. */
function windowTaps(start: number, n: number, k: number, d: number): [number, number] {
  const lo = Math.min(k, Math.max(0, Math.ceil(-start / d)));
  const hi = Math.min(k, Math.floor((n - 1 - start) / d) + 1);
  return [lo, Math.max(lo, hi)];
}

/** Max pooling's output and, when asked for, the in-plane index (`ih·W + iw`) of each window's maximum. */
export interface MaxPool2dResult {
  readonly out: Float32Array;
  readonly argmax: Int32Array | null;
}

/**
 * Max over each window and, when `withArgmax` (backward will need it), the in-plane index
 * (`ih·W + iw`) where it was found.
 */
export function maxPool2dForward(x: Float32Array, g: Pool2dGeometry, withArgmax: boolean): MaxPool2dResult {
  const { inH: h, inW: w, outH: oh, outW: ow, kH, kW, strideH: sh, strideW: sw, padH: ph, padW: pw, dilationH: dh, dilationW: dw } = g;
  const planes = g.batch * g.channels;
  const out = new Float32Array(planes * oh * ow);
  const argmax = withArgmax ? new Int32Array(planes * oh * ow) : null;
  for (let plane = 0, k = 0; plane < planes; plane++) {
    const xo = plane * h * w;
    for (let i = 0; i < oh; i++) {
      const hs = i * sh - ph;
      const [p0, p1] = windowTaps(hs, h, kH, dh);
      for (let j = 0; j < ow; j++, k++) {
        const ws = j * sw - pw;
        const [q0, q1] = windowTaps(ws, w, kW, dw);
        let best = -Infinity;
        let at = (hs + p0 * dh) * w + ws + q0 * dw;
        for (let p = p0; p < p1; p++) {
          const row = (hs + p * dh) * w + ws;
          for (let q = q0; q < q1; q++) {
            const v = x[xo + row + q * dw]!;
            if (v > best || v !== v) {
              best = v;
              at = row + q * dw;
            }
          }
        }
        out[k] = best;
        if (argmax !== null) argmax[k] = at;
      }
    }
  }
  return { out, argmax };
}

/** Sends each output gradient to its window's recorded arg-max. */
export function maxPool2dBackward(dy: Float32Array, argmax: Int32Array, g: Pool2dGeometry): Float32Array {
  const hw = g.inH * g.inW;
  const ohw = g.outH * g.outW;
  const dx = gradientBuffer(g.batch * g.channels * hw);
  for (let plane = 0, k = 0; k < dy.length; plane++) {
    const xo = plane * hw;
    for (const end = k + ohw; k < end; k++) dx[xo + argmax[k]!] += dy[k]!;
  }
  return dx;
}
