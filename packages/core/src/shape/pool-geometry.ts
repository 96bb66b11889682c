import { fail, formatShape } from '../errors.js';
import { effectiveKernel } from './conv-geometry.js';
import { toPair, type IntPair } from './pair.js';

/** Pooling arguments in PyTorch's vocabulary. */
export interface Pool2dOptions {
  readonly kernelSize: IntPair;
  /** Defaults to `kernelSize`. */
  readonly stride?: IntPair;
  /** Implicit padding on both sides, at most half the kernel (dilation aside, as in PyTorch). Default 0. */
  readonly padding?: IntPair;
  /** Max pooling only. Default 1. */
  readonly dilation?: IntPair;
  /** Round the output size up instead of down. Default false. */
  readonly ceilMode?: boolean;
}

/**
 * Output length of a pooling window along one axis, PyTorch's rule: like convolution, but with
 * `ceilMode` the division rounds up, and a last window that would start inside the right padding
 * only is dropped.
 */
export function poolOutputSize(n: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  const span = n + 2 * p - effectiveKernel(k, d);
  let out = Math.floor((span + (ceilMode ? s - 1 : 0)) / s) + 1;
  if (ceilMode && (out - 1) * s >= n + p) out--;
  return out;
}

/** Everything a pooling kernel needs, computed once. */
export interface Pool2dGeometry {
  readonly batch: number;
  readonly channels: number;
  readonly inH: number;
  readonly inW: number;
  readonly outH: number;
  readonly outW: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly dilationH: number;
  readonly dilationW: number;
}

/**
 * Validates a pooling call and computes its geometry. Input `[N, C, H, W]` → `[N, C, H_out, W_out]`.
 * Padding must be at most half the kernel, not counting dilation (PyTorch's rule).
 */
export function pool2dGeometry(inputShape: readonly number[], options: Pool2dOptions, where: string): Pool2dGeometry {
  if (typeof options !== 'object' || options === null) fail(where, `options must be an object such as { kernelSize: 2 }, got ${String(options)}`);
  if (inputShape.length !== 4) fail(where, `expected a 4-D input [N, C, H, W], got shape ${formatShape(inputShape)}`);
  const [batch, channels, inH, inW] = inputShape as [number, number, number, number];
  if (inH < 1 || inW < 1) fail(where, `expected an input with non-empty H and W, got shape ${formatShape(inputShape)}`);
  const [kH, kW] = toPair(options.kernelSize, 'kernelSize', where, 1);
  const [strideH, strideW] = toPair(options.stride ?? options.kernelSize, 'stride', where, 1);
  const [padH, padW] = toPair(options.padding ?? 0, 'padding', where, 0);
  const [dilationH, dilationW] = toPair(options.dilation ?? 1, 'dilation', where, 1);
  if (padH > kH / 2 || padW > kW / 2) {
    fail(where, `padding ${padH}×${padW} must be at most half the kernel ${kH}×${kW}`);
  }
  const ceilMode = options.ceilMode ?? false;
  const outH = poolOutputSize(inH, kH, strideH, padH, dilationH, ceilMode);
  const outW = poolOutputSize(inW, kW, strideW, padW, dilationW, ceilMode);
  if (outH < 1 || outW < 1) {
    fail(where, `kernel ${kH}×${kW} is larger than the padded input ${inH + 2 * padH}×${inW + 2 * padW} (input shape ${formatShape(inputShape)})`);
  }
  return { batch, channels, inH, inW, outH, outW, kH, kW, strideH, strideW, padH, padW, dilationH, dilationW };
}
