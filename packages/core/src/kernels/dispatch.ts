import type { Conv2dGeometry } from '../shape/conv-geometry.js';
import type { Pool2dGeometry } from '../shape/pool-geometry.js';
import type { Backend } from './backend.js';
import type { GradientsNeeded } from './im2col.js';
import * as avgPool from './avg-pool2d.js';
import * as batchNorm from './batch-norm2d.js';
import * as bias from './bias.js';
import * as cat from './cat.js';
import * as classLoss from './class-loss.js';
import {
  conv2dBatchNormBackward as conv2dBatchNormBackwardReference, conv2dBatchNormForward as conv2dBatchNormReference,
  type BatchNormSaved, type Conv2dBackwardCall, type Conv2dCall,
} from './conv2d-batch-norm.js';
import { conv2dBlockForward as conv2dBlockReference, type Conv2dBlockArgs } from './conv2d-block.js';
import * as elementwise from './elementwise.js';
import { gemm as gemmReference, type GemmArgs } from './gemm.js';
import { conv2dBackward as conv2dBackwardReference, conv2dForward as conv2dForwardReference } from './im2col.js';
import { maxPool2dBackward as maxPool2dBackwardReference, maxPool2dForward as maxPool2dForwardReference } from './max-pool2d.js';
import * as pointwiseLoss from './pointwise-loss.js';
import * as resample from './resample.js';
import { defineKernel } from './registry.js';
import * as softmax from './softmax.js';
import { adamStep as adamStepReference } from './adam.js';
import { optimizerBuffer as optimizerBufferReference, sgdMomentumStep as sgdMomentumStepReference } from './sgd.js';
import { addReluForward as addReluForwardReference, reluBackward as reluBackwardReference, reluForward as reluForwardReference } from './relu.js';
import { batchNorm2dBackwardWasm, batchNormForwardWasm } from './wasm/batch-norm2d.js';
import { conv2dBatchNormBackwardWasm, conv2dBatchNormForwardWasm } from './wasm/conv2d-batch-norm.js';
import { conv2dBackwardPaths, conv2dBackwardWasm, conv2dForwardWasm } from './wasm/conv2d.js';
import { conv2dForwardPath } from './wasm/conv2d-path.js';
import { conv2dBlockWasm } from './wasm/conv2d-block.js';
import { gemmWasm } from './wasm/gemm.js';
import { maxPool2dBackwardWasm, maxPool2dForwardWasm } from './wasm/max-pool2d.js';
import { addReluForwardWasm, reluBackwardWasm, reluForwardWasm } from './wasm/relu.js';
import { optimizerBufferWasm, sgdMomentumStepWasm } from './wasm/sgd.js';
import { adamStepWasm } from './wasm/adam.js';

// Every compute kernel the ops call, each defined once: its TypeScript reference and, where there
// is one, its WebAssembly implementation (see registry.ts for how a call picks between them).
// Signatures, formulas and results are the references'.

export type { Conv2dGradients, GradientsNeeded } from './im2col.js';
export type { MaxPool2dResult } from './max-pool2d.js';
export type { CrossEntropyForward, ProbabilityGradient } from './class-loss.js';
export type { ElementRule } from './pointwise-loss.js';
export type { AxisWeights, Resampling } from './resample.js';

/** Multiply-adds of a conv2d call (0 when any dimension is empty). */
const convWork = (g: Conv2dGeometry): number => g.batch * g.outChannels * g.outH * g.outW * (g.inChannels / g.groups) * g.kH * g.kW;

