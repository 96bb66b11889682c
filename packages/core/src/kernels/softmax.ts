// Softmax and log-softmax along one axis of x seen as `[outer, len, inner]`.

/** `x` seen as `[outer, len, inner]` around the reduced dimension. */
export interface AxisLayout {
  readonly outer: number;
  readonly len: number;
  readonly inner: number;
}

/**
 * Calls `visit(base, slice)` for every slice along the axis: its values sit at
 * `base + k·inner` for k < len, and `slice = o·inner + i` numbers it.
 */
function forEachSlice({ outer, len, inner }: AxisLayout, visit: (base: number, slice: number) => void): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) visit(o * len * inner + i, o * inner + i);
  }
}

/**
 * Writes `log Σ_k e^{x_k}` of every slice along the axis into `lse` (indexed `o·inner + i`),
 * computed as `m + log Σ e^{x_k − m}` with `m` the slice's maximum, so it never overflows.
 */
function logSumExp(v: Float32Array, layout: AxisLayout): Float64Array {
  const { outer, len, inner } = layout;
  const lse = new Float64Array(outer * inner);
  forEachSlice(layout, (base, slice) => {
    let m = -Infinity;
    for (let k = 0; k < len; k++) m = Math.max(m, v[base + k * inner]!);
    let s = 0;
    for (let k = 0; k < len; k++) s += Math.exp(v[base + k * inner]! - m);
    lse[slice] = m + Math.log(s);
  });
  return lse;
}

/** `y_k = e^{x_k − lse}` over each slice. */
export function softmaxForward(v: Float32Array, layout: AxisLayout, y: Float32Array): void {
  const { len, inner } = layout;
  const lse = logSumExp(v, layout);
  forEachSlice(layout, (base, slice) => {
    for (let k = 0; k < len; k++) y[base + k * inner] = Math.exp(v[base + k * inner]! - lse[slice]!);
  });
}

/** `dx_k = y_k · (dy_k − Σ_j dy_j · y_j)` over each slice. */
export function softmaxBackward(y: Float32Array, g: Float32Array, layout: AxisLayout, gx: Float32Array): void {
  const { len, inner } = layout;
  forEachSlice(layout, (base) => {
    let dot = 0;
    for (let k = 0; k < len; k++) dot += g[base + k * inner]! * y[base + k * inner]!;
    for (let k = 0; k < len; k++) gx[base + k * inner] = y[base + k * inner]! * (g[base + k * inner]! - dot);
  });
}

/** `y_k = x_k − lse` over each slice. */
export function logSoftmaxForward(v: Float32Array, layout: AxisLayout, y: Float32Array): void {
  const { len, inner } = layout;
  const lse = logSumExp(v, layout);
  forEachSlice(layout, (base, slice) => {
    for (let k = 0; k < len; k++) y[base + k * inner] = v[base + k * inner]! - lse[slice]!;
  });
}

/** `dx_k = dy_k − e^{y_k} · Σ_j dy_j` over each slice. */
export function logSoftmaxBackward(y: Float32Array, g: Float32Array, layout: AxisLayout, gx: Float32Array): void {
  const { len, inner } = layout;
  forEachSlice(layout, (base) => {
    let sum = 0;
    for (let k = 0; k < len; k++) sum += g[base + k * inner]!;
    for (let k = 0; k < len; k++) gx[base + k * inner] = g[base + k * inner]! - Math.exp(y[base + k * inner]!) * sum;
  });
}
