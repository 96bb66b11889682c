import { avgPoolDivisor, windowArgMax } from '@convlab/display';
import { fail, formatShape } from '../errors.js';
import { Conv2d } from '../nn/conv2d.js';
import { Flatten } from '../nn/flatten.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { AvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { resolveConvPadding } from '../shape/conv-geometry.js';
import type { Tensor } from '../tensor.js';
import { activationAfter, producerOf, sourceOf, traceCalls, type LayerCall } from './layer-calls.js';
import { batchOfOne, findModule } from './model-access.js';
import { checkOptions, opt } from '../options.js';

/** One unit of a layer's output: channel (or feature index of a linear layer), row, column. */
export interface UnitRef {
  readonly channel: number;
  readonly row: number;
  readonly col: number;
}

/** The layer whose output a unit reads: `layer` null means the model's input image. */
export interface SourceLayer {
  readonly layer: string | null;
  readonly type: string | null;
  /** Its output shape without the batch, `[C, H, W]` (or `[features]`). */
  readonly shape: readonly number[];
}

/** The activation layer right after the explained one, and its value at the unit. */
export interface FollowingActivation {
  readonly layer: string;
  readonly type: string;
  readonly value: number;
}

interface UnitBase {
  readonly layer: string;
  readonly type: string;
  readonly unit: UnitRef;
  readonly source: SourceLayer;
  /** The layer's own output at the unit, as the model computed it (float32). */
  readonly modelValue: number;
}

/**
 * A conv unit: `preActivation = Σ_{c,i,j} window[c][i][j]·kernel[c][i][j] + bias`. `rows[i]`
 * and `cols[j]` are the source positions kernel tap `(i, j)` reads; those outside the source are
 * padding and read 0.
 */
export interface ConvUnit extends UnitBase {
  readonly kind: 'conv';
  readonly rows: readonly number[];
  readonly cols: readonly number[];
  /** Source channels the kernel reads (its group's), in kernel order. */
  readonly inputChannels: readonly number[];
  /** `[inputChannels][kH][kW]` source values, 0 on padding. */
  readonly window: readonly (readonly (readonly number[])[])[];
  readonly kernel: readonly (readonly (readonly number[])[])[];
  /** `window ⊙ kernel`. */
  readonly products: readonly (readonly (readonly number[])[])[];
  /** Σ of each input channel's products. */
  readonly channelSums: readonly number[];
  readonly sum: number;
  readonly bias: number;
  readonly preActivation: number;
  readonly activation: FollowingActivation | null;
  /** Source units inside the image that the window reads (for chaining to the layer below). */
  readonly below: readonly UnitRef[];
}

/** A pooling unit: its window on one source channel (null on padding) and the chosen maximum or the average. */
export interface PoolUnit extends UnitBase {
  readonly kind: 'maxpool' | 'avgpool';
  readonly rows: readonly number[];
  readonly cols: readonly number[];
  readonly window: readonly (readonly (number | null)[])[];
  /** The max pool's chosen source position (the first maximum in row-major order); null for average pooling. */
  readonly argMax: { readonly row: number; readonly col: number } | null;
  /** The average pool's divisor (PyTorch's rule); null for max pooling. */
  readonly divisor: number | null;
  /** The maximum, or the window's sum ÷ divisor. */
  readonly value: number;
  readonly below: readonly UnitRef[];
}

/** One input of a linear unit and its contribution `input·weight`. */
export interface Contribution {
  readonly index: number;
  readonly input: number;
  readonly weight: number;
  readonly product: number;
  /** Where the input sits before a Flatten of feature maps, else null. */
  readonly position: UnitRef | null;
}

/** A linear unit: `preActivation = Σ_i input_i·weight_i + bias`, with the largest contributions. */
export interface LinearUnit extends UnitBase {
  readonly kind: 'linear';
  /** The `top` largest |products|, largest first. */
  readonly contributions: readonly Contribution[];
  /** Layer whose feature maps the flattened inputs came from (the `position`s refer to it), or null. */
  readonly positionsIn: SourceLayer | null;
  readonly inputs: number;
  readonly sum: number;
  readonly bias: number;
  readonly preActivation: number;
  readonly activation: FollowingActivation | null;
}

export type UnitExplanation = ConvUnit | PoolUnit | LinearUnit;

/** Options of {@link explainUnit}. */
export interface ExplainUnitOptions {
  /** A Conv2d, MaxPool2d, AvgPool2d or Linear layer, by name. */
  readonly layer: string;
  /** Output channel (a linear layer's output feature). */
  readonly channel: number;
  /** Output row and column; 0 (and ignored) for linear layers. */
  readonly row?: number;
  readonly col?: number;
  /** Linear layers: how many contributions to list. Default 10. */
  readonly top?: number;
}

