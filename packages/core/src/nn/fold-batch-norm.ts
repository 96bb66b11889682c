import { Tensor } from '../tensor.js';
import type { BatchNorm2d } from './batch-norm2d.js';
import type { Conv2d } from './conv2d.js';

/** A convolution's weight and bias with an eval-mode batch norm folded in. */
export interface FoldedConv {
  readonly weight: Tensor;
  readonly bias: Tensor;
}

/** The last fold of each batch norm, and the versions of the six tensors it was made from. */
const folds = new WeakMap<BatchNorm2d, { readonly key: string; readonly conv: Conv2d; readonly folded: FoldedConv }>();

/** Whether `bn` can fold into `conv`: eval mode, running statistics kept, one feature per output channel. */
export function foldable(conv: Conv2d, bn: BatchNorm2d): boolean {
  return !bn.training && bn.runningMean !== null && bn.runningVar !== null && bn.numFeatures === conv.weight.shape[0];
}

/**
 * `bn(conv(x)) = conv′(x)` for a batch norm in eval mode ({@link foldable}): with
 * `s = γ / √(running_var + ε)` per output channel, `W′[o] = s[o]·W[o]` and
 * `b′[o] = (b[o] − running_mean[o])·s[o] + β[o]` (b = 0 without a conv bias, γ = 1 and β = 0 without
 * affine parameters), as PyTorch's `fuse_conv_bn_eval`. The result differs from the two ops run
 * one after the other by float32 rounding only (the products are rounded once, in another order).
 * The fold is kept per batch norm and made again when any of the six tensors' {@link Tensor.version}
 * changes, so that its own version (the WebAssembly weight cache's key) stays while they do.
 */
export function foldBatchNorm(conv: Conv2d, bn: BatchNorm2d): FoldedConv {
  const sources = [conv.weight, conv.bias, bn.weight, bn.bias, bn.runningMean!, bn.runningVar!];
  const key = `${sources.map((t) => t?.version ?? '-').join(',')},${bn.eps}`;
  const kept = folds.get(bn);
  if (kept !== undefined && kept.key === key && kept.conv === conv) return kept.folded;
  const w = conv.weight.readValues();
  const b = conv.bias?.readValues() ?? null;
  const gamma = bn.weight?.readValues() ?? null;
  const beta = bn.bias?.readValues() ?? null;
  const mean = bn.runningMean!.readValues();
  const variance = bn.runningVar!.readValues();
  const channels = conv.weight.shape[0]!;
  const per = w.length / channels;
  const weight = new Float32Array(w.length);
  const bias = new Float32Array(channels);
  for (let o = 0; o < channels; o++) {
    const s = (gamma === null ? 1 : gamma[o]!) / Math.sqrt(variance[o]! + bn.eps);
    for (let i = o * per; i < (o + 1) * per; i++) weight[i] = w[i]! * s;
    bias[o] = ((b === null ? 0 : b[o]!) - mean[o]!) * s + (beta === null ? 0 : beta[o]!);
  }
  const folded = { weight: new Tensor(weight, conv.weight.shape), bias: new Tensor(bias, [channels]) };
  folds.set(bn, { key, conv, folded });
  return folded;
}
