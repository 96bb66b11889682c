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

/**
 * Calls `visit(k, rows, q0, q1, divisor)` for output `k` of every window, in output order: the
 * window covers columns `q0 … q1 − 1` of the input rows starting at the offsets `rows` (into the
 * `[planes, h, w]` input), and its divisor is that of {@link AvgPoolWindows}.
 */
function eachWindow(planes: number, h: number, w: number, win: AvgPoolWindows, visit: (k: number, rows: readonly number[], q0: number, q1: number, divisor: number) => void): void {
  const oh = win.rowStart.length, ow = win.colStart.length;
  for (let plane = 0, k = 0; plane < planes; plane++) {
    const xo = plane * h * w;
    for (let i = 0; i < oh; i++) {
      const rows: number[] = [];
      for (let p = win.rowStart[i]!; p < win.rowEnd[i]!; p++) rows.push(xo + p * w);
      for (let j = 0; j < ow; j++, k++) visit(k, rows, win.colStart[j]!, win.colEnd[j]!, win.divisorOverride ?? win.rowFactor[i]! * win.colFactor[j]!);
    }
  }
}

/** Each output: the sum of its window over the input divided by the window's divisor. x `[planes, h, w]` → `[planes, outH, outW]`. */
export function avgPool2dForward(x: Float32Array, planes: number, h: number, w: number, win: AvgPoolWindows): Float32Array {
  const out = new Float32Array(planes * win.rowStart.length * win.colStart.length);
  eachWindow(planes, h, w, win, (k, rows, q0, q1, divisor) => {
    let sum = 0;
    for (const row of rows) for (let q = q0; q < q1; q++) sum += x[row + q]!;
    out[k] = sum / divisor;
  });
  return out;
}

/** Spreads each output gradient over its window's input positions, divided by the same divisor. */
export function avgPool2dBackward(dy: Float32Array, planes: number, h: number, w: number, win: AvgPoolWindows): Float32Array {
  const dx = new Float32Array(planes * h * w);
  eachWindow(planes, h, w, win, (k, rows, q0, q1, divisor) => {
    const share = dy[k]! / divisor;
    for (const row of rows) for (let q = q0; q < q1; q++) dx[row + q] += share;
  });
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