/**
 * Shows the arithmetic behind one output unit of a layer for one image, with the numbers the
 * model used: for a conv unit its input window (from the layer's stride, padding and dilation),
 * kernel, products, their sum, the bias and the value before and after the activation that
 * follows; for a max or average pooling unit its window and the chosen maximum or the average;
 * for a linear unit its largest contributions. `modelValue` is the layer's own output at the unit,
 * so the arithmetic can be checked against it; `below` lists the units of the source layer the
 * window reads, to explain them in turn.
 * @example explainUnit(lenet, image, { layer: 'conv2', channel: 3, row: 4, col: 5 }).preActivation
 */
export function explainUnit(model: Module, image: Tensor, options: ExplainUnitOptions): UnitExplanation {
  checkOptions('explainUnit', options, { layer: opt.string, channel: opt.number, row: opt.number, col: opt.number, top: opt.number });
  const where = `explainUnit(layer '${options.layer}')`;
  const x = batchOfOne(image, where);
  const module = findModule(model, options.layer, where);
  if (!(module instanceof Conv2d || module instanceof MaxPool2d || module instanceof AvgPool2d || module instanceof Linear)) {
    fail(where, `explains Conv2d, MaxPool2d, AvgPool2d and Linear units, got a ${module.typeName}`);
  }
  const calls = traceCalls(model, x);
  const at = calls.findIndex((c) => c.module === module);
  if (at < 0) fail(where, `layer '${options.layer}' did not run in the forward pass`);
  const call = calls[at]!;
  const producer = producerOf(calls, at);
  const source = sourceOf(producer, call.input);
  if (module instanceof Linear) return explainLinear(module, calls, at, producer, source, options, where);
  const [, channels, outH, outW] = call.output.shape as [number, number, number, number];
  const { channel } = options;
  const row = options.row ?? -1;
  const col = options.col ?? -1;
  for (const [name, v, n] of [['channel', channel, channels], ['row', row, outH], ['col', col, outW]] as const) {
    if (!Number.isInteger(v) || v < 0 || v >= n) fail(where, `${name} must be an integer in [0, ${n - 1}] for output ${formatShape(call.output.shape)}, got ${v}`);
  }
  const unit = { channel, row, col };
  const k = (channel * outH + row) * outW + col;
  const base = { layer: options.layer, type: module.typeName, unit, source, modelValue: call.output.data[k]! };
  const input = call.input;
  return module instanceof Conv2d ? explainConv(module, input, base, activationAfter(calls, at, k)) : explainPool(module, input, base);
}

/** Source positions `start + i·step` for `count` taps. */
const taps = (start: number, count: number, step: number): number[] => Array.from({ length: count }, (_, i) => start + i * step);

/** Units of `channels` at every in-image (row, col) pair. */
function unitsInside(channels: readonly number[], rows: readonly number[], cols: readonly number[], h: number, w: number): UnitRef[] {
  const out: UnitRef[] = [];
  for (const channel of channels) {
    for (const row of rows) {
      if (row < 0 || row >= h) continue;
      for (const col of cols) if (col >= 0 && col < w) out.push({ channel, row, col });
    }
  }
  return out;
}

function explainConv(conv: Conv2d, input: Tensor, base: UnitBase, activation: FollowingActivation | null): ConvUnit {
  const [, , h, w] = input.shape as [number, number, number, number];
  const [kh, kw] = conv.kernelSize;
  const padding = resolveConvPadding(conv.padding, conv.kernelSize, conv.dilation, conv.stride, conv.label);
  const rows = taps(base.unit.row * conv.stride[0] - padding.top, kh, conv.dilation[0]);
  const cols = taps(base.unit.col * conv.stride[1] - padding.left, kw, conv.dilation[1]);
  const perGroup = conv.inChannels / conv.groups;
  const group = Math.floor(base.unit.channel / (conv.outChannels / conv.groups));
  const inputChannels = taps(group * perGroup, perGroup, 1);
  const xv = input.data;
  const wv = conv.weight.data;
  const at = (c: number, y: number, x: number): number => (y < 0 || y >= h || x < 0 || x >= w ? 0 : xv[(c * h + y) * w + x]!);
  const window = inputChannels.map((c) => rows.map((y) => cols.map((x) => at(c, y, x))));
  const kernel = inputChannels.map((_, ci) => rows.map((_y, i) => cols.map((_x, j) => wv[((base.unit.channel * perGroup + ci) * kh + i) * kw + j]!)));
  const products = window.map((plane, ci) => plane.map((line, i) => line.map((v, j) => v * kernel[ci]![i]![j]!)));
  const channelSums = products.map((plane) => plane.flat().reduce((a, b) => a + b, 0));
  const sum = channelSums.reduce((a, b) => a + b, 0);
  const bias = conv.bias?.data[base.unit.channel] ?? 0;
  return {
    ...base, kind: 'conv', rows, cols, inputChannels, window, kernel, products, channelSums, sum, bias,
    preActivation: sum + bias, activation, below: unitsInside(inputChannels, rows, cols, h, w),
  };
}

