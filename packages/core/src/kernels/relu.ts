/** `y[i] = x[i] > 0 ? x[i] : 0` (NaN and −0 give +0). */
export function reluForward(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = x[i]! > 0 ? x[i]! : 0;
}

/** `dx[i] = x[i] > 0 ? dy[i] : 0`. */
export function reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = x[i]! > 0 ? dy[i]! : 0;
}
