import type { Checker, JsonObject } from './checker.js';
import type { FloatValue } from './common.js';

/** Most window values (input channels × kernel rows × kernel columns) a step-through accepts. */
export const MAX_UNIT_TAPS = 65_536;

/** A unit of a layer's output. */
export interface UnitPosition {
  readonly channel: number;
  readonly row: number;
  readonly col: number;
}

/** The layer a unit reads (`layer` null: the network's input). */
export interface UnitSource {
  readonly layer: string | null;
  readonly type: string | null;
  readonly shape: readonly number[];
}

interface UnitCommon {
  /** Dotted layer name (`conv2`). */
  readonly layer: string;
  readonly type: string;
  readonly unit: UnitPosition;
  readonly source: UnitSource;
  /** The layer's own output at the unit, as the model computed it. */
  readonly modelValue: FloatValue;
}

/**
 * A conv unit: `preActivation = Σ_{c,i,j} window[c][i][j]·kernel[c][i][j] + bias`; source row
 * `rows[i]`, column `cols[j]` and channel `inputChannels[c]` (positions outside the source are padding).
 */
export interface ConvUnitData extends UnitCommon {
  readonly kind: 'conv';
  readonly rows: readonly number[];
  readonly cols: readonly number[];
  readonly inputChannels: readonly number[];
  readonly window: readonly (readonly (readonly FloatValue[])[])[];
  readonly kernel: readonly (readonly (readonly FloatValue[])[])[];
  readonly products: readonly (readonly (readonly FloatValue[])[])[];
  readonly channelSums: readonly FloatValue[];
  readonly sum: FloatValue;
  readonly bias: FloatValue;
  readonly preActivation: FloatValue;
  /** The activation layer that follows, and its value at the unit. */
  readonly activation: { readonly layer: string; readonly type: string; readonly value: FloatValue } | null;
}

/** A pooling unit: its window on channel `unit.channel` of the source (null on padding). */
export interface PoolUnitData extends UnitCommon {
  readonly kind: 'maxpool' | 'avgpool';
  readonly rows: readonly number[];
  readonly cols: readonly number[];
  readonly window: readonly (readonly (FloatValue | null)[])[];
  /** Max pooling: the chosen source position. */
  readonly argMax: { readonly row: number; readonly col: number } | null;
  /** Average pooling: the divisor. */
  readonly divisor: number | null;
  readonly value: FloatValue;
}

/** One term `input·weight` of a linear unit's dot product; `position` places a flattened input in its feature maps. */
export interface LinearTermData {
  readonly index: number;
  readonly input: FloatValue;
  readonly weight: FloatValue;
  readonly product: FloatValue;
  readonly position: UnitPosition | null;
}

/**
 * A linear unit (output feature `unit.channel`; row and col 0): `preActivation = Σ_i input_i·weight_i + bias`
 * over `inputs` terms, of which `terms` lists the largest |products| (largest first) and `rest` sums the others.
 */
export interface LinearUnitData extends UnitCommon {
  readonly kind: 'linear';
  readonly inputs: number;
  readonly terms: readonly LinearTermData[];
  /** Σ of the products not listed in `terms` (0 when all are listed). */
  readonly rest: FloatValue;
  /** The feature maps a Flatten made the inputs from (the `position`s refer to it), or null. */
  readonly positionsIn: UnitSource | null;
  readonly sum: FloatValue;
  readonly bias: FloatValue;
  readonly preActivation: FloatValue;
  readonly activation: { readonly layer: string; readonly type: string; readonly value: FloatValue } | null;
}

/** `application/vnd.convlab.unit.v1+json`: the arithmetic of one conv, pooling or linear unit (see `explainUnit`). */
export type UnitData = ConvUnitData | PoolUnitData | LinearUnitData;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** A `[a][b][c]` array of floats (or null where `nulls`), of exactly the given sizes. */
function checkGrid(c: Checker, path: string, value: unknown, dims: readonly number[], nulls: boolean): boolean {
  if (dims.length === 0) return (nulls && value === null) || c.float(path, value);
  if (!c.array(path, value)) return false;
  if (value.length !== dims[0]) return c.fail(path, `an array of ${dims[0]}`, value);
  let ok = true;
  for (let i = 0; i < value.length && ok; i++) ok = checkGrid(c, `${path}[${i}]`, value[i], dims.slice(1), nulls);
  return ok;
}

function checkSource(c: Checker, path: string, source: unknown): boolean {
  return c.object(path, source)
    && (source['layer'] === null || c.string(`${path}.layer`, source['layer']))
    && (source['type'] === null || c.string(`${path}.type`, source['type']))
    && c.integers(`${path}.shape`, source['shape'], null, 1);
}

function checkActivation(c: Checker, path: string, act: unknown): boolean {
  return act === null || (c.object(path, act) && c.string(`${path}.layer`, act['layer']) && c.string(`${path}.type`, act['type']) && c.float(`${path}.value`, act['value']));
}

