// Batch normalization of x `[n, c, hw]`, one channel per chunk. The arithmetic is the TypeScript
// reference's (kernels/batch-norm2d.ts) step for step, in float64 and in the same order, so both
// backends give the same bits and the result does not depend on which thread ran a channel.

@inline function f32At(base: usize, index: i32): f32 {
  return load<f32>(base + (<usize>index << 2));
}

@inline function f64At(base: usize, index: i32): f64 {
  return load<f64>(base + (<usize>index << 3));
}

/** Channel `chunk`: `mean = Σ x / m` and the biased `variance = Σ (x − mean)² / m` (float64 at mean, variance). */
export function channelMomentsChunk(chunk: i32, thread: i32, x: usize, n: i32, c: i32, hw: i32, mean: usize, variance: usize): void {
  const m = <f64>n * <f64>hw;
  let s: f64 = 0;
  for (let b = 0; b < n; b++) {
    for (let k = (b * c + chunk) * hw, end = k + hw; k < end; k++) s += <f64>f32At(x, k);
  }
  const mu = s / m;
  let ss: f64 = 0;
  for (let b = 0; b < n; b++) {
    for (let k = (b * c + chunk) * hw, end = k + hw; k < end; k++) {
      const d = <f64>f32At(x, k) - mu;
      ss += d * d;
    }
  }
  store<f64>(mean + (<usize>chunk << 3), mu);
  store<f64>(variance + (<usize>chunk << 3), ss / m);
}

/** Channel `chunk`: `x̂ = (x − mean)·invStd`, `y = γ·x̂ + β` (γ = 1 when gamma is 0, β = 0 when beta is 0). */
export function batchNorm2dForwardChunk(chunk: i32, thread: i32, x: usize, n: i32, c: i32, hw: i32, mean: usize, invStd: usize, gamma: usize, beta: usize, xHat: usize, y: usize): void {
  const mu = f64At(mean, chunk);
  const is = f64At(invStd, chunk);
  const scale: f64 = gamma === 0 ? 1 : <f64>f32At(gamma, chunk);
  const shift: f64 = beta === 0 ? 0 : <f64>f32At(beta, chunk);
  for (let b = 0; b < n; b++) {
    for (let k = (b * c + chunk) * hw, end = k + hw; k < end; k++) {
      const xh = (<f64>f32At(x, k) - mu) * is;
      store<f32>(xHat + (<usize>k << 2), <f32>xh);
      store<f32>(y + (<usize>k << 2), <f32>(xh * scale + shift));
    }
  }
}

/**
 * Channel `chunk`: `Σ dy` and `Σ dy·x̂` (float64 at sumG, sumGXHat), then
 * `dx = γ·invStd·(dy − mean(dy) − x̂·mean(dy·x̂))` in training, `γ·invStd·dy` otherwise.
 */
export function batchNorm2dBackwardChunk(chunk: i32, thread: i32, g: usize, xHat: usize, n: i32, c: i32, hw: i32, invStd: usize, gamma: usize, training: i32, gx: usize, sumG: usize, sumGXHat: usize): void {
  let sg: f64 = 0;
  let sgx: f64 = 0;
  for (let b = 0; b < n; b++) {
    for (let k = (b * c + chunk) * hw, end = k + hw; k < end; k++) {
      const gk = <f64>f32At(g, k);
      sg += gk;
      sgx += gk * <f64>f32At(xHat, k);
    }
  }
  store<f64>(sumG + (<usize>chunk << 3), sg);
  store<f64>(sumGXHat + (<usize>chunk << 3), sgx);
  const m = <f64>n * <f64>hw;
  const is = f64At(invStd, chunk);
  const k0: f64 = gamma === 0 ? is : <f64>f32At(gamma, chunk) * is;
  const meanG: f64 = training !== 0 ? sg / m : 0;
  const meanGXHat: f64 = training !== 0 ? sgx / m : 0;
  for (let b = 0; b < n; b++) {
    for (let k = (b * c + chunk) * hw, end = k + hw; k < end; k++) {
      store<f32>(gx + (<usize>k << 2), <f32>(k0 * (<f64>f32At(g, k) - meanG - <f64>f32At(xHat, k) * meanGXHat)));
    }
  }
}