/** A conv2d call's shapes and non-default options, for traces: `x [8,64,56,56] w [64,64,3,3] padding 1`. */
function convShape(g: Conv2dGeometry): string {
  const pair = (a: number, b: number): string => (a === b ? `${a}` : `[${a},${b}]`);
  const { top, bottom, left, right } = g.padding;
  const padding = top === bottom && left === right ? pair(top, left) : `[${top},${bottom},${left},${right}]`;
  const parts = [`x [${g.batch},${g.inChannels},${g.inH},${g.inW}] w [${g.outChannels},${g.inChannels / g.groups},${g.kH},${g.kW}]`];
  if (g.strideH !== 1 || g.strideW !== 1) parts.push(`stride ${pair(g.strideH, g.strideW)}`);
  if (padding !== '0') parts.push(`padding ${padding}`);
  if (g.dilationH !== 1 || g.dilationW !== 1) parts.push(`dilation ${pair(g.dilationH, g.dilationW)}`);
  if (g.groups !== 1) parts.push(`groups ${g.groups}`);
  return parts.join(' ');
}

/** The forward's path: the WebAssembly one's, or the reference's im2col and matrix product. */
const describeForward = (backend: Backend, g: Conv2dGeometry, weightsKept: boolean): { path: string; shape: string; multiplyAdds: number } =>
  ({ path: backend === 'wasm' ? conv2dForwardPath(g, weightsKept) : 'im2col-gemm', shape: convShape(g), multiplyAdds: convWork(g) });

/** `C = A′·B′ (+ C)`: see {@link GemmArgs}. */
export const gemm = defineKernel({
  name: 'gemm', work: (args: GemmArgs) => args.m * args.n * args.k, reference: gemmReference, wasm: gemmWasm,
});

/** `y = conv2d(x, weight) + bias` (bias may be null); `y` is overwritten. */
export const conv2dForward = defineKernel({
  name: 'conv2dForward', work: (_x, _w, _b, g) => convWork(g), reference: conv2dForwardReference, wasm: conv2dForwardWasm,
  describe: (backend, _x, _w, _b, g, _y, weightVersion) => describeForward(backend, g, weightVersion !== undefined),
});

/**
 * `out = maxPool(relu(conv2d(x, weight) + bias))`, the ReLU only when `relu`, the pooling only when
 * `pool` is given. `out` is overwritten; nothing else is kept (the op keeps what its backward needs).
 */
export const conv2dBlockForward = defineKernel({
  name: 'conv2dBlockForward',
  work: (args: Conv2dBlockArgs) => convWork(args.conv) * (args.pool === null ? 1 : args.pool.outH * args.pool.outW),
  reference: conv2dBlockReference,
  wasm: conv2dBlockWasm,
  describe: (backend, args) => describeForward(backend, args.conv, args.weightVersion !== undefined),
});

/**
 * The gradients of conv2d for upstream gradient `dy`, each computed only when `need` asks:
 * `dx = col2im(Wᵀ·dy)`, `dW = Σ_n dy·im2col(x)ᵀ`, `db = Σ_{n,i,j} dy`.
 */
export const conv2dBackward = defineKernel({
  name: 'conv2dBackward', work: (_dy, _x, _w, g) => convWork(g), reference: conv2dBackwardReference, wasm: conv2dBackwardWasm,
  describe: (backend, _dy, _x, _w, g, need) => describeBackward(backend, g, need),
});

/** A conv backward's paths, shape and multiply-adds, for traces. */
function describeBackward(backend: Backend, g: Conv2dGeometry, need: GradientsNeeded): { path: string; shape: string; multiplyAdds: number } {
  const paths = backend === 'wasm' ? conv2dBackwardPaths(g) : { input: 'col2im-gemm', weight: 'im2col-gemm' };
  const parts = [...(need.input ? [`input ${paths.input}`] : []), ...(need.weight || need.bias ? [`weight ${paths.weight}`] : [])];
  const gradients = (need.input ? 1 : 0) + (need.weight ? 1 : 0);
  return { path: parts.join(', '), shape: convShape(g), multiplyAdds: gradients * convWork(g) };
}

/** `y[i] = x[i] < 0 ? 0 : x[i]` (NaN and −0 kept, as PyTorch). */
export const reluForward = defineKernel({
  name: 'reluForward', work: (x: Float32Array) => x.length, reference: reluForwardReference, wasm: reluForwardWasm,
});

