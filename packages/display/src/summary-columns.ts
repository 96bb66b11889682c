import { formatBytes, formatDims, formatInteger, formatReceptiveFieldCell, formatShare, formatSi } from './format.js';
import type { SummaryRow } from './summary.js';

/**
 * The columns a summary table can show besides the layer's name, in their display order, named like
 * torchinfo's `col_names` in camelCase (`output_size` → `outputSize`, `num_params` → `numParams`,
 * `params_percent` → `paramsPercent`, `mult_adds` → `multAdds`), plus convlab's own: the layer's
 * class, its PyTorch arguments, its output memory and its receptive field.
 */
export const SUMMARY_COLUMNS = ['type', 'arguments', 'outputSize', 'numParams', 'paramsPercent', 'trainable', 'multAdds', 'activationMemory', 'receptiveField'] as const;

export type SummaryColumn = (typeof SUMMARY_COLUMNS)[number];

/** What a summary shows unless `colNames` says otherwise: every column but `arguments` and `trainable`. */
export const DEFAULT_SUMMARY_COLUMNS: readonly SummaryColumn[] = ['type', 'outputSize', 'numParams', 'paramsPercent', 'multAdds', 'activationMemory', 'receptiveField'];

/** Column headers, the same in the CLI, the HTML and text fallbacks and the renderer. */
export const SUMMARY_COLUMN_TITLES: { readonly [C in SummaryColumn]: string } = {
  type: 'Type',
  arguments: 'Arguments',
  outputSize: 'Output shape',
  numParams: 'Params',
  paramsPercent: 'Param share',
  trainable: 'Trainable',
  multAdds: 'MACs',
  activationMemory: 'Activation memory',
  receptiveField: 'Receptive field',
};

/** Columns whose cells are numbers (right-aligned, sorted descending first). */
export const NUMERIC_SUMMARY_COLUMNS: ReadonlySet<SummaryColumn> = new Set(['outputSize', 'numParams', 'paramsPercent', 'multAdds', 'activationMemory', 'receptiveField']);

/**
 * Whether a row's parameters are trained, as torchinfo's `trainable` column: `yes`, `no`,
 * `partly` (some of them frozen), or `—` for a row without parameters.
 */
export function trainableFlag(row: Pick<SummaryRow, 'params' | 'trainable'>): string {
  if (row.params === 0) return '—';
  if (row.trainable === row.params) return 'yes';
  return row.trainable === 0 ? 'no' : 'partly';
}

/** One cell of a summary table as text (`—` for activation memory missing from an older payload). */
export function summaryCell(column: SummaryColumn, row: SummaryRow): string {
  switch (column) {
    case 'type': return row.type;
    case 'arguments': return row.arguments;
    case 'outputSize': return formatDims(row.outputShape);
    case 'numParams': return formatInteger(row.params);
    case 'paramsPercent': return row.params === 0 ? '' : formatShare(row.share);
    case 'trainable': return trainableFlag(row);
    case 'multAdds': return formatSi(row.macs);
    case 'activationMemory': return row.activationBytes === undefined ? '—' : formatBytes(row.activationBytes);
    case 'receptiveField': return formatReceptiveFieldCell(row.receptiveField, row.global);
  }
}

/**
 * `names` checked as summary columns: the same list typed (in the caller's order), or the error (which name, at which
 * index, and the allowed ones) for the caller to raise.
 */
export function parseSummaryColumns(names: readonly string[]): { readonly columns: readonly SummaryColumn[] } | { readonly error: string } {
  const known: readonly string[] = SUMMARY_COLUMNS;
  for (const [i, name] of names.entries()) {
    if (!known.includes(name)) return { error: `colNames[${i}] is '${name}'; expected one of ${SUMMARY_COLUMNS.join(', ')}` };
    if (names.indexOf(name) !== i) return { error: `colNames[${i}] repeats '${name}'` };
  }
  return { columns: names as readonly SummaryColumn[] };
}
