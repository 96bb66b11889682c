import { recordOp } from '../autograd.js';
import { pool2dGeometry, type Pool2dGeometry, type Pool2dOptions } from '../shape/pool-geometry.js';
import { Tensor } from '../tensor.js';

/**
 * 2-D max pooling per channel, PyTorch's `max_pool2d`:
 * `y[n, c, i, j] = max_{p, q} x[n, c, i·sH − padH + p·dH, j·sW − padW + q·dW]` over the positions
 * inside the input (padding counts as −∞, so it never wins).
 *
 * Shapes: x `[N, C, H, W]` → y `[N, C, H_out, W_out]`, `H_out = floor((H + 2·padH − dH·(kH−1) − 1)/sH) + 1`,
 * rounded up instead with `ceilMode` (a last window starting in the padding is dropped).
 * Options (defaults): kernelSize (required), stride = kernelSize, padding 0 (at most half the
 * kernel), dilation 1, ceilMode false.
 *
 * The forward pass records each window's arg-max: the first maximum scanning the window row by row,
 * as PyTorch does (a NaN wins over numbers). Backward routes every output gradient to its arg-max,
 * summing where windows overlap; all other positions get 0.
 *
 * @example maxPool2d(x, { kernelSize: 3, padding: 1, stride: [2, 1] }) // [1,2,4,4] → [1,2,2,4]
 */
export function maxPool2d(x: Tensor, options: Pool2dOptions, where = 'maxPool2d'): Tensor {
  const geometry = pool2dGeometry(x.shape, options, where);
  const { batch, channels, outH, outW } = geometry;
  const { out, argmax } = maxPool2dForward(x.data, geometry);
  return recordOp(new Tensor(out, [batch, channels, outH, outW]), 'maxPool2d', [x], (g) => [maxPool2dBackward(g, argmax, geometry)]);
}

/** Window taps `[lo, hi)` of a k-tap window starting at `start` (step `d`) that land inside `[0, n)`. */
function windowTaps(start: number, n: number, k: number, d: number): [number, number] {
  const lo = Math.min(k, Math.max(0, Math.ceil(-start / d)));
  const hi = Math.min(k, Math.floor((n - 1 - start) / d) + 1);
  return [lo, Math.max(lo, hi)];
}

/** Max over each window and the in-plane index (`ih·W + iw`) where it was found. */
function maxPool2dForward(x: Float32Array, g: Pool2dGeometry): { out: Float32Array; argmax: Int32Array } {
  const { inH: h, inW: w, outH: oh, outW: ow, kH, kW, strideH: sh, strideW: sw, padH: ph, padW: pw, dilationH: dh, dilationW: dw } = g;
  const planes = g.batch * g.channels;
  const out = new Float32Array(planes * oh * ow);
  const argmax = new Int32Array(planes * oh * ow);
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
        argmax[k] = at;
      }
    }
  }
  return { out, argmax };
}

/** Sends each output gradient to its window's recorded arg-max. */
function maxPool2dBackward(dy: Float32Array, argmax: Int32Array, g: Pool2dGeometry): Float32Array {
  const hw = g.inH * g.inW;
  const ohw = g.outH * g.outW;
  const dx = new Float32Array(g.batch * g.channels * hw);
  for (let plane = 0, k = 0; k < dy.length; plane++) {
    const xo = plane * hw;
    for (const end = k + ohw; k < end; k++) dx[xo + argmax[k]!] += dy[k]!;
  }
  return dx;
}
