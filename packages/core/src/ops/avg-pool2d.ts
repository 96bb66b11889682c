import { fail } from '../errors.js';
import { recordOp } from '../autograd.js';
import { checkOptions, opt } from '../options.js';
import { pool2dGeometry, type Pool2dGeometry, type Pool2dOptions } from '../shape/pool-geometry.js';
import { avgPool2dBackward, avgPool2dForward } from '../kernels/dispatch.js';
import type { AvgPoolWindows } from '../kernels/avg-pool2d.js';
import { Tensor } from '../tensor.js';

/** Average pooling options: dilation is not supported (as in PyTorch). */
export interface AvgPool2dOptions extends Omit<Pool2dOptions, 'dilation'> {
  /** Count padded zeros in the divisor. Default true (PyTorch). */
  readonly countIncludePad?: boolean;
  /** Divide every window's sum by this positive integer instead. */
  readonly divisorOverride?: number;
}

/** The option types of {@link AvgPool2dOptions}, for {@link checkOptions}. */
const avgPool2dOptionTypes = {
  kernelSize: opt.pair, stride: opt.pair, padding: opt.pair, ceilMode: opt.boolean, countIncludePad: opt.boolean, divisorOverride: opt.integer,
};

/**
 * 2-D average pooling per channel, PyTorch's `avg_pool2d`: each output is the sum of the input
 * values in its window divided by a divisor.
 *
 * Shapes and output size as {@link maxPool2d} (no dilation): x `[N, C, H, W]` → `[N, C, H_out, W_out]`.
 * Divisor, PyTorch's rule: `divisorOverride` if given; otherwise the window clipped to the padded
 * input `[−pad, H + pad)` (smaller than kH·kW only for a ceil-mode window at the far edge) with
 * `countIncludePad` (default true), or only the real input positions it covers without.
 *
 * Backward spreads each output gradient over its window's input positions, divided by the same divisor.
 * An unknown option or a wrong type is an error (`avgPool2d: unknown option count_include_pad, did
 * you mean countIncludePad?`).
 *
 * @example avgPool2d(x, { kernelSize: 10 }) // [1,1,20,20] → [1,1,2,2]
 */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions, where = 'avgPool2d'): Tensor {
  checkOptions(where, options, avgPool2dOptionTypes);
  const geometry = pool2dGeometry(x.shape, options, where);
  const divisorOverride = options.divisorOverride ?? null;
  if (divisorOverride !== null && !(Number.isInteger(divisorOverride) && divisorOverride > 0)) {
    fail(where, `divisorOverride must be a positive integer, got ${divisorOverride}`);
  }
  const windows = avgPoolWindows(geometry, options.countIncludePad ?? true, divisorOverride);
  const { batch, channels, outH, outW } = geometry;
  const out = avgPool2dForward(x.data, batch * channels, geometry.inH, geometry.inW, windows);
  return recordOp(new Tensor(out, [batch, channels, outH, outW]), 'avgPool2d', [x], (g) => [avgPool2dBackward(g, batch * channels, geometry.inH, geometry.inW, windows)]);
}

/** One axis of {@link AvgPoolWindows}: each output's clipped input range and its divisor factor. */
function axisWindows(n: number, out: number, k: number, s: number, pad: number, countIncludePad: boolean) {
  const start = new Int32Array(out);
  const end = new Int32Array(out);
  const factor = new Float64Array(out);
  for (let i = 0; i < out; i++) {
    const lo = i * s - pad;
    const hi = Math.min(lo + k, n + pad);
    start[i] = Math.max(lo, 0);
    end[i] = Math.min(hi, n);
    factor[i] = countIncludePad ? hi - lo : end[i]! - start[i]!;
  }
  return { start, end, factor };
}

function avgPoolWindows(g: Pool2dGeometry, countIncludePad: boolean, divisorOverride: number | null): AvgPoolWindows {
  const rows = axisWindows(g.inH, g.outH, g.kH, g.strideH, g.padH, countIncludePad);
  const cols = axisWindows(g.inW, g.outW, g.kW, g.strideW, g.padW, countIncludePad);
  return {
    rowStart: rows.start, rowEnd: rows.end, rowFactor: rows.factor,
    colStart: cols.start, colEnd: cols.end, colFactor: cols.factor,
    divisorOverride,
  };
}