function explainPool(pool: MaxPool2d | AvgPool2d, input: Tensor, base: UnitBase): PoolUnit {
  const [, , h, w] = input.shape as [number, number, number, number];
  const [kh, kw] = pool.kernelSize;
  const dilation = pool instanceof MaxPool2d ? pool.dilation : [1, 1] as const;
  const rows = taps(base.unit.row * pool.stride[0] - pool.padding[0], kh, dilation[0]);
  const cols = taps(base.unit.col * pool.stride[1] - pool.padding[1], kw, dilation[1]);
  const xv = input.data;
  const c = base.unit.channel;
  const window = rows.map((y) => cols.map((x) => (y < 0 || y >= h || x < 0 || x >= w ? null : xv[(c * h + y) * w + x]!)));
  const below = unitsInside([c], rows, cols, h, w);
  if (pool instanceof MaxPool2d) {
    // PyTorch keeps the first maximum in row-major order, and a NaN wins.
    const chosen = windowArgMax(window, rows, cols);
    if (chosen === null) fail(`explainUnit(layer '${base.layer}')`, `the window of unit (${c}, ${base.unit.row}, ${base.unit.col}) lies entirely in the padding`);
    const { row, col, value } = chosen;
    return { ...base, kind: 'maxpool', rows, cols, window, argMax: { row, col }, divisor: null, value, below };
  }
  // PyTorch's divisor: the window clipped to the padded input, or to the image without countIncludePad.
  const divisor = avgPoolDivisor(rows[0]!, cols[0]!, [kh, kw], h, w, pool.padding, pool.countIncludePad);
  const total = window.flat().reduce<number>((s, v) => s + (v ?? 0), 0);
  return { ...base, kind: 'avgpool', rows, cols, window, argMax: null, divisor, value: total / divisor, below };
}

function explainLinear(
  linear: Linear, calls: readonly LayerCall[], at: number, producer: LayerCall | null, source: SourceLayer,
  options: ExplainUnitOptions, where: string,
): LinearUnit {
  const call = calls[at]!;
  const out = linear.outFeatures;
  const { channel } = options;
  if (call.input.rank !== 2) fail(where, `expected the linear layer's input [1, features], got ${formatShape(call.input.shape)}`);
  if (!Number.isInteger(channel) || channel < 0 || channel >= out) fail(where, `channel must be an output feature in [0, ${out - 1}], got ${channel}`);
  const top = options.top ?? 10;
  if (!Number.isInteger(top) || top < 1) fail(where, `top must be a positive integer, got ${top}`);
  const n = linear.inFeatures;
  const xv = call.input.data;
  const wv = linear.weight.data;
  const flattened = producer !== null && producer.module instanceof Flatten && producer.input.rank === 4 ? producer : null;
  const maps = flattened === null ? null : (flattened.input.shape.slice(1) as [number, number, number]);
  const all: Contribution[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const product = xv[i]! * wv[channel * n + i]!;
    sum += product;
    const position = maps === null ? null : { channel: Math.floor(i / (maps[1] * maps[2])), row: Math.floor(i / maps[2]) % maps[1], col: i % maps[2] };
    all.push({ index: i, input: xv[i]!, weight: wv[channel * n + i]!, product, position });
  }
  all.sort((a, b) => Math.abs(b.product) - Math.abs(a.product) || a.index - b.index);
  const bias = linear.bias?.data[channel] ?? 0;
  return {
    layer: options.layer, type: linear.typeName, unit: { channel, row: 0, col: 0 }, source, modelValue: call.output.data[channel]!,
    kind: 'linear', contributions: all.slice(0, top),
    positionsIn: flattened === null ? null : sourceOf(producerOf(calls, calls.indexOf(flattened)), flattened.input),
    inputs: n, sum, bias, preActivation: sum + bias, activation: activationAfter(calls, at, channel),
  };
}