function checkLinear(c: Checker, path: string, v: JsonObject): boolean {
  const ok = [c.integer(`${path}.inputs`, v['inputs'], 1)];
  for (const key of ['rest', 'sum', 'bias', 'preActivation']) ok.push(c.float(`${path}.${key}`, v[key]));
  ok.push(checkActivation(c, `${path}.activation`, v['activation']));
  if (v['positionsIn'] !== null) ok.push(checkSource(c, `${path}.positionsIn`, v['positionsIn']));
  const terms = v['terms'];
  if (!c.array(`${path}.terms`, terms)) return false;
  const inputs = typeof v['inputs'] === 'number' ? v['inputs'] : 0;
  if (!c.require(`${path}.terms`, terms.length >= 1 && terms.length <= Math.min(inputs, MAX_UNIT_TAPS), `expected 1 to ${Math.min(inputs, MAX_UNIT_TAPS)} terms ` +
    `(the inputs, at most ${MAX_UNIT_TAPS}), got ${terms.length}`)) return false;
  const seen = new Set<unknown>();
  for (let i = 0; i < terms.length; i++) {
    const p = `${path}.terms[${i}]`;
    const t = terms[i];
    if (!c.object(p, t)) return false;
    const termOk = c.integer(`${p}.index`, t['index']) && c.require(`${p}.index`, (t['index'] as number) < inputs && !seen.has(t['index']), `expected a new input index below ` +
      `${inputs}, got ${String(t['index'])}`)
      && ['input', 'weight', 'product'].every((k) => c.float(`${p}.${k}`, t[k]))
      && (t['position'] === null || (c.object(`${p}.position`, t['position']) && ['channel', 'row', 'col'].every((k) => c.integer(`${p}.position.${k}`, (t['position'] as JsonObject)[k]))));
    if (!termOk) return false;
    seen.add(t['index']);
  }
  return ok.every(Boolean);
}

function checkCommon(c: Checker, path: string, v: JsonObject): boolean {
  const ok = [c.string(`${path}.layer`, v['layer']), c.string(`${path}.type`, v['type']), c.float(`${path}.modelValue`, v['modelValue'])];
  const unit = v['unit'];
  ok.push(c.object(`${path}.unit`, unit) && ['channel', 'row', 'col'].map((k) => c.integer(`${path}.unit.${k}`, unit[k])).every(Boolean));
  ok.push(checkSource(c, `${path}.source`, v['source']));
  return ok.every(Boolean);
}

export function checkUnit(c: Checker, path: string, value: unknown): value is UnitData {
  if (!c.object(path, value)) return false;
  const kind = value['kind'];
  if (!c.oneOf(`${path}.kind`, kind, ['conv', 'maxpool', 'avgpool', 'linear'] as const)) return false;
  const ok = [checkCommon(c, path, value)];
  if (kind === 'linear') return checkLinear(c, path, value) && ok.every(Boolean);
  const rows = value['rows'];
  const cols = value['cols'];
  const axesOk = c.array(`${path}.rows`, rows) && rows.every((r, i) => (isInt(r) || c.fail(`${path}.rows[${i}]`, 'an integer', r)))
    && c.array(`${path}.cols`, cols) && cols.every((r, i) => (isInt(r) || c.fail(`${path}.cols[${i}]`, 'an integer', r)))
    && c.require(`${path}.rows`, (rows as unknown[]).length >= 1 && (cols as unknown[]).length >= 1, 'expected a window of at least 1×1');
  ok.push(axesOk);
  if (!axesOk) return false;
  const kh = (rows as number[]).length;
  const kw = (cols as number[]).length;
  if (kind === 'conv') {
    const channels = value['inputChannels'];
    const chOk = c.integers(`${path}.inputChannels`, channels, null) && c.require(`${path}.inputChannels`, channels.length >= 1, 'expected at least one channel');
    if (!chOk) return false;
    const n = (channels as number[]).length;
    if (!c.require(path, n * kh * kw <= MAX_UNIT_TAPS, `a window of ${n}×${kh}×${kw} values is more than the ${MAX_UNIT_TAPS} a step-through shows`)) return false;
    for (const key of ['window', 'kernel', 'products']) ok.push(checkGrid(c, `${path}.${key}`, value[key], [n, kh, kw], false));
    ok.push(checkGrid(c, `${path}.channelSums`, value['channelSums'], [n], false));
    for (const key of ['sum', 'bias', 'preActivation']) ok.push(c.float(`${path}.${key}`, value[key]));
    ok.push(checkActivation(c, `${path}.activation`, value['activation']));
  } else {
    if (!c.require(path, kh * kw <= MAX_UNIT_TAPS, `a ${kh}×${kw} window is more than the ${MAX_UNIT_TAPS} values a step-through shows`)) return false;
    ok.push(checkGrid(c, `${path}.window`, value['window'], [kh, kw], true), c.float(`${path}.value`, value['value']));
    const arg = value['argMax'];
    if (arg !== null) ok.push(
      c.object(`${path}.argMax`, arg) && (isInt(arg['row']) || c.fail(`${path}.argMax.row`, 'an integer', arg['row'])) && (isInt(arg['col']) || c.fail(`${path}.argMax.col`, 'an integer', arg['col']))
    );
    else ok.push(c.require(`${path}.argMax`, kind === 'avgpool', 'expected the chosen position of a max pooling unit'));
    if (value['divisor'] !== null) ok.push(c.integer(`${path}.divisor`, value['divisor'], 1));
    else ok.push(c.require(`${path}.divisor`, kind === 'maxpool', 'expected the divisor of an average pooling unit'));
  }
  return ok.every(Boolean);
}
