import type { ValuesVersion } from './sgd.js';

/** Adam's scalars for one step (see {@link adamStep}). */
export interface AdamScalars {
  /** `1 − η·λ` for AdamW's decoupled weight decay, else 1. */
  readonly shrink: number;
  /** λ of Adam's L2 term (0 for AdamW). */
  readonly l2: number;
  readonly b1: number;
  readonly b2: number;
  /** The bias-corrected step size `η / (1 − β1ᵗ)`. */
  readonly stepSize: number;
  /** `√(1 − β2ᵗ)`. */
  readonly correction2Sqrt: number;
  readonly eps: number;
}

/**
 * One Adam or AdamW step, in place on w and its moment estimates m and v (all of one length):
 * `w ← w·shrink` (AdamW), `g' = g + l2·w`, `m ← β1·m + (1 − β1)·g'`, `v ← β2·v + (1 − β2)·g'²`,
 * `w ← w − (η'·m) / (√v̂ / √(1 − β2ᵗ) + ε)`, each store rounded to float32 and read back so;
 * v̂ = v, or with AMSGrad's `vMax` (else null) `vMax ← max(vMax, v)` and v̂ = vMax. `values` names
 * w's owner and version (what the WebAssembly kernel keeps its copy of w by).
 */
export function adamStep(
  w: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, vMax: Float32Array | null, s: AdamScalars, _values: ValuesVersion,
): void {
  const { shrink, l2, b1, b2, stepSize, correction2Sqrt, eps } = s;
  if (shrink !== 1) for (let i = 0; i < w.length; i++) w[i] = w[i]! * shrink;
  for (let i = 0; i < w.length; i++) {
    const g = grad[i]! + l2 * w[i]!;
    m[i] = b1 * m[i]! + (1 - b1) * g;
    v[i] = b2 * v[i]! + (1 - b2) * g * g;
    const second = vMax === null ? v[i]! : (vMax[i] = Math.max(vMax[i]!, v[i]!));
    w[i] = w[i]! - (stepSize * m[i]!) / (Math.sqrt(second) / correction2Sqrt + eps);
  }
}