/** `dx[i] = x[i] <= 0 ? 0 : dy[i]` (a NaN passes its gradient, as PyTorch). */
export const reluBackward = defineKernel({
  name: 'reluBackward', work: (x: Float32Array) => x.length, reference: reluBackwardReference, wasm: reluBackwardWasm,
});

/** `y[i] = max(a[i] + b[i], 0)` (the float32 sum; NaN and −0 kept as by reluForward). */
export const addReluForward = defineKernel({
  name: 'addReluForward', work: (a: Float32Array) => a.length, reference: addReluForwardReference, wasm: addReluForwardWasm,
});

/**
 * Parameters below which an optimizer's update stays a TypeScript loop on plain arrays (a
 * WebAssembly call copies the weights and the gradient in and the weights out).
 */
const OPTIMIZER_WASM_MIN = 1 << 14;

/**
 * An optimizer's per-parameter buffer holding `values`' values: on the WebAssembly backend a copy
 * kept in WebAssembly memory, which {@link sgdMomentumStep} then updates where it lies; else `values`.
 */
export const optimizerBuffer = defineKernel({
  name: 'optimizerBuffer', work: (values: Float32Array) => (values.length < OPTIMIZER_WASM_MIN ? 0 : values.length),
  reference: optimizerBufferReference, wasm: optimizerBufferWasm,
});

/** SGD's momentum or Nesterov update of `w` and its momentum buffer `b` in place (see kernels/sgd.ts). */
export const sgdMomentumStep = defineKernel({
  name: 'sgdMomentumStep', work: (w: Float32Array) => (w.length < OPTIMIZER_WASM_MIN ? 0 : w.length),
  reference: sgdMomentumStepReference, wasm: sgdMomentumStepWasm,
});

/** Adam's or AdamW's step on `w` and its moment estimates in place (see kernels/adam.ts; AMSGrad on the reference only). */
export const adamStep = defineKernel({
  name: 'adamStep', work: (w: Float32Array) => (w.length < OPTIMIZER_WASM_MIN ? 0 : w.length),
  reference: adamStepReference, wasm: adamStepWasm,
});

/** Max over each pooling window and, when `withArgmax`, the in-plane index (`ih·W + iw`) where it was found. */
export const maxPool2dForward = defineKernel({
  name: 'maxPool2dForward',
  work: (_x, g: Pool2dGeometry) => g.batch * g.channels * g.outH * g.outW,
  reference: maxPool2dForwardReference,
  wasm: maxPool2dForwardWasm,
});

/** Sends each output gradient of max pooling to its window's recorded arg-max. */
export const maxPool2dBackward = defineKernel({
  name: 'maxPool2dBackward', work: (dy: Float32Array) => dy.length, reference: maxPool2dBackwardReference, wasm: maxPool2dBackwardWasm,
});

const elements = (x: Float32Array): number => x.length;

