import type { Checker } from './checker.js';
import { avgPoolDivisor, windowArgMax } from './pool-window.js';
import { fromFloatValue, toFloatValue, type FloatValue } from './common.js';
import type { UnitData, UnitPosition, UnitSource } from './unit.js';

/** Most numbers (input, output, weights) a feature-map layer's arithmetic may carry. */
export const MAX_ARITHMETIC_VALUES = 60_000;

/**
 * What a browser needs to redo the arithmetic of any unit of one conv or pooling layer: its
 * input and output values (row-major, exact float32 values), geometry and weights. Sent with a
 * feature-map layer so that clicking a unit opens its step-through (see {@link unitFromArithmetic}).
 */
export interface LayerArithmeticData {
  readonly kind: 'conv' | 'maxpool' | 'avgpool';
  /** The layer the input comes from; `shape` is `[C, H, W]`. */
  readonly source: UnitSource;
  readonly input: readonly FloatValue[];
  /** The layer's own output, in the layer's full `shape`. */
  readonly output: readonly FloatValue[];
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  /** Padding before the first row and column. */
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
  /** Conv: `[C', C/groups, kH, kW]` and `[C']` (null without bias); pooling: null. */
  readonly weight: readonly FloatValue[] | null;
  readonly bias: readonly FloatValue[] | null;
  readonly activation: { readonly layer: string; readonly type: 'ReLU' | 'Sigmoid' | 'Tanh' } | null;
  readonly countIncludePad: boolean;
}

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Validates `value` as the arithmetic of a layer whose output has full shape `outputShape`. */
export function checkArithmetic(c: Checker, path: string, value: unknown, outputShape: readonly number[] | null): boolean {
  if (!c.object(path, value)) return false;
  const kind = value['kind'];
  const ok = [c.oneOf(`${path}.kind`, kind, ['conv', 'maxpool', 'avgpool'] as const)];
  for (const key of ['kernelSize', 'stride', 'dilation']) ok.push(c.integers(`${path}.${key}`, value[key], 2, 1));
  ok.push(c.integers(`${path}.padding`, value['padding'], 2, 0), c.integer(`${path}.groups`, value['groups'], 1), c.boolean(`${path}.countIncludePad`, value['countIncludePad']));
  const source = value['source'];
  const sourceOk = c.object(`${path}.source`, source)
    && (source['layer'] === null || c.string(`${path}.source.layer`, source['layer']))
    && (source['type'] === null || c.string(`${path}.source.type`, source['type']))
    && c.integers(`${path}.source.shape`, source['shape'], 3, 1);
  ok.push(sourceOk);
  const act = value['activation'];
  if (act !== null) ok.push(
    c.object(`${path}.activation`, act) && c.string(`${path}.activation.layer`, act['layer']) && c.oneOf(`${path}.activation.type`, act['type'], ['ReLU', 'Sigmoid', 'Tanh'] as const)
  );
  if (!ok.every(Boolean) || outputShape === null) return false;
  const [cin] = (source as { shape: number[] }).shape as [number];
  const [cout] = outputShape as [number];
  const [kh, kw] = value['kernelSize'] as [number, number];
  const groups = value['groups'] as number;
  const sizes: [string, number | null][] = [
    ['input', product((source as { shape: number[] }).shape)],
    ['output', product(outputShape)],
    ['weight', kind === 'conv' ? cout * (cin / groups) * kh * kw : null],
    ['bias', kind === 'conv' && value['bias'] !== null ? cout : null],
  ];
  const total = sizes.reduce((s, [, n]) => s + (n ?? 0), 0);
  if (!c.require(path, total <= MAX_ARITHMETIC_VALUES, `${total} values are more than the ${MAX_ARITHMETIC_VALUES} a step-through carries`)) return false;
  if (kind === 'conv') ok.push(c.require(`${path}.groups`, cin % groups === 0 && cout % groups === 0, `expected a divisor of ${cin} and ${cout}, got ${groups}`));
  for (const [key, n] of sizes) {
    const v = value[key];
    if (n === null) { ok.push(v === null || key === 'bias' || c.fail(`${path}.${key}`, 'null for a pooling layer', v)); continue; }
    if (!c.array(`${path}.${key}`, v)) { ok.push(false); continue; }
    ok.push(c.require(`${path}.${key}`, v.length === n, `expected ${n} values, got ${v.length}`));
    for (let i = 0; i < v.length; i++) if (!c.float(`${path}.${key}[${i}]`, v[i])) { ok.push(false); break; }
  }
  return ok.every(Boolean);
}

