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

/** `application/vnd.convlab.unit.v1+json`: the arithmetic of one conv or pooling unit (see `explainUnit`). */
export type UnitData = ConvUnitData | PoolUnitData;

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

function checkCommon(c: Checker, path: string, v: JsonObject): boolean {
  const ok = [c.string(`${path}.layer`, v['layer']), c.string(`${path}.type`, v['type']), c.float(`${path}.modelValue`, v['modelValue'])];
  const unit = v['unit'];
  ok.push(c.object(`${path}.unit`, unit) && ['channel', 'row', 'col'].map((k) => c.integer(`${path}.unit.${k}`, unit[k])).every(Boolean));
  const source = v['source'];
  ok.push(c.object(`${path}.source`, source)
    && (source['layer'] === null || c.string(`${path}.source.layer`, source['layer']))
    && (source['type'] === null || c.string(`${path}.source.type`, source['type']))
    && c.integers(`${path}.source.shape`, source['shape'], null, 1));
  return ok.every(Boolean);
}

export function checkUnit(c: Checker, path: string, value: unknown): value is UnitData {
  if (!c.object(path, value)) return false;
  const kind = value['kind'];
  if (!c.oneOf(`${path}.kind`, kind, ['conv', 'maxpool', 'avgpool'] as const)) return false;
  const ok = [checkCommon(c, path, value)];
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
    const act = value['activation'];
    if (act !== null) ok.push(c.object(`${path}.activation`, act) && c.string(`${path}.activation.layer`, act['layer']) && c.string(`${path}.activation.type`, act['type']) && c.float(`${path}.activation.value`, act['value']));
  } else {
    if (!c.require(path, kh * kw <= MAX_UNIT_TAPS, `a ${kh}×${kw} window is more than the ${MAX_UNIT_TAPS} values a step-through shows`)) return false;
    ok.push(checkGrid(c, `${path}.window`, value['window'], [kh, kw], true), c.float(`${path}.value`, value['value']));
    const arg = value['argMax'];
    if (arg !== null) ok.push(c.object(`${path}.argMax`, arg) && (isInt(arg['row']) || c.fail(`${path}.argMax.row`, 'an integer', arg['row'])) && (isInt(arg['col']) || c.fail(`${path}.argMax.col`, 'an integer', arg['col'])));
    else ok.push(c.require(`${path}.argMax`, kind === 'avgpool', 'expected the chosen position of a max pooling unit'));
    if (value['divisor'] !== null) ok.push(c.integer(`${path}.divisor`, value['divisor'], 1));
    else ok.push(c.require(`${path}.divisor`, kind === 'maxpool', 'expected the divisor of an average pooling unit'));
  }
  return ok.every(Boolean);
}
