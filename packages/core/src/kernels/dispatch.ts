import type { Conv2dGeometry } from '../shape/conv-geometry.js';
import { wasmKernels } from './backend.js';
import { gemm as gemmReference, type GemmArgs } from './gemm.js';
import { conv2dBackwardBias, conv2dBackwardInput, conv2dBackwardWeight, conv2dForward as conv2dForwardReference } from './im2col.js';
import { conv2dBackwardWasm, conv2dForwardWasm, type Conv2dGradients } from './wasm/conv2d.js';
import { gemmWasm } from './wasm/gemm.js';

// The kernels ops call. Each runs on the WebAssembly kernels when that backend is active (see
// backend.ts) and on the reference TypeScript kernels otherwise, or when a call has an empty
// dimension or does not fit in WebAssembly memory. Signatures and results match the references.

export type { Conv2dGradients } from './wasm/conv2d.js';

/** `C = A′·B′ (+ C)`: see {@link GemmArgs}. */
export function gemm(args: GemmArgs): void {
  const kernels = wasmKernels();
  if (kernels !== null && args.m > 0 && args.n > 0 && args.k > 0 && gemmWasm(kernels, args)) return;
  gemmReference(args);
}

const isEmpty = (g: Conv2dGeometry): boolean => g.batch * g.outChannels * g.outH * g.outW * g.inChannels === 0;

/** `y = conv2d(x, weight) + bias` (bias may be null); `y` is overwritten. */
export function conv2dForward(x: Float32Array, weight: Float32Array, bias: Float32Array | null, g: Conv2dGeometry, y: Float32Array): void {
  const kernels = wasmKernels();
  if (kernels !== null && !isEmpty(g) && conv2dForwardWasm(kernels, x, weight, bias, g, y)) return;
  conv2dForwardReference(x, weight, bias, g, y);
}

/**
 * The gradients of conv2d for upstream gradient `dy`, each computed only when `need` asks:
 * `dx = col2im(Wᵀ·dy)`, `dW = Σ_n dy·im2col(x)ᵀ`, `db = Σ_{n,i,j} dy`.
 */
export function conv2dBackward(
  dy: Float32Array,
  x: Float32Array,
  weight: Float32Array,
  g: Conv2dGeometry,
  need: { readonly input: boolean; readonly weight: boolean; readonly bias: boolean },
): Conv2dGradients {
  const kernels = wasmKernels();
  if (kernels !== null && !isEmpty(g)) {
    const grads = conv2dBackwardWasm(kernels, dy, x, weight, g, need);
    if (grads !== null) return grads;
  }
  return {
    dx: need.input ? conv2dBackwardInput(dy, weight, g) : null,
    dw: need.weight ? conv2dBackwardWeight(dy, x, g) : null,
    db: need.bias ? conv2dBackwardBias(dy, g) : null,
  };
}