/** `y = σ(x)`. */
export const sigmoidForward = defineKernel({ name: 'sigmoidForward', work: elements, reference: elementwise.sigmoidForward });
/** `dx = dy · y · (1 − y)`. */
export const sigmoidBackward = defineKernel({ name: 'sigmoidBackward', work: elements, reference: elementwise.sigmoidBackward });
/** `y = tanh(x)`. */
export const tanhForward = defineKernel({ name: 'tanhForward', work: elements, reference: elementwise.tanhForward });
/** `dx = dy · (1 − y²)`. */
export const tanhBackward = defineKernel({ name: 'tanhBackward', work: elements, reference: elementwise.tanhBackward });
/** `y = x > 0 ? x : slope · x`. */
export const leakyReluForward = defineKernel({ name: 'leakyReluForward', work: elements, reference: elementwise.leakyReluForward });
/** `dx = x > 0 ? dy : slope · dy`. */
export const leakyReluBackward = defineKernel({ name: 'leakyReluBackward', work: elements, reference: elementwise.leakyReluBackward });
/** `y = x·Φ(x)` (or its tanh form). */
export const geluForward = defineKernel({ name: 'geluForward', work: elements, reference: elementwise.geluForward });
/** `dx = dy·(Φ(x) + x·φ(x))` (or the tanh form's derivative). */
export const geluBackward = defineKernel({ name: 'geluBackward', work: elements, reference: elementwise.geluBackward });
/** `y[i] = f(x[i])`. */
export const mapUnary = defineKernel({ name: 'mapUnary', work: elements, reference: elementwise.mapUnary });
/** `z[i] = f(a[ia[i]], b[ib[i]])` over `n` output positions (broadcast operands through index maps). */
export const mapBinary = defineKernel({ name: 'mapBinary', work: (n: number) => n, reference: elementwise.mapBinary });
/** `out[index[i]] += v[i]`, accumulated in float64. */
export const scatterSum = defineKernel({ name: 'scatterSum', work: (v: ArrayLike<number>) => v.length, reference: elementwise.scatterSum });
/** `out[i] = v[index[i]]`. */
export const gather = defineKernel({ name: 'gather', work: (_v, index: Int32Array) => index.length, reference: elementwise.gather });
/** `out = a · b`. */
export const multiplyForward = defineKernel({ name: 'multiplyForward', work: elements, reference: elementwise.multiplyForward });

/** Average pooling over given windows. */
export const avgPool2dForward = defineKernel({ name: 'avgPool2dForward', work: elements, reference: avgPool.avgPool2dForward });
/** The gradient of average pooling over given windows. */
export const avgPool2dBackward = defineKernel({ name: 'avgPool2dBackward', work: elements, reference: avgPool.avgPool2dBackward });
/** The mean of each plane (global average pooling). */
export const planeMeanForward = defineKernel({ name: 'planeMeanForward', work: elements, reference: avgPool.planeMeanForward });
/** The gradient of the plane means. */
export const planeMeanBackward = defineKernel({ name: 'planeMeanBackward', work: elements, reference: avgPool.planeMeanBackward });

/** Softmax along an axis. */
export const softmaxForward = defineKernel({ name: 'softmaxForward', work: elements, reference: softmax.softmaxForward });
/** The gradient of softmax from its output. */
export const softmaxBackward = defineKernel({ name: 'softmaxBackward', work: elements, reference: softmax.softmaxBackward });
/** Log-softmax along an axis. */
export const logSoftmaxForward = defineKernel({ name: 'logSoftmaxForward', work: elements, reference: softmax.logSoftmaxForward });
/** The gradient of log-softmax from its output. */
export const logSoftmaxBackward = defineKernel({ name: 'logSoftmaxBackward', work: elements, reference: softmax.logSoftmaxBackward });

/** `out[i, o] += bias[o]` for every row. */
export const addBiasRows = defineKernel({ name: 'addBiasRows', work: elements, reference: bias.addBiasRows });
/** The bias gradient: `db[o] = Σ_i dy[i, o]`. */
export const sumBiasRows = defineKernel({ name: 'sumBiasRows', work: elements, reference: bias.sumBiasRows });

/** Batch normalization: the batch statistics when training, then `x̂` and `y` (rectified when asked), see BatchNormForwardArgs. */
export const batchNormForward = defineKernel({
  name: 'batchNormForward', work: (v: Float32Array) => v.length, reference: batchNorm.batchNormForward, wasm: batchNormForwardWasm,
});
/** The gradients of batch normalization (through the ReLU after it when its output is given). */
export const batchNorm2dBackward = defineKernel({
  name: 'batchNorm2dBackward', work: elements, reference: batchNorm.batchNorm2dBackward, wasm: batchNorm2dBackwardWasm,
});
/**
 * `y = batchNorm(conv2d(x, weight) + bias)`, rectified when `norm.relu`, max-pooled when `pool` is
 * given: the conv's output is normalized where it lies; `norm.y` (unless null), `norm.xHat`
 * (unless null) and the pooled result are written (see BatchNormForwardArgs).
 */
