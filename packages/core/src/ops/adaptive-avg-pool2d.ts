import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { toPair, type IntPair } from '../shape/pair.js';
import { Tensor } from '../tensor.js';

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
  const rows = adaptiveWindows(h, outH);
  const cols = adaptiveWindows(w, outW);
  const planes = n * c;
  const xv = x.data;
  const out = new Float32Array(planes * outH * outW);
  for (let plane = 0, k = 0; plane < planes; plane++) {
    const xo = plane * h * w;
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++, k++) {
        let sum = 0;
        for (let p = rows.start[i]!; p < rows.end[i]!; p++) {
          for (let q = cols.start[j]!; q < cols.end[j]!; q++) sum += xv[xo + p * w + q]!;
        }
        out[k] = sum / ((rows.end[i]! - rows.start[i]!) * (cols.end[j]! - cols.start[j]!));
      }
    }
  }
  return recordOp(new Tensor(out, [n, c, outH, outW]), 'adaptiveAvgPool2d', [x], (g) => {
    const dx = new Float32Array(planes * h * w);
    for (let plane = 0, k = 0; plane < planes; plane++) {
      const xo = plane * h * w;
      for (let i = 0; i < outH; i++) {
        for (let j = 0; j < outW; j++, k++) {
          const share = g[k]! / ((rows.end[i]! - rows.start[i]!) * (cols.end[j]! - cols.start[j]!));
          for (let p = rows.start[i]!; p < rows.end[i]!; p++) {
            for (let q = cols.start[j]!; q < cols.end[j]!; q++) dx[xo + p * w + q] += share;
          }
        }
      }
    }
    return [dx];
  });
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
