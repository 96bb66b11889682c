import { fail, formatShape } from '../errors.js';
import { Conv2d } from '../nn/conv2d.js';
import type { Module } from '../nn/module.js';
import { AvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { resolveConvPadding } from '../shape/conv-geometry.js';
import type { Tensor } from '../tensor.js';
import type { SourceLayer } from './explain-unit.js';
import { activationAfter, producerOf, sourceOf, traceCalls } from './layer-calls.js';
import { batchOfOne, findModule } from './model-access.js';

/**
 * Everything needed to redo the arithmetic of any unit of one conv or pooling layer for one image,
 * elsewhere (a browser view): the layer's input and output values, its geometry and weights.
 * {@link explainUnit} computes one unit from the same numbers.
 */
export interface LayerArithmetic {
  readonly layer: string;
  readonly type: string;
  readonly kind: 'conv' | 'maxpool' | 'avgpool';
  readonly source: SourceLayer;
  /** The layer's input, `source.shape` = `[C, H, W]`, row-major. */
  readonly input: Float32Array;
  /** The layer's own output `[C', H', W']`, row-major. */
  readonly output: Float32Array;
  readonly outputShape: readonly [number, number, number];
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  /** Padding before the first row and column (zeros for conv and average pooling, ignored by max pooling). */
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Conv: groups; pooling: 1. */
  readonly groups: number;
  /** Conv: `[C', C/groups, kH, kW]` weights and the bias (null without); pooling: null. */
  readonly weight: Float32Array | null;
  readonly bias: Float32Array | null;
  /** The activation layer applied right after (conv), if it is a ReLU, Sigmoid or Tanh. */
  readonly activation: { readonly layer: string; readonly type: 'ReLU' | 'Sigmoid' | 'Tanh' } | null;
  /** Average pooling: whether padded zeros count in the divisor. */
  readonly countIncludePad: boolean;
}

/**
 * The numbers of conv or pooling layer `layer` for one image (see {@link LayerArithmetic}).
 * @example layerArithmetic(lenet, image, 'conv2').input.length // 6·14·14 pool1 values
 */
export function layerArithmetic(model: Module, image: Tensor, layer: string): LayerArithmetic {
  const where = `layerArithmetic(layer '${layer}')`;
  const x = batchOfOne(image, where);
  const module = findModule(model, layer, where);
  if (!(module instanceof Conv2d || module instanceof MaxPool2d || module instanceof AvgPool2d)) {
    fail(where, `covers Conv2d, MaxPool2d and AvgPool2d layers, got a ${module.typeName}`);
  }
  const calls = traceCalls(model, x);
  const at = calls.findIndex((c) => c.module === module);
  if (at < 0) fail(where, `layer '${layer}' did not run in the forward pass`);
  const call = calls[at]!;
  if (call.output.rank !== 4) fail(where, `expected feature maps [1,C,H,W], got ${formatShape(call.output.shape)}`);
  const source = sourceOf(producerOf(calls, at), call.input);
  const outputShape = call.output.shape.slice(1) as [number, number, number];
  const base = { layer, type: module.typeName, source, input: call.input.data.slice(), output: call.output.data.slice(), outputShape };
  if (module instanceof Conv2d) {
    const padding = resolveConvPadding(module.padding, module.kernelSize, module.dilation, module.stride, module.label);
    const next = activationAfter(calls, at, 0);
    const type = next?.type;
    return {
      ...base, kind: 'conv', kernelSize: module.kernelSize, stride: module.stride, padding: [padding.top, padding.left], dilation: module.dilation,
      groups: module.groups, weight: module.weight.data.slice(), bias: module.bias?.data.slice() ?? null,
      activation: next !== null && (type === 'ReLU' || type === 'Sigmoid' || type === 'Tanh') ? { layer: next.layer, type } : null,
      countIncludePad: true,
    };
  }
  return {
    ...base, kind: module instanceof MaxPool2d ? 'maxpool' : 'avgpool', kernelSize: module.kernelSize, stride: module.stride, padding: module.padding,
    dilation: module instanceof MaxPool2d ? module.dilation : [1, 1], groups: 1, weight: null, bias: null, activation: null,
    countIncludePad: module instanceof AvgPool2d ? module.countIncludePad : true,
  };
}
