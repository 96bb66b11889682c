import { isGradEnabled } from '../autograd.js';
import { fail } from '../errors.js';
import { conv2dBlockForward } from '../kernels/dispatch.js';
import { conv2dGeometry, type Conv2dOptions } from '../shape/conv-geometry.js';
import { pool2dGeometry, type Pool2dOptions } from '../shape/pool-geometry.js';
import { Tensor } from '../tensor.js';
import { checkConvBias } from './conv2d.js';

/** What follows the convolution in a {@link conv2dBlock}. */
export interface Conv2dBlockOptions {
  /** Apply `max(y, 0)` to the conv's output. */
  readonly relu: boolean;
  /** Max-pool the (rectified) output with these options; null for none. */
  readonly maxPool: Pool2dOptions | null;
}

/** How errors name the block's parts (the layers' labels when a model fuses them). */
export interface Conv2dBlockNames {
  readonly conv: string;
  readonly pool: string;
}

/**
 * Inference's fused convolution block, `maxPool2d(relu(conv2d(x, weight, bias)))` in one pass:
 * the ReLU is applied to each block of the conv's output as it is written and the pooling reads
 * that output in place, so the full-size intermediate is never copied or allocated. The result is
 * bit for bit that of the separate ops (same kernels, same order); see {@link conv2d} and
 * {@link maxPool2d} for the formulas and option defaults.
 *
 * Shapes: x `[N, C_in, H, W]`, weight `[C_out, C_in/groups, kH, kW]`, bias `[C_out]` or null →
 * `[N, C_out, H_pool, W_pool]` (the conv's `[N, C_out, H_out, W_out]` without pooling).
 *
 * Records no gradient, so it refuses to run where one would be recorded (gradients enabled and x,
 * weight or bias requiring them): use the separate ops for training.
 *
 * @example noGrad(() => conv2dBlock(x, w, b, { padding: 1 }, { relu: true, maxPool: { kernelSize: 2 } }))
 */
export function conv2dBlock(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  conv: Conv2dOptions,
  block: Conv2dBlockOptions,
  names: Conv2dBlockNames = { conv: 'conv2d', pool: 'maxPool2d' },
): Tensor {
  if (isGradEnabled() && (x.requiresGrad || weight.requiresGrad || (bias?.requiresGrad ?? false))) {
    fail(names.conv, 'the fused conv2dBlock records no gradients: call it inside noGrad(), or use conv2d, relu and maxPool2d when training');
  }
  const geometry = conv2dGeometry(x.shape, weight.shape, conv, names.conv);
  const { batch, outChannels, outH, outW } = geometry;
  checkConvBias(bias, outChannels, names.conv);
  const pool = block.maxPool === null ? null : pool2dGeometry([batch, outChannels, outH, outW], block.maxPool, names.pool);
  const shape = pool === null ? [batch, outChannels, outH, outW] : [batch, outChannels, pool.outH, pool.outW];
  const out = new Float32Array(shape[0]! * shape[1]! * shape[2]! * shape[3]!);
  conv2dBlockForward({ x: x.data, weight: weight.data, bias: bias === null ? null : bias.data, conv: geometry, relu: block.relu, pool, out });
  return new Tensor(out, shape);
}
