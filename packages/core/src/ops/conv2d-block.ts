import { recordOp, recordsGradient } from '../autograd.js';
import { fail } from '../errors.js';
import { conv2dBlockForward, reluBackward } from '../kernels/dispatch.js';
import { conv2dGeometry, type Conv2dOptions } from '../shape/conv-geometry.js';
import { pool2dGeometry, type Pool2dOptions } from '../shape/pool-geometry.js';
import { Tensor } from '../tensor.js';
import { checkConvBias, conv2dGradients, keptVersion } from './conv2d.js';
import { overwrittenGradientBuffer, recycleGradient } from '../gradient-buffers.js';

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
 * A fused convolution block, `maxPool2d(relu(conv2d(x, weight, bias)))` in one pass: the ReLU is
 * applied to each block of the conv's output as it is written and the pooling reads that output
 * in place, so the full-size intermediate is never copied or allocated. The result is bit for bit
 * that of the separate ops (same kernels, same order); see {@link conv2d} and {@link maxPool2d}
 * for the formulas and option defaults.
 *
 * Shapes: x `[N, C_in, H, W]`, weight `[C_out, C_in/groups, kH, kW]`, bias `[C_out]` or null →
 * `[N, C_out, H_pool, W_pool]` (the conv's `[N, C_out, H_out, W_out]` without pooling).
 *
 * Without pooling the block records its gradient like the separate ops, and gives the same
 * gradients bit for bit: the ReLU's mask `y > 0` is read from the block's own output (positive
 * exactly where the conv's output is), then `dx, dW, db` as for {@link conv2d}. With pooling it is
 * for inference only and refuses to run where a gradient would be recorded (gradients enabled and
 * x, weight or bias requiring them).
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
  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  if (block.maxPool !== null && recordsGradient(inputs)) {
    fail(names.conv, 'a conv2dBlock with pooling records no gradients: call it inside noGrad(), or pool with maxPool2d when training');
  }
  const geometry = conv2dGeometry(x.shape, weight.shape, conv, names.conv);
  const { batch, outChannels, outH, outW } = geometry;
  checkConvBias(bias, outChannels, names.conv);
  const pool = block.maxPool === null ? null : pool2dGeometry([batch, outChannels, outH, outW], block.maxPool, names.pool);
  const shape = pool === null ? [batch, outChannels, outH, outW] : [batch, outChannels, pool.outH, pool.outW];
  const out = new Float32Array(shape[0]! * shape[1]! * shape[2]! * shape[3]!);
  conv2dBlockForward({
    x: x.data, weight: weight.readValues(), bias: bias === null ? null : bias.readValues(), conv: geometry, relu: block.relu, pool, out, weightVersion: keptVersion(weight),
  });
  const convBackward = conv2dGradients(x, weight, bias, geometry);
  if (!block.relu) return recordOp(new Tensor(out, shape), 'conv2d', inputs, convBackward);
  return recordOp(new Tensor(out, shape), 'conv2dRelu', inputs, (g) => {
    const masked = overwrittenGradientBuffer(g.length);
    reluBackward(out, g, masked);
    const grads = convBackward(masked);
    if (!grads.some((d) => d?.buffer === masked.buffer)) recycleGradient(masked);
    return grads;
  });
}