/** A stored value as the float32 it stands for (payloads spell float32s as their shortest decimals). */
const f32 = (v: FloatValue): number => Math.fround(fromFloatValue(v));

const ACTIVATE = { ReLU: (x: number) => Math.max(0, x), Sigmoid: (x: number) => 1 / (1 + Math.exp(-x)), Tanh: Math.tanh };

/**
 * The step-through of unit `unit` of a layer (name `layer`, type `type`, full output shape
 * `shape` `[C', H', W']`) from its arithmetic: the same numbers `explainUnit` gives in the kernel.
 */
export function unitFromArithmetic(layer: string, type: string, shape: readonly number[], a: LayerArithmeticData, unit: UnitPosition): UnitData {
  const [, outH, outW] = shape as [number, number, number];
  const [cin, h, w] = a.source.shape as [number, number, number];
  const [kh, kw] = a.kernelSize;
  const taps = (start: number, count: number, step: number): number[] => Array.from({ length: count }, (_, i) => start + i * step);
  const rows = taps(unit.row * a.stride[0] - a.padding[0], kh, a.dilation[0]);
  const cols = taps(unit.col * a.stride[1] - a.padding[1], kw, a.dilation[1]);
  const x = (c: number, y: number, xx: number): number | null => (y < 0 || y >= h || xx < 0 || xx >= w ? null : f32(a.input[(c * h + y) * w + xx]!));
  const common = { layer, type, unit: { ...unit }, source: { ...a.source, shape: [...a.source.shape] }, modelValue: toFloatValue(f32(a.output[(unit.channel * outH + unit.row) * outW + unit.col]!)) };
  if (a.kind === 'conv') {
    const cout = shape[0]!;
    const perGroup = cin / a.groups;
    const group = Math.floor(unit.channel / (cout / a.groups));
    const inputChannels = taps(group * perGroup, perGroup, 1);
    const window = inputChannels.map((c) => rows.map((y) => cols.map((xx) => x(c, y, xx) ?? 0)));
    const kernel = inputChannels.map((_, ci) => rows.map((_y, i) => cols.map((_x, j) => f32(a.weight![((unit.channel * perGroup + ci) * kh + i) * kw + j]!))));
    const products = window.map((plane, ci) => plane.map((line, i) => line.map((v, j) => v * kernel[ci]![i]![j]!)));
    const channelSums = products.map((plane) => plane.flat().reduce((s, v) => s + v, 0));
    const sum = channelSums.reduce((s, v) => s + v, 0);
    const bias = a.bias === null ? 0 : f32(a.bias[unit.channel]!);
    const activation = a.activation === null ? null : {
      layer: a.activation.layer, type: a.activation.type, value: toFloatValue(Math.fround(ACTIVATE[a.activation.type](fromFloatValue(common.modelValue))))
    };
    const grid = (g: number[][][]): FloatValue[][][] => g.map((p) => p.map((r) => r.map(toFloatValue)));
    return {
      ...common, kind: 'conv', rows, cols, inputChannels, window: grid(window), kernel: grid(kernel), products: grid(products), channelSums: channelSums.map(toFloatValue),
      sum: toFloatValue(sum), bias: toFloatValue(bias), preActivation: toFloatValue(sum + bias), activation,
    };
  }
  const window = rows.map((y) => cols.map((xx) => x(unit.channel, y, xx)));
  if (a.kind === 'maxpool') {
    const chosen = windowArgMax(window, rows, cols);
    const best = chosen ?? { row: rows[0]!, col: cols[0]!, value: Number.NaN };
    return {
      ...common, kind: 'maxpool', rows, cols, window: window.map((r) => r.map((v) => (v === null ? null : toFloatValue(v)))), argMax: { row: best.row, col: best.col }, divisor: null,
      value: toFloatValue(best.value),
    };
  }
  const divisor = avgPoolDivisor(rows[0]!, cols[0]!, [kh, kw], h, w, a.padding, a.countIncludePad);
  const total = window.flat().reduce<number>((s, v) => s + (v ?? 0), 0);
  return { ...common, kind: 'avgpool', rows, cols, window: window.map((r) => r.map((v) => (v === null ? null : toFloatValue(v)))), argMax: null, divisor, value: toFloatValue(total / divisor) };
}
