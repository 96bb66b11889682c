import { fail, formatShape } from '../errors.js';
import { recordOp, recordsGradient } from '../autograd.js';
import { conv2dBackward, conv2dForward } from '../kernels/dispatch.js';
import { conv2dGeometry, type Conv2dGeometry, type Conv2dOptions } from '../shape/conv-geometry.js';
import { checkOptions, opt } from '../options.js';
import { Tensor } from '../tensor.js';

/** The option types of {@link Conv2dOptions}, for {@link checkOptions} (the Conv2d layer adds its own). */
export const conv2dOptionTypes = {
  stride: opt.pair,
  padding: opt.either(opt.pair, opt.oneOf('same', 'valid')),
  dilation: opt.pair,
  groups: opt.integer,
};

/**
 * 2-D cross-correlation, PyTorch's `conv2d` (no kernel flip):
 * `y[n, o, i, j] = b[o] + Σ_{c, p, q} W[o, c, p, q] · x[n, g·C_in/G + c, i·sH − pTop + p·dH, j·sW − pLeft + q·dW]`
 * where `g = floor(o / (C_out/G))` is the group of output channel `o` and out-of-range positions read 0.
 *
 * Shapes: x `[N, C_in, H, W]`, weight `[C_out, C_in/groups, kH, kW]`, bias `[C_out]` or null →
 * y `[N, C_out, H_out, W_out]`, `H_out = floor((H + pTop + pBottom − dH·(kH−1) − 1)/sH) + 1` (likewise W).
 * Options (defaults): stride 1, padding 0 (a number, `[h, w]`, `'same'` — stride 1, any extra unit
 * on the bottom/right — or `'valid'`), dilation 1, groups 1.
 *
 * Backward: `dx = col2im(Wᵀ·dy)`, `dW = Σ_n dy·im2col(x)ᵀ`, `db = Σ_{n,i,j} dy`.
 * `where` names the caller in error messages (the `Conv2d` layer passes its label). The options are
 * checked: an unknown key (`conv2d: unknown option dilations (known options: stride, padding,
 * dilation, groups)`) or a wrong type is an error.
 *
 * @example conv2d(x, w, null, { padding: [1, 2] }) // x [4,2,3,5], w [3,2,3,5] → [4,3,3,5]
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions = {}, where = 'conv2d'): Tensor {
  checkOptions(where, options, conv2dOptionTypes);
  const geometry = conv2dGeometry(x.shape, weight.shape, options, where);
  const { batch, outChannels, outH, outW } = geometry;
  checkConvBias(bias, outChannels, where);
  const out = new Float32Array(batch * outChannels * outH * outW);
  conv2dForward(x.data, weight.readValues(), bias === null ? null : bias.readValues(), geometry, out, keptVersion(weight));
  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  return recordOp(new Tensor(out, [batch, outChannels, outH, outW]), 'conv2d', inputs, conv2dGradients(x, weight, bias, geometry));
}

/**
 * conv2d's backward for these inputs: the gradient of its output → `[dx, dW(, db)]`, each computed
 * only where its input requires it (null otherwise).
 */
export function conv2dGradients(x: Tensor, weight: Tensor, bias: Tensor | null, geometry: Conv2dGeometry): (g: Float32Array) => (Float32Array | null)[] {
  const xv = x.readValues();
  const wv = weight.readValues();
  return (g) => {
    const { dx, dw, db } = conv2dBackward(g, xv, wv, geometry, { input: x.requiresGrad, weight: weight.requiresGrad, bias: bias?.requiresGrad ?? false });
    return bias === null ? [dx, dw] : [dx, dw, db];
  };
}

/**
 * The version under which the WebAssembly backend may keep `weight` packed between calls: its
 * {@link Tensor.version} when no gradient is recorded for it (inference, frozen weights), which
 * come again unchanged; undefined for weights being trained, new at every step.
 */
export function keptVersion(weight: Tensor): number | undefined {
  return recordsGradient([weight]) ? undefined : weight.version;
}

/** Throws unless `bias` is null or has shape `[outChannels]`. */
export function checkConvBias(bias: Tensor | null, outChannels: number, where: string): void {
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== outChannels)) {
    fail(where, `expected a bias of shape [${outChannels}], got ${formatShape(bias.shape)}`);
  }
}
