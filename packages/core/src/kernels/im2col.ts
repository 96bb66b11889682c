import type { Conv2dGeometry } from '../shape/conv-geometry.js';
import { gemm } from './gemm.js';
import { gradientBuffer } from '../gradient-buffers.js';

/**
 * Convolution kernels built on im2col + GEMM. All work on raw row-major `Float32Array`s and a
 * {@link Conv2dGeometry} (validated by the caller): input `x` `[N, C_in, H, W]`, weight
 * `[C_out, C_in/G, kH, kW]`, output `y` `[N, C_out, H_out, W_out]`.
 *
 * For one image and one group `g` (`Cg = C_in/G` input and `Mg = C_out/G` output channels), the
 * column matrix `cols` is `[Cg·kH·kW, H_out·W_out]`, row `(c, i, j)` holding, for every output
 * position `(oh, ow)`, the input `x[c, oh·sH − pTop + i·dH, ow·sW − pLeft + j·dW]` (0 outside).
 * Then `y_g = W_g · cols`, `dW_g += dy_g · colsᵀ` and `dcols = W_gᵀ · dy_g` folded back by col2im.
 */

/** True when `cols` equals the input itself (1×1 kernel, stride 1, no padding): no copy needed. */
function isPointwise(g: Conv2dGeometry): boolean {
  const p = g.padding;
  return g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 && p.top + p.bottom + p.left + p.right === 0;
}

/** First and one-past-last output index whose tap `o·s − pad + off` falls inside `[0, n)`. */
function validRange(n: number, out: number, s: number, pad: number, off: number): [number, number] {
  const lo = Math.min(out, Math.max(0, Math.ceil((pad - off) / s)));
  const hi = Math.min(out, Math.floor((n - 1 + pad - off) / s) + 1);
  return [lo, Math.max(lo, hi)];
}

/**
 * Walks the column matrix of channels `[c0, c0 + cg)` of the image starting at `x[xo]`
 * (`[cg·kH·kW, H_out·W_out]`, see {@link im2col}) one run at a time: for every tap and output row
 * whose input row lies inside the image, `visit(r, src, lo, hi)` where column entry `r + q` came
 * from input element `src + q·sW` for output columns `q ∈ [lo, hi)` (the ones inside the image).
 * Entries never visited read padding.
 */
function forEachTapRun(xo: number, c0: number, cg: number, g: Conv2dGeometry, visit: (r: number, src: number, lo: number, hi: number) => void): void {
  const { inH: h, inW: w, outH: oh, outW: ow, kH, kW, strideH: sh, strideW: sw, dilationH: dh, dilationW: dw } = g;
  const pt = g.padding.top;
  const pl = g.padding.left;
  const p = oh * ow;
  for (let c = 0; c < cg; c++) {
    const plane = xo + (c0 + c) * h * w;
    for (let i = 0; i < kH; i++) {
      const [y0, y1] = validRange(h, oh, sh, pt, i * dh);
      for (let j = 0; j < kW; j++) {
        const row = ((c * kH + i) * kW + j) * p;
        const [x0, x1] = validRange(w, ow, sw, pl, j * dw);
        for (let y = y0; y < y1; y++) visit(row + y * ow, plane + (y * sh - pt + i * dh) * w - pl + j * dw, x0, x1);
      }
    }
  }
}

/**
 * Unfolds channels `[c0, c0 + cg)` of the image starting at `x[xo]` into `cols`
 * (`[cg·kH·kW, H_out·W_out]`, overwritten, zeros for padding).
 */
export function im2col(x: Float32Array, xo: number, c0: number, cg: number, g: Conv2dGeometry, cols: Float32Array): void {
  const sw = g.strideW;
  cols.fill(0, 0, cg * g.kH * g.kW * g.outH * g.outW);
  forEachTapRun(xo, c0, cg, g, (r, src, lo, hi) => {
    for (let q = lo; q < hi; q++) cols[r + q] = x[src + q * sw]!;
  });
}

/** The adjoint of {@link im2col}: adds each entry of `cols` into the input position it came from. */
export function col2im(cols: Float32Array, c0: number, cg: number, g: Conv2dGeometry, dx: Float32Array, xo: number): void {
  const sw = g.strideW;
  forEachTapRun(xo, c0, cg, g, (r, dst, lo, hi) => {
    for (let q = lo; q < hi; q++) dx[dst + q * sw] += cols[r + q]!;
  });
}

