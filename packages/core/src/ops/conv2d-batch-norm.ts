import { recordOp } from '../autograd.js';
import { conv2dBatchNormForward } from '../kernels/dispatch.js';
import { checkOptions } from '../options.js';
import { conv2dGeometry, type Conv2dOptions } from '../shape/conv-geometry.js';
import { Tensor } from '../tensor.js';
import { batchNormGradients, prepareBatchNorm, updateRunningStatistics, type BatchNorm2dOptions, type BatchNormTensors } from './batch-norm2d.js';
import { checkConvBias, conv2dGradients, conv2dOptionTypes } from './conv2d.js';

/** How errors name the parts of a {@link conv2dBatchNorm} (the layers' labels when a model fuses them). */
export interface Conv2dBatchNormNames {
  readonly conv: string;
  readonly norm: string;
}

/**
 * Conv2d → BatchNorm2d (→ ReLU when `relu`) as one op:
 * `y = relu(batchNorm2d(conv2d(x, weight, bias), runningMean, runningVar, γ, β))`, see
 * {@link conv2d} and {@link batchNorm2d} for the formulas, options and defaults. The conv's output
 * is normalized (and rectified) where the convolution wrote it, so on the WebAssembly backend it
 * never leaves WebAssembly memory; only `y` and the normalized values `x̂` (kept for the backward)
 * come out. Running statistics are updated as batch norm updates them.
 *
 * Shapes: x `[N, C_in, H, W]`, weight `[C_out, C_in/groups, kH, kW]`, bias `[C_out]` or null,
 * running statistics, γ and β `[C_out]` or null → `[N, C_out, H_out, W_out]`.
 *
 * Backward, in one step: the ReLU's mask `y > 0`, batch norm's backward (through the batch
 * statistics in training) giving `dγ`, `dβ` and the conv's output gradient, then the conv's
 * `dx, dW, db`. Values, gradients and running statistics are bit for bit those of the separate ops
 * on either backend: the same kernels' arithmetic in the same order (the ReLU's mask read from
 * its output, which is positive exactly where its input is).
 *
 * @example conv2dBatchNorm(x, w, null, { padding: 1 }, { runningMean, runningVar, weight: g, bias: b }, { training: true }, true)
 */
export function conv2dBatchNorm(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  conv: Conv2dOptions,
  norm: BatchNormTensors,
  options: BatchNorm2dOptions,
  relu: boolean,
  names: Conv2dBatchNormNames = { conv: 'conv2d', norm: 'batchNorm2d' },
): Tensor {
  checkOptions(names.conv, conv, conv2dOptionTypes);
  const geometry = conv2dGeometry(x.shape, weight.shape, conv, names.conv);
  const { batch, outChannels, outH, outW } = geometry;
  checkConvBias(bias, outChannels, names.conv);
  const shape = [batch, outChannels, outH, outW];
  const call = prepareBatchNorm(shape, norm, options, relu, names.norm);
  conv2dBatchNormForward({ x: x.data, weight: weight.data, bias: bias === null ? null : bias.data, geometry }, call);
  updateRunningStatistics(norm, call);
  const affine = [norm.weight, norm.bias].filter((t): t is Tensor => t !== null);
  const inputs = [x, weight, ...(bias === null ? [] : [bias]), ...affine];
  const convBackward = conv2dGradients(x, weight, bias, geometry);
  return recordOp(new Tensor(call.y, shape), relu ? 'conv2dBatchNormRelu' : 'conv2dBatchNorm', inputs, (g) => {
    const normGradients = batchNormGradients(g, norm, call, relu ? call.y : null);
    return [...convBackward(normGradients.gx), ...normGradients.affine];
  });
}