export const conv2dBatchNormForward = defineKernel({
  name: 'conv2dBatchNormForward',
  work: (conv: Conv2dCall) => convWork(conv.geometry),
  reference: conv2dBatchNormReference,
  wasm: conv2dBatchNormForwardWasm,
  describe: (backend, conv, _norm, _pool, recipe) => {
    const described = describeForward(backend, conv.geometry, false);
    return (recipe?.held ?? null) === null ? described : { ...described, path: `${described.path}, x̂ held` };
  },
});
/**
 * The whole backward of conv → batch norm (→ ReLU) (→ max pool): batch norm's, then the conv's on
 * the gradient that gives (on WebAssembly without it leaving memory); traced with the conv's paths.
 */
export const conv2dBatchNormBackward = defineKernel({
  name: 'conv2dBatchNormBackward',
  work: (_g, _norm, conv: Conv2dBackwardCall) => convWork(conv.geometry),
  reference: conv2dBatchNormBackwardReference,
  wasm: conv2dBatchNormBackwardWasm,
  describe: (backend, _g, norm: BatchNormSaved, conv) => {
    const described = describeBackward(backend, conv.geometry, conv.need);
    const { held, values } = norm.xHat;
    const source = backend === 'wasm' && held !== null ? 'held' : values === null ? 'recomputed' : null;
    return source === null ? described : { ...described, path: `${described.path}, x̂ ${source}` };
  },
});

/** `loss[i] = value(x[i], t[i], i)` of an element-wise loss. */
export const pointwiseLossForward = defineKernel({ name: 'pointwiseLossForward', work: elements, reference: pointwiseLoss.pointwiseLossForward });
/** `g[i] = upstream(i) · derivative(x[i], t[i], i)`. */
export const pointwiseLossBackward = defineKernel({
  name: 'pointwiseLossBackward', work: elements, reference: pointwiseLoss.pointwiseLossBackward,
});
/** `Σ_i values[i]` of per-element losses, in index order. */
export const lossSum = defineKernel({ name: 'lossSum', work: (v: Float64Array) => v.length, reference: pointwiseLoss.lossSum });

/** Log-sum-exp, coefficient sum and loss per position of a cross-entropy. */
export const crossEntropyForward = defineKernel({ name: 'crossEntropyForward', work: elements, reference: classLoss.crossEntropyForward });
/** The gradients of a cross-entropy (logits, and probability targets when asked). */
export const crossEntropyBackward = defineKernel({ name: 'crossEntropyBackward', work: elements, reference: classLoss.crossEntropyBackward });
/** `loss_p = −Σ_k coef_k·x_k`. */
export const nllLossForward = defineKernel({ name: 'nllLossForward', work: elements, reference: classLoss.nllLossForward });
/** `dx_k = −up_p·coef_k`. */
export const nllLossBackward = defineKernel({
  name: 'nllLossBackward', work: (coef: Float64Array) => coef.length, reference: classLoss.nllLossBackward,
});

/** Concatenation of `[outer, span_k]` parts into `[outer, Σ span]`. */
export const catForward = defineKernel({ name: 'catForward', work: (_parts, _spans, outer: number) => outer, reference: cat.catForward });
/** Each part's slice of the concatenation's gradient. */
export const catBackward = defineKernel({ name: 'catBackward', work: elements, reference: cat.catBackward });

/** Separable (nearest or bilinear) resampling of each plane: interpolate's forward. */
export const resampleForward = defineKernel({ name: 'resampleForward', work: elements, reference: resample.resampleForward });
/** The gradient of {@link resampleForward}. */
export const resampleBackward = defineKernel({ name: 'resampleBackward', work: elements, reference: resample.resampleBackward });
