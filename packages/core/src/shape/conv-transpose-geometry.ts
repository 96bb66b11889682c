import { fail, formatShape } from '../errors.js';
import { conv2dGeometry, convOperands, type Conv2dGeometry } from './conv-geometry.js';
import { toPair, type IntPair } from './pair.js';

/** ConvTranspose2d arguments in PyTorch's vocabulary. */
export interface ConvTranspose2dOptions {
  /** Default 1. */
  readonly stride?: IntPair;
  /** Removed from each side of the output (the padding of the convolution this one transposes). Default 0. */
  readonly padding?: IntPair;
  /** Added to the bottom/right of the output, to pick one of the sizes a strided conv maps to one size. Default 0. */
  readonly outputPadding?: IntPair;
  /** Default 1. */
  readonly groups?: number;
  /** Default 1. */
  readonly dilation?: IntPair;
}

/**
 * Output length of a transposed convolution along one axis:
 * `(n − 1)·s − 2p + d·(k − 1) + outputPadding + 1`.
 */
export function convTransposeOutputSize(n: number, k: number, s: number, p: number, d: number, outputPadding: number): number {
  return (n - 1) * s - 2 * p + d * (k - 1) + outputPadding + 1;
}

/**
 * Validates a conv_transpose2d call: input `[N, C_in, H, W]`, weight `[C_in, C_out/groups, kH, kW]`.
 * Returns the geometry of the convolution it transposes — input `[N, C_out, H_out, W_out]`, the
 * same weight read as `[C_in, C_out/groups, kH, kW]` = conv's `[C_out', C_in'/groups, kH, kW]` — whose
 * output is `[N, C_in, H, W]`: the transposed conv's forward is that conv's input gradient.
 */
export function convTranspose2dGeometry(inputShape: readonly number[], weightShape: readonly number[], options: ConvTranspose2dOptions, where: string): Conv2dGeometry {
  const { input, weight, groups } = convOperands(inputShape, weightShape, '[C_in, C_out/groups, kH, kW]', options.groups, where);
  const [batch, inChannels, h, w] = input;
  const [wIn, wOut, kH, kW] = weight;
  if (wIn !== inChannels) fail(where, `expected input with ${wIn} channels, got ${inChannels} (input shape ${formatShape(inputShape)})`);
  if (inChannels % groups !== 0) fail(where, `groups ${groups} must divide the input channels ${inChannels}`);
  const stride = toPair(options.stride ?? 1, 'stride', where, 1);
  const padding = toPair(options.padding ?? 0, 'padding', where, 0);
  const dilation = toPair(options.dilation ?? 1, 'dilation', where, 1);
  const outputPadding = toPair(options.outputPadding ?? 0, 'outputPadding', where, 0);
  for (const a of [0, 1] as const) {
    if (outputPadding[a] >= stride[a] && outputPadding[a] >= dilation[a]) {
      fail(where, `outputPadding ${JSON.stringify(options.outputPadding)} must be smaller than stride or dilation, got stride ${JSON.stringify(stride)}, dilation ${JSON.stringify(dilation)}`);
    }
  }
  const outH = convTransposeOutputSize(h, kH, stride[0], padding[0], dilation[0], outputPadding[0]);
  const outW = convTransposeOutputSize(w, kW, stride[1], padding[1], dilation[1], outputPadding[1]);
  if (outH < 1 || outW < 1) fail(where, `the output would be ${outH}×${outW} for input shape ${formatShape(inputShape)}: ` +
    `padding ${JSON.stringify(padding)} removes more than the transposed kernel adds`);
  return conv2dGeometry([batch, wOut * groups, outH, outW], weightShape, { stride, padding, dilation, groups }, where);
}
