import { recordOp, recordsGradient } from '../autograd.js';
import type { BatchNormSaved, NormalizedRecipe } from '../kernels/conv2d-batch-norm.js';
import { conv2dBatchNormBackward, conv2dBatchNormForward } from '../kernels/dispatch.js';
import { checkOptions } from '../options.js';
import { conv2dGeometry, type Conv2dOptions } from '../shape/conv-geometry.js';
import { pool2dGeometry, type Pool2dOptions } from '../shape/pool-geometry.js';
import { Tensor } from '../tensor.js';
import { affineGradients, prepareBatchNorm, updateRunningStatistics, type BatchNorm2dOptions, type BatchNormTensors } from './batch-norm2d.js';
import { checkConvBias, conv2dOptionTypes } from './conv2d.js';

/** What follows the batch norm in a {@link conv2dBatchNorm}. */
export interface Conv2dBatchNormBlock {
  /** Apply `max(y, 0)` to the normalized output. */
  readonly relu: boolean;
  /** Max-pool the (rectified) output with these options; null for none. */
  readonly maxPool: Pool2dOptions | null;
}

/** How errors name the parts of a {@link conv2dBatchNorm} (the layers' labels when a model fuses them). */
export interface Conv2dBatchNormNames {
  readonly conv: string;
  readonly norm: string;
  readonly pool: string;
}

/**
 * Conv2d → BatchNorm2d (→ ReLU) (→ MaxPool2d) as one op:
 * `y = maxPool2d(relu(batchNorm2d(conv2d(x, weight, bias), runningMean, runningVar, γ, β)))`, the
 * ReLU and the pooling as `block` asks; see {@link conv2d}, {@link batchNorm2d} and
 * {@link maxPool2d} for the formulas, options and defaults. The conv's output is normalized,
 * rectified and pooled where the convolution wrote it, so on the WebAssembly backend it never
 * leaves WebAssembly memory; only the result (with the pooling's arg-maxes) comes out, and when a
 * gradient will be recorded the normalized values `x̂` (and the ReLU's output) stay there for the
 * backward (see NormalizedRecipe). Running statistics are updated as batch norm updates them.
 *
 * Shapes: x `[N, C_in, H, W]`, weight `[C_out, C_in/groups, kH, kW]`, bias `[C_out]` or null,
 * running statistics, γ and β `[C_out]` or null → `[N, C_out, H_out, W_out]`, or the pooled
 * `[N, C_out, H_pool, W_pool]`.
 *
 * Backward, in one step: the ReLU's mask (`y > 0`, read from the ReLU's output; with pooling from
 * the pooled value, the ReLU's output at each window's arg-max, before the gradient is sent there),
 * the pooling's backward, batch norm's (through the batch statistics in training) giving `dγ`,
 * `dβ` and the conv's output gradient, then the conv's `dx, dW, db`. Values, gradients and running
 * statistics are bit for bit those of the separate ops on either backend: the same kernels'
 * arithmetic in the same order.
 *
 * @example conv2dBatchNorm(x, w, null, { padding: 1 }, { runningMean, runningVar, weight: g, bias: b }, { training: true }, { relu: true, maxPool: null })
 */
export function conv2dBatchNorm(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  conv: Conv2dOptions,
  norm: BatchNormTensors,
  options: BatchNorm2dOptions,
  block: Conv2dBatchNormBlock,
  names: Conv2dBatchNormNames = { conv: 'conv2d', norm: 'batchNorm2d', pool: 'maxPool2d' },
): Tensor {
  checkOptions(names.conv, conv, conv2dOptionTypes);
  const geometry = conv2dGeometry(x.shape, weight.shape, conv, names.conv);
  const { batch, outChannels, outH, outW } = geometry;
  checkConvBias(bias, outChannels, names.conv);
  const convShape = [batch, outChannels, outH, outW];
  const pool = block.maxPool === null ? null : pool2dGeometry(convShape, block.maxPool, names.pool);
  const affine = [norm.weight, norm.bias].filter((t): t is Tensor => t !== null);
  const inputs = [x, weight, ...(bias === null ? [] : [bias]), ...affine];
  const recording = recordsGradient(inputs);
  // x̂ is left where the backend puts it (see NormalizedRecipe), not in an array allocated here.
  const call = prepareBatchNorm(convShape, norm, options, { relu: block.relu, y: pool === null, xHat: false }, names.norm);
  const convCall = { x: x.data, weight: weight.readValues(), bias: bias === null ? null : bias.readValues(), geometry };
  const recipe: NormalizedRecipe | null = !recording ? null
    : { bias: convCall.bias, mean: call.mean, variance: call.variance, eps: call.eps, beta: call.beta, relu: block.relu, values: null, held: null };
  // Batch norm's backward, then the conv's on the gradient that gives (which stays in WebAssembly memory there).
  const blockGradients = (g: Float32Array, saved: Omit<BatchNormSaved, 'xHat' | 'invStd' | 'gamma' | 'training'>): (Float32Array | null)[] => {
    const need = { input: x.requiresGrad, weight: weight.requiresGrad, bias: bias?.requiresGrad ?? false };
    const { conv, sumG, sumGXHat } = conv2dBatchNormBackward(
      g, { ...saved, xHat: recipe!, invStd: call.invStd, gamma: call.gamma, training: call.training }, { x: convCall.x, weight: convCall.weight, geometry, need },
    );
    return [conv.dx, conv.dw, ...(bias === null ? [] : [conv.db]), ...affineGradients(norm, sumG, sumGXHat)];
  };
  const name = `conv2dBatchNorm${block.relu ? 'Relu' : ''}${pool === null ? '' : 'MaxPool'}`;
  if (pool === null) {
    conv2dBatchNormForward(convCall, call, null, recipe);
    updateRunningStatistics(norm, call);
    return recordOp(new Tensor(call.y!, convShape), name, inputs, (g) => blockGradients(g, { pool: null, reluOut: block.relu ? call.y : null }));
  }
  const pooled = { geometry: pool, out: new Float32Array(batch * outChannels * pool.outH * pool.outW), argmax: recording ? new Int32Array(batch * outChannels * pool.outH * pool.outW) : null };
  conv2dBatchNormForward(convCall, call, pooled, recipe);
  updateRunningStatistics(norm, call);
  return recordOp(new Tensor(pooled.out, [batch, outChannels, pool.outH, pool.outW]), name, inputs, (g) =>
    blockGradients(g, { pool: { geometry: pool, out: block.relu ? pooled.out : null, argmax: pooled.argmax! }, reluOut: null }));
}
