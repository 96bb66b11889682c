import type { onnx } from 'onnx-proto';
import { fail, formatShape } from '../errors.js';
import { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from '../nn/activation.js';
import { BatchNorm1d, BatchNorm2d } from '../nn/batch-norm2d.js';
import { ConvTranspose2d } from '../nn/conv-transpose2d.js';
import { Conv2d } from '../nn/conv2d.js';
import { Dropout, Dropout2d } from '../nn/dropout.js';
import { Flatten } from '../nn/flatten.js';
import { Identity } from '../nn/identity.js';
import { LayerNorm } from '../nn/layer-norm.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { Upsample } from '../nn/upsample.js';
import type { InterpolateOptions } from '../ops/interpolate.js';
import type { PaddingMode } from '../nn/conv2d.js';
import type { ConvPadding } from '../shape/conv-geometry.js';
import type { IntPair, Pair } from '../shape/pair.js';
import type { Tensor } from '../tensor.js';
import { readAttributes } from './onnx-tensors.js';

/** The ONNX operators {@link layerForNode} turns into layers (merges and GlobalAveragePool → Flatten are handled by the importer). */
export const LAYER_OPERATORS = [
  'Conv', 'ConvTranspose', 'Resize', 'Gemm', 'BatchNormalization', 'LayerNormalization', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Flatten', 'Reshape', 'Dropout',
  'Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Gelu', 'Softmax', 'LogSoftmax', 'Identity',
] as const;

/** A constant (initializer or Constant node) with its dims. */
export interface Constant {
  readonly dims: readonly number[];
  readonly values: Float32Array;
}

/** What a layer node reads: its attributes, its first (data) input, and its constant inputs in order (undefined where omitted). */
export interface LayerNode {
  readonly node: onnx.INodeProto;
  readonly opset: number;
  readonly where: string;
  readonly constants: readonly (Constant | undefined)[];
  /** A Conv's padding mode when a Pad node before it was folded into its pads (default 'zeros'). */
  readonly paddingMode?: PaddingMode;
}

const pair = (v: number[] | undefined, fallback: number): Pair => (v === undefined ? [fallback, fallback] : [v[0]!, v[1]!]);
/** The shortest decimal that is the same float32 as `v` (ONNX stores float attributes in float32: 0.2 comes back as 0.20000000298…). */
export function float32Decimal(v: number): number {
  for (let digits = 1; digits < 17; digits++) {
    const d = Number(v.toPrecision(digits));
    if (Math.fround(d) === Math.fround(v)) return d;
  }
  return v;
}

/** A pooling argument as PyTorch users write it: one number when both axes agree (so reprs read `kernel_size=3`). */
const short = (p: Pair): IntPair => (p[0] === p[1] ? p[0] : p);

function copy(target: Tensor, source: Constant | undefined, what: string, where: string, transpose = false): void {
  if (source === undefined) fail(where, `the ${what} input must be a constant (an initializer)`);
  const expected = transpose ? [target.shape[1]!, target.shape[0]!] : target.shape;
  if (source.values.length !== target.size) fail(where, `${what} has shape ${formatShape(source.dims)}, expected ${formatShape(expected)}`);
  if (!transpose) {
    target.data.set(source.values);
    return;
  }
  const [rows, cols] = [target.shape[0]!, target.shape[1]!];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) target.data[r * cols + c] = source.values[c * rows + r]!;
}

/** The node's symmetric 2-D pads as a pair, checking auto_pad; `sameAllowed` maps SAME_UPPER (and matching explicit pads) to 'same'. */
function padsOf(a: Map<string, unknown>, where: string): { begin: Pair; end: Pair } {
  const autoPad = (a.get('auto_pad') as string | undefined) ?? 'NOTSET';
  if (autoPad === 'VALID') return { begin: [0, 0], end: [0, 0] };
  if (autoPad !== 'NOTSET') fail(where, `auto_pad ${autoPad} is not supported; write explicit pads`);
  const p = (a.get('pads') as number[] | undefined) ?? [0, 0, 0, 0];
  if (p.length !== 4) fail(where, `expected 4 pads (2-D), got ${p.length}`);
  return { begin: [p[0]!, p[1]!], end: [p[2]!, p[3]!] };
}

/** Parses `AdaptiveAvgPool2d(output_size=7)` or `…=(3, 2))`, as exportOnnx writes in the doc string. */
function adaptiveOutputSize(doc: string): IntPair | null {
  const m = /^AdaptiveAvgPool2d\(output_size=(?:(\d+)|\((\d+), (\d+)\))\)$/.exec(doc);
  if (m === null) return null;
  return m[1] !== undefined ? Number(m[1]) : [Number(m[2]), Number(m[3])];
}