/** `y = conv2d(x, weight) + bias` (bias may be null). `y` is overwritten. */
export function conv2dForward(x: Float32Array, weight: Float32Array, bias: Float32Array | null, g: Conv2dGeometry, y: Float32Array, _weightVersion?: number): void {
  const cg = g.inChannels / g.groups;
  const mg = g.outChannels / g.groups;
  const k = cg * g.kH * g.kW;
  const p = g.outH * g.outW;
  const pointwise = isPointwise(g);
  const cols = pointwise ? x : new Float32Array(k * p);
  for (let n = 0; n < g.batch; n++) {
    const xo = n * g.inChannels * g.inH * g.inW;
    for (let gr = 0; gr < g.groups; gr++) {
      if (!pointwise) im2col(x, xo, gr * cg, cg, g, cols);
      const bOffset = pointwise ? xo + gr * cg * p : 0;
      gemm({ m: mg, n: p, k, a: weight, aOffset: gr * mg * k, b: cols, bOffset, c: y, cOffset: (n * g.outChannels + gr * mg) * p });
    }
    if (bias !== null) {
      for (let o = 0; o < g.outChannels; o++) {
        const start = (n * g.outChannels + o) * p;
        const b = bias[o]!;
        for (let q = start; q < start + p; q++) y[q] += b;
      }
    }
  }
}

/** Gradient of the input: `dx = col2im(Wᵀ · dy)` per image and group. Returns a new array. */
export function conv2dBackwardInput(dy: Float32Array, weight: Float32Array, g: Conv2dGeometry): Float32Array {
  const cg = g.inChannels / g.groups;
  const mg = g.outChannels / g.groups;
  const k = cg * g.kH * g.kW;
  const p = g.outH * g.outW;
  const dx = gradientBuffer(g.batch * g.inChannels * g.inH * g.inW);
  const pointwise = isPointwise(g);
  const dcols = pointwise ? dx : new Float32Array(k * p);
  for (let n = 0; n < g.batch; n++) {
    const xo = n * g.inChannels * g.inH * g.inW;
    for (let gr = 0; gr < g.groups; gr++) {
      const cOffset = pointwise ? xo + gr * cg * p : 0;
      gemm({ m: k, n: p, k: mg, a: weight, aOffset: gr * mg * k, transA: true, b: dy, bOffset: (n * g.outChannels + gr * mg) * p, c: dcols, cOffset });
      if (!pointwise) col2im(dcols, gr * cg, cg, g, dx, xo);
    }
  }
  return dx;
}

/** Gradient of the weight: `dW_g = Σ_n dy_g · colsᵀ`. Returns a new array. */
export function conv2dBackwardWeight(dy: Float32Array, x: Float32Array, g: Conv2dGeometry): Float32Array {
  const cg = g.inChannels / g.groups;
  const mg = g.outChannels / g.groups;
  const k = cg * g.kH * g.kW;
  const p = g.outH * g.outW;
  const dw = gradientBuffer(g.outChannels * k);
  const pointwise = isPointwise(g);
  const cols = pointwise ? x : new Float32Array(k * p);
  for (let n = 0; n < g.batch; n++) {
    const xo = n * g.inChannels * g.inH * g.inW;
    for (let gr = 0; gr < g.groups; gr++) {
      if (!pointwise) im2col(x, xo, gr * cg, cg, g, cols);
      const bOffset = pointwise ? xo + gr * cg * p : 0;
      gemm({ m: mg, n: k, k: p, a: dy, aOffset: (n * g.outChannels + gr * mg) * p, b: cols, bOffset, transB: true, c: dw, cOffset: gr * mg * k, accumulate: true });
    }
  }
  return dw;
}

/** Gradient of the bias: `db_o = Σ_{n, oh, ow} dy`. Returns a new array. */
export function conv2dBackwardBias(dy: Float32Array, g: Conv2dGeometry): Float32Array {
  const p = g.outH * g.outW;
  const db = gradientBuffer(g.outChannels);
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < g.outChannels; o++) {
      const start = (n * g.outChannels + o) * p;
      let s = 0;
      for (let q = start; q < start + p; q++) s += dy[q]!;
      db[o] += s;
    }
  }
  return db;
}

/** Gradients of a conv2d call; null where not asked for. Backend-neutral: every conv2d backward returns it. */
export interface Conv2dGradients {
  readonly dx: Float32Array | null;
  readonly dw: Float32Array | null;
  readonly db: Float32Array | null;
}

/** Which gradients of a conv2d call to compute. */
export interface GradientsNeeded {
  readonly input: boolean;
  readonly weight: boolean;
  readonly bias: boolean;
}

/** The gradients of conv2d that `need` asks for: `dx = col2im(Wᵀ·dy)`, `dW = Σ_n dy·im2col(x)ᵀ`, `db = Σ_{n,i,j} dy`. */
export function conv2dBackward(dy: Float32Array, x: Float32Array, weight: Float32Array, g: Conv2dGeometry, need: GradientsNeeded): Conv2dGradients {
  return {
    dx: need.input ? conv2dBackwardInput(dy, weight, g) : null,
    dw: need.weight ? conv2dBackwardWeight(dy, x, g) : null,
    db: need.bias ? conv2dBackwardBias(dy, g) : null,
  };
}
