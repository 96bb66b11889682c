import { fail } from '../errors.js';
import { Conv2d } from '../nn/conv2d.js';
import type { Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';
import { findModule } from './model-access.js';

/** A conv layer's learned kernels, one small image per output channel. */
export interface ConvFilters {
  readonly layer: string;
  readonly outChannels: number;
  /** Input channels each kernel reads (`inChannels / groups`). */
  readonly inChannels: number;
  readonly kernelSize: readonly [number, number];
  /** True when each kernel has 3 input channels, shown as one RGB image rather than 3 planes. */
  readonly rgb: boolean;
  /** Smallest and largest weight of the layer (one color scale for every filter). */
  readonly min: number;
  readonly max: number;
  /** Kernel `o` as `[inChannels, kH, kW]` (a copy of the weights). */
  readonly filters: readonly Tensor[];
}

/**
 * The weights of conv layer `layer` as per-output-channel images with their common value range.
 * @example filters(lenet, 'conv1').filters.length // 6 kernels of [1, 5, 5]
 */
export function filters(model: Module, layer: string): ConvFilters {
  const where = `filters(layer '${layer}')`;
  const module = findModule(model, layer, where);
  if (!(module instanceof Conv2d)) fail(where, `expected a Conv2d layer, got ${module.typeName}`);
  const [out, inC, kh, kw] = module.weight.shape as [number, number, number, number];
  const w = module.weight.data;
  const size = inC * kh * kw;
  let min = Infinity;
  let max = -Infinity;
  for (const v of w) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return {
    layer, outChannels: out, inChannels: inC, kernelSize: [kh, kw], rgb: inC === 3, min, max,
    filters: Array.from({ length: out }, (_, o) => new Tensor(w.slice(o * size, (o + 1) * size), [inC, kh, kw])),
  };
}
