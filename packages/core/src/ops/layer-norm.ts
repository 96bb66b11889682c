import { recordOp } from '../autograd.js';
import { fail, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * Layer normalization, PyTorch's `layer_norm`: over the last `normalizedShape.length` dimensions
 * of `x` (which must equal `normalizedShape`), each group of `D` values is normalized with its own
 * mean and biased variance, `y = (x − μ)/√(σ² + eps) · weight + bias` (weight, bias of shape
 * `normalizedShape`, optional).
 * Backward, per group with `x̂` the normalized values and `ĝ = dy·weight`:
 * `dx = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / √(σ² + eps)`; `dweight = Σ dy·x̂`, `dbias = Σ dy` over the groups.
 * @example layerNorm(x, [768], gamma, beta) // x [N, T, 768]
 */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5, where = 'layerNorm'): Tensor {
  const k = normalizedShape.length;
  if (k === 0 || x.rank < k || normalizedShape.some((d, i) => d !== x.shape[x.rank - k + i])) {
    fail(where, `expected an input ending in normalizedShape ${formatShape(normalizedShape)}, got ${formatShape(x.shape)}`);
  }
  for (const [arg, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t !== null && t.shape.join() !== normalizedShape.join()) fail(where, `expected ${arg} of shape ${formatShape(normalizedShape)}, got ${formatShape(t.shape)}`);
  }
  if (!(eps >= 0) || !Number.isFinite(eps)) fail(where, `eps must be a finite number ≥ 0, got ${eps}`);
  const d = normalizedShape.reduce((p, v) => p * v, 1);
  if (x.isMeta) return new Tensor(null, x.shape);
  const v = x.data;
  const groups = d === 0 ? 0 : v.length / d;
  const invStd = new Float64Array(groups);
  const xHat = new Float32Array(v.length);
  const y = new Float32Array(v.length);
  const gamma = weight?.data ?? null;
  const beta = bias?.data ?? null;
  for (let r = 0; r < groups; r++) {
    const base = r * d;
    let s = 0;
    for (let i = 0; i < d; i++) s += v[base + i]!;
    const mu = s / d;
    let ss = 0;
    for (let i = 0; i < d; i++) ss += (v[base + i]! - mu) ** 2;
    const inv = 1 / Math.sqrt(ss / d + eps);
    invStd[r] = inv;
    for (let i = 0; i < d; i++) {
      const xh = (v[base + i]! - mu) * inv;
      xHat[base + i] = xh;
      y[base + i] = xh * (gamma === null ? 1 : gamma[i]!) + (beta === null ? 0 : beta[i]!);
    }
  }
  const inputs = [x, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])];
  return recordOp(new Tensor(y, x.shape), 'layerNorm', inputs, (g) => {
    const gx = new Float32Array(v.length);
    const gw = new Float64Array(d);
    const gb = new Float64Array(d);
    for (let r = 0; r < groups; r++) {
      const base = r * d;
      let meanG = 0;
      let meanGX = 0;
      for (let i = 0; i < d; i++) {
        const gh = g[base + i]! * (gamma === null ? 1 : gamma[i]!);
        meanG += gh;
        meanGX += gh * xHat[base + i]!;
        gw[i] += g[base + i]! * xHat[base + i]!;
        gb[i] += g[base + i]!;
      }
      meanG /= d;
      meanGX /= d;
      for (let i = 0; i < d; i++) {
        const gh = g[base + i]! * (gamma === null ? 1 : gamma[i]!);
        gx[base + i] = invStd[r]! * (gh - meanG - xHat[base + i]! * meanGX);
      }
    }
    const grads: Float32Array[] = [gx];
    if (weight !== null) grads.push(Float32Array.from(gw));
    if (bias !== null) grads.push(Float32Array.from(gb));
    return grads;
  });
}
