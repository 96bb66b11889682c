import { recordOp } from '../autograd.js';
import { conv2dBackward, conv2dForward } from '../kernels/dispatch.js';
import { convTranspose2dGeometry, type ConvTranspose2dOptions } from '../shape/conv-transpose-geometry.js';
import { checkOptions, opt } from '../options.js';
import { Tensor } from '../tensor.js';
import { checkConvBias } from './conv2d.js';

/** The option types of {@link ConvTranspose2dOptions}, for {@link checkOptions} (the ConvTranspose2d layer adds `bias`). */
export const convTranspose2dOptionTypes = { stride: opt.pair, padding: opt.pair, outputPadding: opt.pair, groups: opt.integer, dilation: opt.pair };

/**
 * 2-D transposed convolution, PyTorch's `conv_transpose2d` (a "deconvolution": the gradient of
 * conv2d with respect to its input, used to upsample score maps in FCN):
 * `y[n, o, i·s − p + a·d, j·s − p + b·d] += x[n, c, i, j] · W[c, o − g·C_out/G, a, b]` for every input
 * position, plus `bias[o]`.
 *
 * Shapes: x `[N, C_in, H, W]`, weight `[C_in, C_out/groups, kH, kW]`, bias `[C_out]` or null →
 * y `[N, C_out, H_out, W_out]`, `H_out = (H − 1)·sH − 2·pH + dH·(kH − 1) + outputPaddingH + 1`.
 * Computed with conv2d's kernels: forward = conv2d's input gradient, `dx` = conv2d of dy,
 * `dW` = conv2d's weight gradient with the roles of input and output exchanged, `db = Σ_{n,i,j} dy`.
 * @example convTranspose2d(scores, w, null, { stride: 2, padding: 1 }) // [1,21,8,8], w [21,21,4,4] → [1,21,16,16]
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias: Tensor | null, options: ConvTranspose2dOptions = {}, where = 'convTranspose2d'): Tensor {
  checkOptions(where, options, convTranspose2dOptionTypes);
  const g = convTranspose2dGeometry(x.shape, weight.shape, options, where);
  const { batch, inChannels: outChannels, inH: outH, inW: outW } = g;
  checkConvBias(bias, outChannels, where);
  const outShape = [batch, outChannels, outH, outW];
  const plane = outH * outW;
  const xv = x.data;
  const wv = weight.data;
  // The conv input is not read for an input gradient; a zero buffer of its size keeps the kernels' contract.
  const out = conv2dBackward(xv, new Float32Array(batch * outChannels * plane), wv, g, { input: true, weight: false, bias: false }).dx!;
  if (bias !== null) {
    const b = bias.data;
    for (let n = 0; n < batch; n++) {
      for (let o = 0; o < outChannels; o++) {
        const base = (n * outChannels + o) * plane;
        for (let k = 0; k < plane; k++) out[base + k] += b[o]!;
      }
    }
  }
  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  return recordOp(new Tensor(out, outShape), 'convTranspose2d', inputs, (dy) => {
    let dx: Float32Array | null = null;
    if (x.requiresGrad) {
      dx = new Float32Array(xv.length);
      conv2dForward(dy, wv, null, g, dx);
    }
    const dw = weight.requiresGrad ? conv2dBackward(xv, dy, wv, g, { input: false, weight: true, bias: false }).dw : null;
    let db: Float32Array | null = null;
    if (bias?.requiresGrad === true) {
      db = new Float32Array(outChannels);
      for (let n = 0; n < batch; n++) {
        for (let o = 0; o < outChannels; o++) {
          let s = 0;
          const base = (n * outChannels + o) * plane;
          for (let k = 0; k < plane; k++) s += dy[base + k]!;
          db[o] += s;
        }
      }
    }
    return bias === null ? [dx, dw] : [dx, dw, db];
  });
}
