import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { toPair, type IntPair } from '../shape/pair.js';
import type { AvgPoolWindows } from '../kernels/avg-pool2d.js';
import { avgPool2dBackward, avgPool2dForward } from '../kernels/dispatch.js';
import { MAX_TENSOR_ELEMENTS, Tensor } from '../tensor.js';

/**
 * Average pooling to a fixed output size, PyTorch's `adaptive_avg_pool2d` (torchvision's VGG and
 * ResNet heads): output cell `(i, j)` averages input rows `floor(i·H/outH) … ceil((i+1)·H/outH) − 1`
 * and columns `floor(j·W/outW) … ceil((j+1)·W/outW) − 1`. Windows may overlap when the sizes do not
 * divide, and an output larger than the input repeats values.
 *
 * Shapes: x `[N, C, H, W]` → `[N, C, outH, outW]`; `outputSize` is a number or `[outH, outW]`.
 * Backward spreads each output gradient evenly over its window.
 *
 * @example adaptiveAvgPool2d(x, 7) // VGG-16: [N,512,14,14] → [N,512,7,7]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: IntPair, where = 'adaptiveAvgPool2d'): Tensor {
  const [outH, outW] = toPair(outputSize, 'outputSize', where, 1);
  if (x.rank !== 4) fail(where, `expected a 4-D input [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  if (h < 1 || w < 1) fail(where, `expected an input with non-empty H and W, got shape ${formatShape(x.shape)}`);
  if (n * c * outH * outW > MAX_TENSOR_ELEMENTS) fail(where, `an output of ${formatShape([n, c, outH, outW])} holds more than the limit of ${MAX_TENSOR_ELEMENTS} elements`);
  const rows = adaptiveWindows(h, outH);
  const cols = adaptiveWindows(w, outW);
  const planes = n * c;
  const windows: AvgPoolWindows = {
    rowStart: rows.start, rowEnd: rows.end, rowFactor: Float64Array.from(rows.end, (e, i) => e - rows.start[i]!),
    colStart: cols.start, colEnd: cols.end, colFactor: Float64Array.from(cols.end, (e, j) => e - cols.start[j]!),
    divisorOverride: null,
  };
  const out = avgPool2dForward(x.data, planes, h, w, windows);
  return recordOp(new Tensor(out, [n, c, outH, outW]), 'adaptiveAvgPool2d', [x], (g) => [avgPool2dBackward(g, planes, h, w, windows)]);
}

/** Window `[start, end)` of each of `out` cells over `n` inputs: `floor(i·n/out)`, `ceil((i+1)·n/out)`. */
function adaptiveWindows(n: number, out: number): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(out);
  const end = new Int32Array(out);
  for (let i = 0; i < out; i++) {
    start[i] = Math.floor((i * n) / out);
    end[i] = Math.ceil(((i + 1) * n) / out);
  }
  return { start, end };
}
