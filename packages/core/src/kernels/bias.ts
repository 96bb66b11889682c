import { gradientBuffer } from '../gradient-buffers.js';
/** `out[i, o] += bias[o]` for every row `i` of `out` `[rows, cols]`. */
export function addBiasRows(out: Float32Array, bias: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) for (let o = 0; o < cols; o++) out[i * cols + o] += bias[o]!;
}

/** `db[o] = Σ_i dy[i, o]`: the bias gradient of {@link addBiasRows}. */
export function sumBiasRows(dy: Float32Array, rows: number, cols: number): Float32Array {
  const db = gradientBuffer(cols);
  for (let i = 0; i < rows; i++) for (let o = 0; o < cols; o++) db[o] += dy[i * cols + o]!;
  return db;
}