/** Parses `Flatten(start_dim=2, end_dim=-1)` from exportOnnx's doc string. */
function flattenDims(doc: string): [number, number] | null {
  const m = /^Flatten\(start_dim=(-?\d+), end_dim=(-?\d+)\)$/.exec(doc);
  return m === null ? null : [Number(m[1]), Number(m[2])];
}

/**
 * Pooling window options shared by MaxPool and AveragePool. Pads that differ at the end by less
 * than a stride are read as ceil mode with the begin padding: how exportOnnx writes a ceil-mode
 * layer whose last window PyTorch drops (its output size then agrees for the graph's input size).
 */
function poolWindow(a: Map<string, unknown>, where: string): { kernel: Pair; stride: Pair; padding: Pair; ceilMode: boolean } {
  const k = a.get('kernel_shape') as number[] | undefined;
  if (k === undefined || k.length !== 2) fail(where, `expected a 2-D kernel_shape, got ${JSON.stringify(k)}`);
  const kernel: Pair = [k[0]!, k[1]!];
  const stride = pair(a.get('strides') as number[] | undefined, 1);
  const { begin, end } = padsOf(a, where);
  const asymmetric = begin[0] !== end[0] || begin[1] !== end[1];
  const ceilMode = a.get('ceil_mode') === 1;
  if (asymmetric && (ceilMode || [0, 1].some((axis) => Math.abs(end[axis]! - begin[axis]!) >= stride[axis]!))) {
    fail(where, `asymmetric pads ${JSON.stringify([...begin, ...end])} are not supported`);
  }
  return { kernel, stride, padding: begin, ceilMode: ceilMode || asymmetric };
}

/**
 * Upsample's options from a Resize node: constant scales `[1, 1, sH, sW]` give a scale factor,
 * sizes `[N, C, H, W]` (N and C may be unknown: computed from the input's shape) a size; the
 * sampling must be one of PyTorch's (see exportOnnx's resizeAttributes). The doc string tells
 * whether the layer was written with a pair (`size=(7, 9)`) or one number.
 */
function resizeOptions(a: Map<string, unknown>, constants: readonly (Constant | undefined)[], opset: number, doc: string, where: string): InterpolateOptions {
  if (opset < 11) fail(where, `Resize before opset 11 has other sampling rules; convlab imports Resize from opset 11 on, the file has opset ${opset}`);
  const mode = (a.get('mode') as string | undefined) ?? 'nearest';
  const transform = (a.get('coordinate_transformation_mode') as string | undefined) ?? 'half_pixel';
  const nearest = mode === 'nearest' && transform === 'asymmetric' && ((a.get('nearest_mode') as string | undefined) ?? 'round_prefer_floor') === 'floor';
  const linear = mode === 'linear' && ['half_pixel', 'pytorch_half_pixel', 'align_corners'].includes(transform);
  if (!nearest && !linear) {
    fail(where, `sampling mode '${mode}' with coordinate_transformation_mode '${transform}' is not one of PyTorch's; ` +
      `convlab imports nearest (asymmetric, floor) and linear (half_pixel, pytorch_half_pixel, align_corners)`);
  }
  const sampling: InterpolateOptions = nearest ? { mode: 'nearest' } : { mode: 'bilinear', alignCorners: transform === 'align_corners' };
  const [scales, sizes] = [constants[2], constants[3]];
  const spatial = (c: Constant, what: string): Pair => {
    if (c.values.length !== 4) fail(where, `expected 4 ${what} (N, C, H, W), got ${c.values.length}`);
    return [c.values[2]!, c.values[3]!];
  };
  const pairOrOne = (p: Pair, field: string): IntPair => (doc.includes(`${field}=(`) ? p : short(p));
  if (scales !== undefined && scales.values.length > 0) {
    if (scales.values[0] !== 1 || scales.values[1] !== 1) fail(where, `only spatial scales are supported, got scales [${[...scales.values].join(', ')}]`);
    const [sh, sw] = spatial(scales, 'scales');
    return { ...sampling, scaleFactor: pairOrOne([float32Decimal(sh), float32Decimal(sw)], 'scale_factor') };
  }
  if (sizes === undefined) return fail(where, 'needs constant scales or sizes whose H and W are known at import');
  const size = spatial(sizes, 'sizes');
  if (size.some((d) => !Number.isInteger(d) || d < 1)) fail(where, `needs sizes whose H and W are known at import, got [${[...sizes.values].join(', ')}]`);
  return { ...sampling, size: pairOrOne(size, 'size') };
}

/**
 * The convlab layer for one ONNX node, with its weights copied from the node's constant inputs,
 * or null for an operator it does not know.
 */
