import type { Checker } from './checker.js';
import { checkReceptiveField, type ReceptiveField } from './common.js';
import { SUMMARY_COLUMNS, type SummaryColumn } from './summary-columns.js';

/**
 * `application/vnd.convlab.summary.v1+json`: a model's parameter table, one row per module in
 * execution order, computed from shapes alone (no weights needed).
 */
export interface SummaryData {
  /** The model's class name, e.g. `Sequential` or `LeNet5`. */
  readonly model: string;
  /** Input shape of one sample the summary was computed for, `[C, H, W]` or `[F]`, e.g. `[3, 224, 224]`. */
  readonly inputShape: readonly number[];
  readonly rows: readonly SummaryRow[];
  readonly totals: SummaryTotals;
  /** The columns to show after the layer's name, in order (absent in older payloads: {@link DEFAULT_SUMMARY_COLUMNS}). */
  readonly columns?: readonly SummaryColumn[];
}

/** One module of the model. */
export interface SummaryRow {
  /** Dotted module name, e.g. `features.0`. */
  readonly name: string;
  /** Nesting level: 1 for the model's direct children, 2 for theirs, … */
  readonly depth: number;
  /** Class name, e.g. `Conv2d`. */
  readonly type: string;
  /** The layer's non-default arguments as PyTorch prints them, e.g. `3, 64, kernel_size=(3, 3)`. */
  readonly arguments: string;
  /** Output shape of one sample, e.g. `[64, 224, 224]`. */
  readonly outputShape: readonly number[];
  /** Parameters first counted at this row (the module's own, or a collapsed block's). */
  readonly params: number;
  /** Of {@link params}, those that are trained. */
  readonly trainable: number;
  /** `params / totals.params`, between 0 and 1 (0 when the model has no parameters). */
  readonly share: number;
  /** Multiply-accumulates of one forward pass of one sample. */
  readonly macs: number;
  /** Bytes of the float32 outputs of this row for one sample (every layer's, for a folded block); absent in older payloads. */
  readonly activationBytes?: number;
  /** Receptive field of one output unit in the input, or null when the output has no spatial layout. */
  readonly receptiveField: ReceptiveField | null;
  /** Whether every output unit sees the entire input (e.g. after global pooling or a Linear layer). */
  readonly global: boolean;
}

/** Whole-model figures (MACs for one sample). */
export interface SummaryTotals {
  readonly params: number;
  readonly trainable: number;
  readonly macs: number;
  /** Bytes of every layer's float32 output for one sample; absent in older payloads. */
  readonly activationBytes?: number;
}

export function checkSummary(c: Checker, path: string, value: unknown): value is SummaryData {
  if (!c.object(path, value)) return false;
  const ok = [
    c.string(`${path}.model`, value['model']),
    c.integers(`${path}.inputShape`, value['inputShape'], null, 1),
    c.each(`${path}.rows`, value['rows'], (p, row) => checkRow(c, p, row)),
  ];
  const totals = value['totals'];
  if (c.object(`${path}.totals`, totals)) {
    ok.push(c.integer(`${path}.totals.params`, totals['params']), c.integer(`${path}.totals.trainable`, totals['trainable']), c.integer(`${path}.totals.macs`, totals['macs']));
    if (totals['activationBytes'] !== undefined) ok.push(c.integer(`${path}.totals.activationBytes`, totals['activationBytes']));
  } else ok.push(false);
  const columns = value['columns'];
  if (columns !== undefined) ok.push(c.each(`${path}.columns`, columns, (p, name) => c.oneOf(p, name, SUMMARY_COLUMNS)));
  return ok.every(Boolean);
}

function checkRow(c: Checker, path: string, row: unknown): boolean {
  if (!c.object(path, row)) return false;
  const ok = [
    c.string(`${path}.name`, row['name']),
    c.integer(`${path}.depth`, row['depth']),
    c.string(`${path}.type`, row['type']),
    c.string(`${path}.arguments`, row['arguments']),
    c.integers(`${path}.outputShape`, row['outputShape'], null, 0),
    c.integer(`${path}.params`, row['params']),
    c.integer(`${path}.trainable`, row['trainable']),
    c.number(`${path}.share`, row['share']) && c.require(`${path}.share`, (row['share'] as number) >= 0 && (row['share'] as number) <= 1, `expected a fraction between 0 ` +
      `and 1, got ${String(row['share'])}`),
    c.integer(`${path}.macs`, row['macs']),
    row['activationBytes'] === undefined || c.integer(`${path}.activationBytes`, row['activationBytes']),
    row['receptiveField'] === null || checkReceptiveField(c, `${path}.receptiveField`, row['receptiveField']),
    c.boolean(`${path}.global`, row['global']),
  ];
  if (ok[5] && ok[6]) {
    const params = row['params'] as number, trainable = row['trainable'] as number;
    ok.push(c.require(`${path}.trainable`, trainable <= params, `${trainable} trainable exceeds ${params} params`));
  }
  return ok.every(Boolean);
}
