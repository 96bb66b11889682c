import { fail, formatShape } from '../errors.js';
import { ConvTranspose2d } from '../nn/conv-transpose2d.js';
import { Dropout, Dropout2d } from '../nn/dropout.js';
import { LayerNorm } from '../nn/layer-norm.js';
import { Upsample } from '../nn/upsample.js';
import { interpolateSize } from '../ops/interpolate.js';
import { convTranspose2dGeometry } from '../shape/conv-transpose-geometry.js';
import { ReLU, Sigmoid, Tanh, LeakyReLU, GELU, Softmax, LogSoftmax } from '../nn/activation.js';
import { BatchNorm1d, BatchNorm2d } from '../nn/batch-norm2d.js';
import { Conv2d } from '../nn/conv2d.js';
import { Flatten } from '../nn/flatten.js';
import { Identity } from '../nn/identity.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { AdaptiveAvgPool2d, AvgPool2d, GlobalAvgPool2d, MaxPool2d, MaxUnpool2d } from '../nn/pooling.js';
import { conv2dGeometry, effectiveKernel } from '../shape/conv-geometry.js';
import { pool2dGeometry } from '../shape/pool-geometry.js';
import type { Pair } from '../shape/pair.js';
import { shapeSize, type Shape } from '../tensor.js';
import type { FieldStep } from './receptive-field.js';

/** What one call of a layer does to one sample, computed from its configuration and input shape alone. */
export interface LayerAnalysis {
  /** Output shape of one sample (no batch dimension). */
  readonly output: Shape;
  /**
   * Multiply-accumulates for one sample: `C_out·H_out·W_out·(C_in/groups)·kH·kW` for a conv, `in·out` for a
   * linear layer, 0 for layers without weights (biases, additions and comparisons are not counted).
   */
  readonly macs: number;
  /** How the layer changes its units' receptive field. */
  readonly field: FieldStep;
}

/**
 * The analysis of one layer type. `analyze` must not touch weights or data; it throws a
 * `ConvlabError` prefixed with `where` for an input the layer cannot take.
 */
export interface LayerRule<M extends Module> {
  /** `image` is the model input's H×W (`[1, 1]` for a vector model), for layers that restore it (FCN's upsampling). */
  analyze(layer: M, input: Shape, where: string, image: Pair): LayerAnalysis;
  /**
   * Whether the layer acts on each spatial position alone (element-wise, or across channels only),
   * so `fullyConvolutional` keeps it unchanged in a converted head. Absent means no.
   */
  perPosition?(layer: M): boolean;
}

// Rules are looked up by constructor; any module type maps to the rule of its own layer type.
type LayerType<M extends Module> = abstract new (...args: never[]) => M;
const rules = new Map<LayerType<Module>, LayerRule<Module>>();

/**
 * Teaches `summary()` a layer type of your own (subclasses inherit their parent's rule).
 * @example registerLayerRule(Swish, { analyze: (layer, input) => ({ output: input, macs: 0, field: { kind: 'pointwise' } }) })
 */
export function registerLayerRule<M extends Module>(type: LayerType<M>, rule: LayerRule<M>): void {
  rules.set(type, rule as LayerRule<Module>);
}

/** The rule for `layer`'s type or its nearest ancestor type, or null. */
export function layerRule(layer: Module): LayerRule<Module> | null {
  for (let proto: unknown = Object.getPrototypeOf(layer); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const rule = rules.get((proto as { constructor: LayerType<Module> }).constructor);
    if (rule !== undefined) return rule;
  }
  return null;
}

function image(input: Shape, where: string): [number, number, number] {
  if (input.length !== 3) fail(where, `expected a [C, H, W] input, got ${formatShape(input)}`);
  return input as [number, number, number];
}

const pointwise = (input: Shape): LayerAnalysis => ({ output: input, macs: 0, field: { kind: 'pointwise' } });

registerLayerRule(Conv2d, {
  analyze(layer, input, where) {
    const [kh, kw] = layer.kernelSize;
    const g = conv2dGeometry([1, ...image(input, where)], [layer.outChannels, layer.inChannels / layer.groups, kh, kw], layer, where);
    return {
      output: [g.outChannels, g.outH, g.outW],
      macs: g.outChannels * g.outH * g.outW * (g.inChannels / g.groups) * kh * kw,
      field: { kind: 'window', kernel: [effectiveKernel(kh, g.dilationH), effectiveKernel(kw, g.dilationW)], stride: [g.strideH, g.strideW], padding: [g.padding.top, g.padding.left] },
    };
  },
});