export function layerForNode({ node, opset, where, constants, paddingMode = 'zeros' }: LayerNode): Module | null {
  const a = readAttributes(node);
  const doc = node.docString ?? '';
  const int = (name: string, fallback: number): number => (a.get(name) as number | undefined) ?? fallback;
  switch (node.opType) {
    case 'Conv': {
      const w = constants[1];
      if (w === undefined || w.dims.length !== 4) return fail(where, `expected a constant 4-D weight, got ${w === undefined ? 'a computed one' : formatShape(w.dims)}`);
      const [out, inPerGroup, kh, kw] = w.dims as [number, number, number, number];
      const groups = int('group', 1);
      const stride = pair(a.get('strides') as number[] | undefined, 1);
      const dilation = pair(a.get('dilations') as number[] | undefined, 1);
      const { begin, end } = padsOf(a, where);
      // 'same' and 'valid' come back as such when the pads agree (exportOnnx keeps the layer's repr in the doc string).
      const total = [dilation[0] * (kh - 1), dilation[1] * (kw - 1)];
      const same = stride[0] === 1 && stride[1] === 1 && [0, 1].every((i) => begin[i] === Math.floor(total[i]! / 2) && end[i] === total[i]! - begin[i]!);
      const zero = [...begin, ...end].every((p) => p === 0);
      let padding: ConvPadding = begin;
      if (same && (doc.includes('padding=same') || begin[0] !== end[0] || begin[1] !== end[1])) padding = 'same';
      else if (begin[0] !== end[0] || begin[1] !== end[1]) fail(where, `asymmetric pads ${JSON.stringify([...begin, ...end])} are not supported`);
      else if (zero && doc.includes('padding=valid')) padding = 'valid';
      const conv = new Conv2d(inPerGroup * groups, out, [kh, kw], { stride, dilation, groups, padding, paddingMode, bias: constants[2] !== undefined });
      copy(conv.weight, w, 'weight', where);
      if (conv.bias !== null) copy(conv.bias, constants[2], 'bias', where);
      return conv;
    }
    case 'ConvTranspose': {
      const w = constants[1];
      if (w === undefined || w.dims.length !== 4) return fail(where, `expected a constant 4-D weight, got ${w === undefined ? 'a computed one' : formatShape(w.dims)}`);
      if (a.has('output_shape')) fail(where, 'output_shape is not supported; write pads and output_padding');
      const [inChannels, outPerGroup, kh, kw] = w.dims as [number, number, number, number];
      const groups = int('group', 1);
      const { begin, end } = padsOf(a, where);
      if (begin[0] !== end[0] || begin[1] !== end[1]) fail(where, `asymmetric pads ${JSON.stringify([...begin, ...end])} are not supported`);
      const conv = new ConvTranspose2d(inChannels, outPerGroup * groups, [kh, kw], {
        stride: pair(a.get('strides') as number[] | undefined, 1), padding: begin, outputPadding: pair(a.get('output_padding') as number[] | undefined, 0),
        dilation: pair(a.get('dilations') as number[] | undefined, 1), groups, bias: constants[2] !== undefined,
      });
      copy(conv.weight, w, 'weight', where);
      if (conv.bias !== null) copy(conv.bias, constants[2], 'bias', where);
      return conv;
    }
    case 'Resize':
      return new Upsample(resizeOptions(a, constants, opset, doc, where));
    case 'Gemm': {
      if (int('transA', 0) !== 0 || (a.get('alpha') ?? 1) !== 1 || (a.get('beta') ?? 1) !== 1) fail(where, 'only Gemm with transA = 0, alpha = 1, beta = 1 (a linear layer) is supported');
      const w = constants[1];
      if (w === undefined || w.dims.length !== 2) return fail(where, `expected a constant 2-D weight, got ${w === undefined ? 'a computed one' : formatShape(w.dims)}`);
      const transB = int('transB', 0) === 1;
      const [out, inF] = transB ? [w.dims[0]!, w.dims[1]!] : [w.dims[1]!, w.dims[0]!];
      const linear = new Linear(inF, out, { bias: constants[2] !== undefined });
      copy(linear.weight, w, 'weight', where, !transB);
      if (linear.bias !== null) copy(linear.bias, constants[2], 'bias', where);
      return linear;
    }
    case 'BatchNormalization': {
      if (int('training_mode', 0) !== 0 || (node.output ?? []).length > 1) fail(where, 'only inference batch normalization (training_mode 0, one output) is supported');
      const scale = constants[1];
      if (scale === undefined) return fail(where, 'the scale input must be a constant (an initializer)');
      const eps = float32Decimal((a.get('epsilon') as number | undefined) ?? 1e-5);
      const momentum = Number((1 - float32Decimal((a.get('momentum') as number | undefined) ?? 0.9)).toPrecision(12));
      // exportOnnx writes a BatchNorm2d without affine parameters with scale 1 and shift 0, and says so in the doc string.
      const affine = !(doc.includes('affine=False') && scale.values.every((v) => v === 1) && (constants[2]?.values.every((v) => v === 0) ?? false));
      // exportOnnx keeps a BatchNorm1d's repr in the doc string; ONNX's operator takes [N, C, …] of any rank.
      const bn = new (doc.startsWith('BatchNorm1d(') ? BatchNorm1d : BatchNorm2d)(scale.values.length, { eps, momentum, affine });
      if (affine) {
        copy(bn.weight!, scale, 'scale', where);
        copy(bn.bias!, constants[2], 'B', where);
      }
      copy(bn.runningMean!, constants[3], 'input_mean', where);
      copy(bn.runningVar!, constants[4], 'input_var', where);
      return bn;
    }
    case 'MaxPool': {
      if ((node.output ?? []).length > 1) fail(where, 'MaxPool with an Indices output is not supported');
      const w = poolWindow(a, where);
      const dilation = short(pair(a.get('dilations') as number[] | undefined, 1));
      return new MaxPool2d(short(w.kernel), { stride: short(w.stride), padding: short(w.padding), dilation, ceilMode: w.ceilMode });
    }
    case 'AveragePool': {
      const adaptive = adaptiveOutputSize(doc);
      if (adaptive !== null) return new AdaptiveAvgPool2d(adaptive);
      const w = poolWindow(a, where);
      return new AvgPool2d(short(w.kernel), { stride: short(w.stride), padding: short(w.padding), ceilMode: w.ceilMode, countIncludePad: int('count_include_pad', 0) === 1 });
    }
    case 'GlobalAveragePool':
      return new AdaptiveAvgPool2d(adaptiveOutputSize(doc) ?? 1);
    case 'Flatten': {
      const axis = int('axis', 1);
      if (axis < 1) fail(where, `Flatten with axis ${axis} would flatten the batch; only axis ≥ 1 is supported`);
      return new Flatten(axis, -1);
    }
    case 'Reshape': {
      const dims = flattenDims(doc);
      if (dims !== null) return new Flatten(...dims);
      const shape = constants[1];
      const flat = shape !== undefined && shape.values.length === 2 && (shape.values[0] === 0 || shape.values[0] === -1 || shape.values[1] === -1);
      if (!flat) fail(where, `Reshape is supported as a flatten to [batch, features] only, got target shape ${shape === undefined ? 'computed at run time' : formatShape([...shape.values])}`);
      return new Flatten();
    }
    case 'LayerNormalization': {
      if ((node.output ?? []).length > 1) fail(where, 'only LayerNormalization with one output (no saved mean and inverse deviation) is supported');
      const scale = constants[1];
      if (scale === undefined) return fail(where, 'the scale input must be a constant (an initializer)');
      const axis = int('axis', -1);
      if (axis !== -scale.dims.length) fail(where, `normalizes from axis ${axis} with a scale of shape ${formatShape(scale.dims)}; convlab's ` +
        `LayerNorm normalizes the last ${scale.dims.length} axes (axis ${-scale.dims.length})`);
      const affine = !(doc.includes('elementwise_affine=False') && scale.values.every((v) => v === 1) && (constants[2]?.values.every((v) => v === 0) ?? true));
      const ln = new LayerNorm(scale.dims, { eps: float32Decimal((a.get('epsilon') as number | undefined) ?? 1e-5), elementwiseAffine: affine });
      if (affine) {
        copy(ln.weight!, scale, 'scale', where);
        if (constants[2] !== undefined) copy(ln.bias!, constants[2], 'B', where);
        else ln.bias!.data.fill(0);
      }
      return ln;
    }
    case 'Dropout':
      if (doc.startsWith('Dropout2d(')) return new Dropout2d(float32Decimal(constants[1]?.values[0] ?? 0.5));
      return new Dropout(float32Decimal(constants[1]?.values[0] ?? (opset < 12 ? ((a.get('ratio') as number | undefined) ?? 0.5) : 0.5)));
    case 'Relu':
      return new ReLU();
    case 'Sigmoid':
      return new Sigmoid();
    case 'Tanh':
      return new Tanh();
    case 'Gelu': {
      const approximate = (a.get('approximate') as string | undefined) ?? 'none';
      if (approximate !== 'none' && approximate !== 'tanh') fail(where, `approximate must be 'none' or 'tanh', got '${approximate}'`);
      return new GELU(approximate);
    }
    case 'LeakyRelu':
      return new LeakyReLU(float32Decimal((a.get('alpha') as number | undefined) ?? 0.01));
    case 'Softmax':
    case 'LogSoftmax': {
      if (opset < 13) fail(where, `${node.opType} before opset 13 flattens its input to 2-D; convlab imports opset ≥ 13 models`);
      const axis = int('axis', -1);
      return node.opType === 'Softmax' ? new Softmax(axis) : new LogSoftmax(axis);
    }
    case 'Identity':
      return new Identity();
    default:
      return null;
  }
}
