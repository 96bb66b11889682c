// ReLU forward and backward, four lanes at a time, in chunks of RELU_CHUNK elements.
// `x < 0 ? 0 : x` exactly as the TypeScript kernel and PyTorch: NaN stays NaN, −0 stays −0.

/** Elements per chunk. */
export const RELU_CHUNK: i32 = 1 << 16;

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** Chunks of {@link reluForwardChunk} and {@link reluBackwardChunk} for n elements. */
export function reluChunks(n: i32): i32 {
  return (n + RELU_CHUNK - 1) / RELU_CHUNK;
}

/** `y[i] = x[i] < 0 ? 0 : x[i]` for i in [i0, i1) (y may be x). */
@inline function reluRange(x: usize, y: usize, i0: i32, i1: i32): void {
  const zero = f32x4.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const v = v128.load(at(x, i));
    v128.store(at(y, i), v128.andnot(v, f32x4.lt(v, zero)));
  }
  for (; i < i1; i++) {
    const v = load<f32>(at(x, i));
    store<f32>(at(y, i), v < 0 ? 0 : v);
  }
}

/** `y[i] = x[i] < 0 ? 0 : x[i]` for the chunk's elements of [0, n). */
export function reluForwardChunk(chunk: i32, thread: i32, x: usize, y: usize, n: i32): void {
  const i0 = chunk * RELU_CHUNK;
  reluRange(x, y, i0, min(n, i0 + RELU_CHUNK));
}

/** `y[i] = max(a[i] + b[i], 0)` (the float32 sum, then as {@link reluForwardChunk}) for the chunk's elements of [0, n). */
export function addReluForwardChunk(chunk: i32, thread: i32, a: usize, b: usize, y: usize, n: i32): void {
  const i0 = chunk * RELU_CHUNK;
  const i1 = min(n, i0 + RELU_CHUNK);
  const zero = f32x4.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const v = f32x4.add(v128.load(at(a, i)), v128.load(at(b, i)));
    v128.store(at(y, i), v128.andnot(v, f32x4.lt(v, zero)));
  }
  for (; i < i1; i++) {
    const v = load<f32>(at(a, i)) + load<f32>(at(b, i));
    store<f32>(at(y, i), v < 0 ? 0 : v);
  }
}

/** `v[i] = v[i] < 0 ? 0 : v[i]` for i in [0, n), in place: the ReLU fused into a conv's output. */
export function reluInPlace(v: usize, n: i32): void {
  reluRange(v, v, 0, n);
}

/** `dx[i] = x[i] <= 0 ? 0 : dy[i]` (a NaN passes its gradient) for the chunk's elements of [0, n). */
export function reluBackwardChunk(chunk: i32, thread: i32, x: usize, dy: usize, dx: usize, n: i32): void {
  const i0 = chunk * RELU_CHUNK;
  const i1 = min(n, i0 + RELU_CHUNK);
  const zero = f32x4.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    v128.store(at(dx, i), v128.andnot(v128.load(at(dy, i)), f32x4.le(v128.load(at(x, i)), zero)));
  }
  for (; i < i1; i++) store<f32>(at(dx, i), load<f32>(at(x, i)) <= 0 ? 0 : load<f32>(at(dy, i)));
}