registerLayerRule(MaxPool2d, {
  analyze(layer, input, where) {
    const g = pool2dGeometry([1, ...image(input, where)], layer, where);
    return {
      output: [g.channels, g.outH, g.outW],
      macs: 0,
      field: { kind: 'window', kernel: [effectiveKernel(g.kH, g.dilationH), effectiveKernel(g.kW, g.dilationW)], stride: [g.strideH, g.strideW], padding: [g.padH, g.padW] },
    };
  },
});

registerLayerRule(AvgPool2d, {
  analyze(layer, input, where) {
    const g = pool2dGeometry([1, ...image(input, where)], layer, where);
    return { output: [g.channels, g.outH, g.outW], macs: 0, field: { kind: 'window', kernel: [g.kH, g.kW], stride: [g.strideH, g.strideW], padding: [g.padH, g.padW] } };
  },
});

/**
 * Adaptive pooling's windows along one axis of length `n` pooled to `out` cells: cell `i` spans
 * `floor(i·n/out) … ceil((i+1)·n/out) − 1`. Returns the equivalent regular window (kernel, stride)
 * when all windows have one size and one spacing, else null; `whole` when each spans all of `n`.
 */
export function adaptiveWindow(n: number, out: number): { regular: [kernel: number, stride: number] | null; whole: boolean } {
  const start = (i: number): number => Math.floor((i * n) / out);
  const size = (i: number): number => Math.ceil(((i + 1) * n) / out) - start(i);
  const whole = size(0) === n && start(out - 1) === 0;
  if (out === 1) return { regular: [n, n], whole };
  const step = start(1) - start(0);
  for (let i = 1; i < out; i++) if (size(i) !== size(0) || start(i) - start(i - 1) !== step || step < 1) return { regular: null, whole };
  return { regular: [size(0), step], whole };
}

registerLayerRule(AdaptiveAvgPool2d, {
  analyze(layer, input, where) {
    const [c, h, w] = image(input, where);
    if (h < 1 || w < 1) fail(where, `expected an input with non-empty H and W, got ${formatShape(input)}`);
    const [oh, ow] = layer.outputSize;
    const rows = adaptiveWindow(h, oh);
    const cols = adaptiveWindow(w, ow);
    const field: FieldStep =
      rows.regular !== null && cols.regular !== null
        ? { kind: 'window', kernel: [rows.regular[0], cols.regular[0]], stride: [rows.regular[1], cols.regular[1]], padding: [0, 0] }
        : { kind: 'irregular', wholeMap: rows.whole && cols.whole };
    return { output: [c, oh, ow], macs: 0, field };
  },
});

registerLayerRule(GlobalAvgPool2d, {
  analyze(_layer, input, where) {
    const [c, h, w] = image(input, where);
    if (h < 1 || w < 1) fail(where, `expected an input with non-empty H and W, got ${formatShape(input)}`);
    return { output: [c], macs: 0, field: { kind: 'dense' } };
  },
});

registerLayerRule(Linear, {
  analyze(layer, input, where) {
    if (input.length !== 1 || input[0] !== layer.inFeatures) {
      const hint = input.length > 1 && shapeSize(input) === layer.inFeatures ? ' (flatten it first)' : '';
      fail(where, `expected input [${layer.inFeatures}], got ${formatShape(input)}${hint}`);
    }
    return { output: [layer.outFeatures], macs: layer.inFeatures * layer.outFeatures, field: { kind: 'dense' } };
  },
});

registerLayerRule(Flatten, {
  analyze(layer, input, where) {
    const rank = input.length + 1;
    const start = layer.startDim < 0 ? rank + layer.startDim : layer.startDim;
    const end = layer.endDim < 0 ? rank + layer.endDim : layer.endDim;
    if (start < 1 || end >= rank || start > end) {
      fail(where, `dims ${layer.startDim}..${layer.endDim} must lie in 1..${rank - 1} (after the batch) for input shape [N,${input.join(',')}]`);
    }
    const output = [...input.slice(0, start - 1), shapeSize(input.slice(start - 1, end)), ...input.slice(end)];
    return { output, macs: 0, field: output.length === input.length ? { kind: 'pointwise' } : { kind: 'reshape' } };
  },
});

