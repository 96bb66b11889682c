// SGD's momentum update after the first step, one loop per case (each the rule of optim/sgd.ts in
// the same order, so that the loop a large model spends its step in has no branches): `b` is
// float32, so a value stored in it is read back rounded (Math.fround).

/** Whose values an optimizer updates (a parameter) and their version before the update. */
export interface ValuesVersion {
  readonly owner: { readonly version: number };
  readonly version: number;
}

/**
 * `b ← μ·b + τ'·(g + λ·w)`, then `w ← w − η·b`, or with `nesterov` `w ← w − η·(g + λ·w + μ·b)`
 * (τ' = 1 − dampening), in place on w and b, all of one length. `values` names w's owner and
 * version (what the WebAssembly kernel keeps its copy of w by).
 */
export function sgdMomentumStep(
  w: Float32Array, grad: Float32Array, b: Float32Array, lr: number, mu: number, wd: number, damp: number, nesterov: boolean, _values: ValuesVersion,
): void {
  if (nesterov) nesterovStep(w, grad, b, lr, mu, wd, damp);
  else momentumStep(w, grad, b, lr, mu, wd, damp);
}

/** Keeps `values`: the TypeScript backend's optimizer buffers are plain arrays. */
export function optimizerBuffer(values: Float32Array): Float32Array {
  return values;
}

function momentumStep(w: Float32Array, grad: Float32Array, b: Float32Array, lr: number, mu: number, wd: number, damp: number): void {
  for (let i = 0; i < w.length; i++) {
    const bi = Math.fround(mu * b[i]! + damp * (grad[i]! + wd * w[i]!));
    b[i] = bi;
    w[i] = w[i]! - lr * bi;
  }
}

function nesterovStep(w: Float32Array, grad: Float32Array, b: Float32Array, lr: number, mu: number, wd: number, damp: number): void {
  for (let i = 0; i < w.length; i++) {
    const g = grad[i]! + wd * w[i]!;
    const bi = Math.fround(mu * b[i]! + damp * g);
    b[i] = bi;
    w[i] = w[i]! - lr * (g + mu * bi);
  }
}
