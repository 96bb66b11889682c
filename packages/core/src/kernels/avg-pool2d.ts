// Average pooling over windows given per output row and column (avgPool2d, adaptiveAvgPool2d).

/**
 * Per output row and column: the clipped input range `[start, end)` and the divisor's factor along
 * that axis (the divisor of window `(i, j)` is `rowFactor[i]·colFactor[j]`, or the override).
 */
export interface AvgPoolWindows {
  readonly rowStart: Int32Array;
  readonly rowEnd: Int32Array;
  readonly colStart: Int32Array;
  readonly colEnd: Int32Array;
  readonly rowFactor: Float64Array;
  readonly colFactor: Float64Array;
  readonly divisorOverride: number | null;
}

// The loops below are written out in each kernel rather than shared through a callback per window:
// a training step calls each once, so they must be fast before V8 has optimized them (a callback
// per window kept ResNet-18's head, [8,512,4,4] → [8,512,1,1], at 3–4 ms per call in a training
// step instead of ~0.3 ms).

/** Each output: the sum of its window over the input divided by the window's divisor. x `[planes, h, w]` → `[planes, outH, outW]`. */
export function avgPool2dForward(x: Float32Array, planes: number, h: number, w: number, win: AvgPoolWindows): Float32Array {
  const { rowStart, rowEnd, colStart, colEnd, rowFactor, colFactor, divisorOverride } = win;
  const oh = rowStart.length, ow = colStart.length;
  const out = new Float32Array(planes * oh * ow);
  for (let plane = 0, k = 0; plane < planes; plane++) {
    const xo = plane * h * w;
    for (let i = 0; i < oh; i++) {
      const p0 = xo + rowStart[i]! * w, p1 = xo + rowEnd[i]! * w;
      for (let j = 0; j < ow; j++, k++) {
        const q0 = colStart[j]!, q1 = colEnd[j]!;
        let sum = 0;
        for (let row = p0; row < p1; row += w) for (let q = row + q0; q < row + q1; q++) sum += x[q]!;
        out[k] = sum / (divisorOverride ?? rowFactor[i]! * colFactor[j]!);
      }
    }
  }
  return out;
}

/** Spreads each output gradient over its window's input positions, divided by the same divisor. */
export function avgPool2dBackward(dy: Float32Array, planes: number, h: number, w: number, win: AvgPoolWindows): Float32Array {
  const { rowStart, rowEnd, colStart, colEnd, rowFactor, colFactor, divisorOverride } = win;
  const oh = rowStart.length, ow = colStart.length;
  const dx = new Float32Array(planes * h * w);
  for (let plane = 0, k = 0; plane < planes; plane++) {
    const xo = plane * h * w;
    for (let i = 0; i < oh; i++) {
      const p0 = xo + rowStart[i]! * w, p1 = xo + rowEnd[i]! * w;
      for (let j = 0; j < ow; j++, k++) {
        const q0 = colStart[j]!, q1 = colEnd[j]!;
        const share = dy[k]! / (divisorOverride ?? rowFactor[i]! * colFactor[j]!);
        for (let row = p0; row < p1; row += w) for (let q = row + q0; q < row + q1; q++) dx[q] += share;
      }
    }
  }
  return dx;
}

/** The mean of each plane: x `[planes, hw]` → `[planes]` (global average pooling). */
export function planeMeanForward(x: Float32Array, planes: number, hw: number): Float32Array {
  const out = new Float32Array(planes);
  for (let plane = 0; plane < planes; plane++) {
    let sum = 0;
    for (let k = plane * hw; k < (plane + 1) * hw; k++) sum += x[k]!;
    out[plane] = sum / hw;
  }
  return out;
}

/** Gives every position of a plane `1/hw` of that plane's output gradient. */
export function planeMeanBackward(dy: Float32Array, planes: number, hw: number): Float32Array {
  const dx = new Float32Array(planes * hw);
  for (let plane = 0; plane < planes; plane++) dx.fill(dy[plane]! / hw, plane * hw, (plane + 1) * hw);
  return dx;
}
