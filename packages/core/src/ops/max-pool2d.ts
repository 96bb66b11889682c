import { recordOp, recordsGradient } from '../autograd.js';
import { maxPool2dBackward, maxPool2dForward } from '../kernels/dispatch.js';
import { checkOptions, opt } from '../options.js';
import { pool2dGeometry, type Pool2dOptions } from '../shape/pool-geometry.js';
import { Tensor } from '../tensor.js';

/** The option types of {@link Pool2dOptions}, for {@link checkOptions}. */
const maxPool2dOptionTypes = { kernelSize: opt.pair, stride: opt.pair, padding: opt.pair, dilation: opt.pair, ceilMode: opt.boolean };

/**
 * 2-D max pooling per channel, PyTorch's `max_pool2d`:
 * `y[n, c, i, j] = max_{p, q} x[n, c, i·sH − padH + p·dH, j·sW − padW + q·dW]` over the positions
 * inside the input (padding counts as −∞, so it never wins).
 *
 * Shapes: x `[N, C, H, W]` → y `[N, C, H_out, W_out]`, `H_out = floor((H + 2·padH − dH·(kH−1) − 1)/sH) + 1`,
 * rounded up instead with `ceilMode` (a last window starting in the padding is dropped).
 * Options (defaults): kernelSize (required), stride = kernelSize, padding 0 (at most half the
 * kernel), dilation 1, ceilMode false; an unknown option or a wrong type is an error.
 *
 * The forward pass records each window's arg-max: the first maximum scanning the window row by row,
 * as PyTorch does (a NaN wins over numbers). Backward routes every output gradient to its arg-max,
 * summing where windows overlap; all other positions get 0.
 *
 * @example maxPool2d(x, { kernelSize: 3, padding: 1, stride: [2, 1] }) // [1,2,4,4] → [1,2,2,4]
 */
export function maxPool2d(x: Tensor, options: Pool2dOptions, where = 'maxPool2d'): Tensor {
  checkOptions(where, options, maxPool2dOptionTypes);
  const geometry = pool2dGeometry(x.shape, options, where);
  const { batch, channels, outH, outW } = geometry;
  const { out, argmax } = maxPool2dForward(x.data, geometry, recordsGradient([x]));
  return recordOp(new Tensor(out, [batch, channels, outH, outW]), 'maxPool2d', [x], (g) => [maxPool2dBackward(g, argmax!, geometry)]);
}

/**
 * {@link maxPool2d} that also returns where each maximum was, like `max_pool2d(…, return_indices=True)`:
 * `indices` has the output's shape and holds each arg-max's flat index `ih·W + iw` in its input
 * plane, a float32 tensor holding exact whole numbers (for planes up to 2²⁴ pixels; convlab has no
 * integer dtype, PyTorch gives int64), for {@link maxUnpool2d} or `gather` on the flattened planes.
 * No gradient flows into the indices.
 */
export function maxPool2dWithIndices(x: Tensor, options: Pool2dOptions, where = 'maxPool2d'): [output: Tensor, indices: Tensor] {
  checkOptions(where, options, maxPool2dOptionTypes);
  const geometry = pool2dGeometry(x.shape, options, where);
  const { batch, channels, outH, outW } = geometry;
  const { out, argmax } = maxPool2dForward(x.data, geometry, true);
  const shape = [batch, channels, outH, outW];
  const output = recordOp(new Tensor(out, shape), 'maxPool2d', [x], (g) => [maxPool2dBackward(g, argmax!, geometry)]);
  return [output, new Tensor(Float32Array.from(argmax!), shape)];
}
