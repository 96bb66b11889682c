/** `y[i] = x[i] < 0 ? 0 : x[i]`: NaN stays NaN and −0 stays −0, as PyTorch's `relu`. */
export function reluForward(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = x[i]! < 0 ? 0 : x[i]!;
}

/** `y[i] = max(a[i] + b[i], 0)`: the float32 sum, then NaN and −0 kept as {@link reluForward} keeps them. */
export function addReluForward(a: Float32Array, b: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) {
    const v = a[i]! + b[i]!;
    y[i] = v < 0 ? 0 : v;
  }
}

/** `dx[i] = x[i] <= 0 ? 0 : dy[i]`: a NaN passes its gradient, as PyTorch's `threshold_backward`. */
export function reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = x[i]! <= 0 ? 0 : dy[i]!;
}
