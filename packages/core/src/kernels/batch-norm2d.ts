// Batch normalization of x `[n, c, hw]` per channel.

/** Per channel: `mean = Σ x / m` and the biased `variance = Σ (x − mean)² / m`, `m = n·hw` (written into the arguments). */
export function channelMoments(v: Float32Array, n: number, c: number, hw: number, mean: Float64Array, variance: Float64Array): void {
  const m = n * hw;
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let b = 0; b < n; b++) for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) s += v[k]!;
    const mu = s / m;
    let ss = 0;
    for (let b = 0; b < n; b++) for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) ss += (v[k]! - mu) ** 2;
    mean[ch] = mu;
    variance[ch] = ss / m;
  }
}

/** `x̂ = (x − mean)·invStd` and `y = γ·x̂ + β` per channel (γ = 1, β = 0 when null). */
export function batchNorm2dForward(
  v: Float32Array, n: number, c: number, hw: number, mean: Float64Array, invStd: Float64Array, gamma: Float32Array | null, beta: Float32Array | null,
): { xHat: Float32Array; y: Float32Array } {
  const xHat = new Float32Array(v.length);
  const y = new Float32Array(v.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const scale = gamma === null ? 1 : gamma[ch]!;
      const shift = beta === null ? 0 : beta[ch]!;
      for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) {
        const xh = (v[k]! - mean[ch]!) * invStd[ch]!;
        xHat[k] = xh;
        y[k] = xh * scale + shift;
      }
    }
  }
  return { xHat, y };
}

/**
 * `dx = γ·invStd·(dy − mean(dy) − x̂·mean(dy·x̂))` per channel in training (the batch statistics
 * depend on x), `γ·invStd·dy` in eval; also `Σ dy` and `Σ dy·x̂` per channel (the gradients of β and γ).
 */
export function batchNorm2dBackward(
  g: Float32Array, xHat: Float32Array, n: number, c: number, hw: number, invStd: Float64Array, gamma: Float32Array | null, training: boolean,
): { gx: Float32Array; sumG: Float64Array; sumGXHat: Float64Array } {
  const m = n * hw;
  const sumG = new Float64Array(c);
  const sumGXHat = new Float64Array(c);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) {
        sumG[ch] += g[k]!;
        sumGXHat[ch] += g[k]! * xHat[k]!;
      }
    }
  }
  const gx = new Float32Array(g.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const k0 = gamma === null ? invStd[ch]! : gamma[ch]! * invStd[ch]!;
      const meanG = training ? sumG[ch]! / m : 0;
      const meanGXHat = training ? sumGXHat[ch]! / m : 0;
      for (let k = (b * c + ch) * hw, end = k + hw; k < end; k++) gx[k] = k0 * (g[k]! - meanG - xHat[k]! * meanGXHat);
    }
  }
  return { gx, sumG, sumGXHat };
}
