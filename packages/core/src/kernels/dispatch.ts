import type { Conv2dGeometry } from '../shape/conv-geometry.js';
import type { Pool2dGeometry } from '../shape/pool-geometry.js';
import { wasmKernels } from './backend.js';
import { conv2dBlockForward as conv2dBlockReference, type Conv2dBlockArgs } from './conv2d-block.js';
import { gemm as gemmReference, type GemmArgs } from './gemm.js';
import { conv2dBackwardBias, conv2dBackwardInput, conv2dBackwardWeight, conv2dForward as conv2dForwardReference } from './im2col.js';
import { maxPool2dBackward as maxPool2dBackwardReference, maxPool2dForward as maxPool2dForwardReference } from './max-pool2d.js';
import { reluBackward as reluBackwardReference, reluForward as reluForwardReference } from './relu.js';
import { conv2dBackwardWasm, conv2dForwardWasm, type Conv2dGradients } from './wasm/conv2d.js';
import { conv2dBlockWasm } from './wasm/conv2d-block.js';
import { gemmWasm } from './wasm/gemm.js';
import { maxPool2dBackwardWasm, maxPool2dForwardWasm } from './wasm/max-pool2d.js';
import { reluBackwardWasm, reluForwardWasm } from './wasm/relu.js';

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
 * `out = maxPool(relu(conv2d(x, weight) + bias))`, the ReLU only when `relu`, the pooling only when
 * `pool` is given. `out` is overwritten; nothing else is kept (the op keeps what its backward needs).
 */
export function conv2dBlockForward(args: Conv2dBlockArgs): void {
  const kernels = wasmKernels();
  const empty = isEmpty(args.conv) || (args.pool !== null && args.pool.outH * args.pool.outW === 0);
  if (kernels !== null && !empty && conv2dBlockWasm(kernels, args)) return;
  conv2dBlockReference(args);
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

/** `y[i] = x[i] > 0 ? x[i] : 0`. */
export function reluForward(x: Float32Array, y: Float32Array): void {
  const kernels = wasmKernels();
  if (kernels !== null && x.length > 0 && reluForwardWasm(kernels, x, y)) return;
  reluForwardReference(x, y);
}

/** `dx[i] = x[i] > 0 ? dy[i] : 0`. */
export function reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  const kernels = wasmKernels();
  if (kernels !== null && x.length > 0 && reluBackwardWasm(kernels, x, dy, dx)) return;
  reluBackwardReference(x, dy, dx);
}

/** Max over each pooling window and, when `withArgmax`, the in-plane index (`ih·W + iw`) where it was found. */
export function maxPool2dForward(x: Float32Array, g: Pool2dGeometry, withArgmax: boolean): { out: Float32Array; argmax: Int32Array | null } {
  const kernels = wasmKernels();
  const result = kernels !== null && g.batch * g.channels * g.outH * g.outW > 0 ? maxPool2dForwardWasm(kernels, x, g, withArgmax) : null;
  return result ?? maxPool2dForwardReference(x, g, withArgmax);
}

/** Sends each output gradient of max pooling to its window's recorded arg-max. */
export function maxPool2dBackward(dy: Float32Array, argmax: Int32Array, g: Pool2dGeometry): Float32Array {
  const kernels = wasmKernels();
  const result = kernels !== null && dy.length > 0 ? maxPool2dBackwardWasm(kernels, dy, argmax, g) : null;
  return result ?? maxPool2dBackwardReference(dy, argmax, g);
}