registerLayerRule(BatchNorm2d, {
  analyze(layer, input, where) {
    const [c] = image(input, where);
    if (c !== layer.numFeatures) fail(where, `expected ${layer.numFeatures} channels, got ${c} (input shape ${formatShape(input)})`);
    return pointwise(input);
  },
});

registerLayerRule(BatchNorm1d, {
  analyze(layer, input, where) {
    if ((input.length !== 1 && input.length !== 2) || input[0] !== layer.numFeatures) {
      fail(where, `expected input [${layer.numFeatures}] or [${layer.numFeatures}, L], got ${formatShape(input)}`);
    }
    return pointwise(input);
  },
  perPosition: () => true,
});

registerLayerRule(LayerNorm, {
  analyze(layer, input, where) {
    const k = layer.normalizedShape.length;
    if (input.length < k || layer.normalizedShape.some((d, i) => d !== input[input.length - k + i])) {
      fail(where, `expected an input ending in ${formatShape(layer.normalizedShape)}, got ${formatShape(input)}`);
    }
    return pointwise(input);
  },
});

/** Upsampling layers: each output unit mixes a few input units at a fractional spacing, so the field is irregular. */
const upsampled: FieldStep = { kind: 'irregular', wholeMap: false };

registerLayerRule(ConvTranspose2d, {
  analyze(layer, input, where) {
    const [kh, kw] = layer.kernelSize;
    const g = convTranspose2dGeometry([1, ...image(input, where)], [layer.inChannels, layer.outChannels / layer.groups, kh, kw], layer.convOptions, where);
    return {
      output: [g.inChannels, g.inH, g.inW],
      macs: g.outChannels * g.outH * g.outW * (g.inChannels / g.groups) * kh * kw,
      field: upsampled,
    };
  },
});

registerLayerRule(Upsample, {
  analyze(layer, input, where) {
    const [c, h, w] = image(input, where);
    if (h < 1 || w < 1) fail(where, `expected an input with non-empty H and W, got ${formatShape(input)}`);
    const { size } = interpolateSize(h, w, layer.options, where);
    return { output: [c, ...size], macs: 0, field: upsampled };
  },
});

registerLayerRule(MaxUnpool2d, {
  analyze(layer, input, where) {
    const [c, h, w] = image(input, where);
    const size = (n: number, a: 0 | 1): number => (n - 1) * layer.stride[a] - 2 * layer.padding[a] + layer.kernelSize[a];
    return { output: [c, size(h, 0), size(w, 1)], macs: 0, field: upsampled };
  },
});

/** Layers that change values one at a time: the same shape out, no MACs, the field unchanged. */
const ELEMENTWISE: readonly LayerType<Module>[] = [ReLU, Sigmoid, Tanh, LeakyReLU, GELU, Dropout, Dropout2d, Identity];
for (const type of ELEMENTWISE) registerLayerRule<Module>(type, { analyze: (_layer, input) => pointwise(input), perPosition: () => true });

/** Softmax along channels keeps the spatial field; over a vector every output depends on every input. */
function softmaxRule(layer: Softmax | LogSoftmax, input: Shape, where: string): LayerAnalysis {
  const rank = input.length + 1;
  const dim = layer.dim < 0 ? rank + layer.dim : layer.dim;
  if (dim < 1 || dim >= rank) fail(where, `dim ${layer.dim} must be a non-batch dimension of input shape [N,${input.join(',')}]`);
  const field: FieldStep = input.length === 1 ? { kind: 'dense' } : dim === 1 ? { kind: 'pointwise' } : { kind: 'irregular', wholeMap: false };
  return { output: input, macs: 0, field };
}
const softmaxOverChannels = (layer: Softmax | LogSoftmax): boolean => layer.dim === 1;
registerLayerRule(Softmax, { analyze: softmaxRule, perPosition: softmaxOverChannels });
registerLayerRule(LogSoftmax, { analyze: softmaxRule, perPosition: softmaxOverChannels });
