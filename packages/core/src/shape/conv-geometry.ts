import { fail, formatShape } from '../errors.js';
import { toPair, type IntPair, type Pair } from './pair.js';

/** Convolution padding: symmetric per axis, or PyTorch's `'same'` (stride 1 only) and `'valid'` (none). */
export type ConvPadding = IntPair | 'same' | 'valid';

/** Padding on each side of the two spatial axes. */
export interface Padding2d {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/**
 * Output length of a convolution or pooling window along one axis:
 * `floor((n + padBefore + padAfter − d·(k−1) − 1) / s) + 1`.
 */
export function convOutputSize(n: number, k: number, s: number, padBefore: number, padAfter: number, d: number): number {
  return Math.floor((n + padBefore + padAfter - d * (k - 1) - 1) / s) + 1;
}

/** The window a dilated kernel spans: `d·(k−1)+1`. */
export function effectiveKernel(k: number, d: number): number {
  return d * (k - 1) + 1;
}

/**
 * Resolves a conv padding argument to per-side amounts. `'same'` pads `d·(k−1)` in total per
 * axis, the extra unit (odd totals) going to the bottom/right as PyTorch does; it needs stride 1.
 */
export function resolveConvPadding(padding: ConvPadding, kernel: Pair, dilation: Pair, stride: Pair, where: string): Padding2d {
  if (padding === 'valid') return { top: 0, bottom: 0, left: 0, right: 0 };
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) fail(where, `padding 'same' needs stride 1, got stride ${JSON.stringify(stride)}`);
    const th = dilation[0] * (kernel[0] - 1);
    const tw = dilation[1] * (kernel[1] - 1);
    return { top: Math.floor(th / 2), bottom: th - Math.floor(th / 2), left: Math.floor(tw / 2), right: tw - Math.floor(tw / 2) };
  }
  if (typeof padding === 'string') fail(where, `padding must be a number, a pair, 'same' or 'valid', got '${padding}'`);
  const [ph, pw] = toPair(padding, 'padding', where, 0);
  return { top: ph, bottom: ph, left: pw, right: pw };
}

/** Everything a conv2d kernel needs to know, computed once from the shapes and arguments. */
export interface Conv2dGeometry {
  readonly batch: number;
  readonly inChannels: number;
  readonly inH: number;
  readonly inW: number;
  readonly outChannels: number;
  readonly outH: number;
  readonly outW: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly padding: Padding2d;
  readonly groups: number;
}

/** Conv2d arguments in PyTorch's vocabulary. */
export interface Conv2dOptions {
  /** Default 1. */
  readonly stride?: IntPair;
  /** Default 0. */
  readonly padding?: ConvPadding;
  /** Default 1. */
  readonly dilation?: IntPair;
  /** Default 1. Input and output channels must both be divisible by it. */
  readonly groups?: number;
}

/** Four sizes of a 4-D shape. */
type Dims4 = readonly [number, number, number, number];

/**
 * Checks what every convolution call shares: a 4-D input `[N, C, H, W]`, a 4-D weight (laid out as
 * `weightLayout` says, for the error) and `groups` (default 1) a positive integer.
 */
export function convOperands(
  inputShape: readonly number[], weightShape: readonly number[], weightLayout: string, groupsOption: number | undefined, where: string,
): { readonly input: Dims4; readonly weight: Dims4; readonly groups: number } {
  if (inputShape.length !== 4) fail(where, `expected a 4-D input [N, C, H, W], got shape ${formatShape(inputShape)}`);
  if (weightShape.length !== 4) fail(where, `expected a 4-D weight ${weightLayout}, got shape ${formatShape(weightShape)}`);
  const groups = groupsOption ?? 1;
  if (!Number.isInteger(groups) || groups < 1) fail(where, `groups must be a positive integer, got ${groups}`);
  return { input: inputShape as Dims4, weight: weightShape as Dims4, groups };
}

/**
 * Validates a conv2d call and computes its geometry.
 * Shapes: input `[N, C_in, H, W]`, weight `[C_out, C_in/groups, kH, kW]` →
 * output `[N, C_out, H_out, W_out]` with `H_out = floor((H + pTop + pBottom − dH·(kH−1) − 1)/sH) + 1`.
 */
export function conv2dGeometry(inputShape: readonly number[], weightShape: readonly number[], options: Conv2dOptions, where: string): Conv2dGeometry {
  const { input, weight, groups } = convOperands(inputShape, weightShape, '[C_out, C_in/groups, kH, kW]', options.groups, where);
  const [batch, inChannels, inH, inW] = input;
  const [outChannels, wIn, kH, kW] = weight;
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    fail(where, `groups ${groups} must divide both input channels ${inChannels} and output channels ${outChannels}`);
  }
  if (wIn * groups !== inChannels) {
    fail(where, `expected input with ${wIn * groups} channels, got ${inChannels} (input shape ${formatShape(inputShape)})`);
  }
  const stride = toPair(options.stride ?? 1, 'stride', where, 1);
  const dilation = toPair(options.dilation ?? 1, 'dilation', where, 1);
  const padding = resolveConvPadding(options.padding ?? 0, [kH, kW], dilation, stride, where);
  const spanH = inH + padding.top + padding.bottom;
  const spanW = inW + padding.left + padding.right;
  if (effectiveKernel(kH, dilation[0]) > spanH || effectiveKernel(kW, dilation[1]) > spanW) {
    fail(
      where,
      `kernel ${kH}×${kW} (dilation ${dilation[0]}×${dilation[1]}, spanning ${effectiveKernel(kH, dilation[0])}×${effectiveKernel(kW, dilation[1])}) ` +
        `is larger than the padded input ${spanH}×${spanW} (input shape ${formatShape(inputShape)})`,
    );
  }
  return {
    batch, inChannels, inH, inW, outChannels, kH, kW, groups, padding,
    outH: convOutputSize(inH, kH, stride[0], padding.top, padding.bottom, dilation[0]),
    outW: convOutputSize(inW, kW, stride[1], padding.left, padding.right, dilation[1]),
    strideH: stride[0], strideW: stride[1], dilationH: dilation[0], dilationW: dilation[1],
  };
}
