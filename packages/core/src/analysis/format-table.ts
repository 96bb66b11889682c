import { formatBytes, formatDims, formatInteger, formatShare, SUMMARY_COLUMN_TITLES, summaryCell, type SummaryColumn } from '@convlab/display';
import type { Pair } from '../shape/pair.js';
import type { Summary, SummaryRow } from './summary.js';

const axes = (p: Pair): string => (p[0] === p[1] ? `${p[0]}` : `${p[0]}×${p[1]}`);

/** `15470264320` → `15.47 G`. */
function metric(n: number): string {
  const [scale, suffix] = n >= 1e9 ? [1e9, 'G'] : n >= 1e6 ? [1e6, 'M'] : n >= 1e3 ? [1e3, 'k'] : [1, ''];
  return `${(n / scale).toFixed(scale === 1 ? 0 : 2)}${suffix === '' ? '' : ` ${suffix}`}`;
}

interface Column {
  readonly title: string;
  readonly right: boolean;
  readonly cell: (row: SummaryRow) => string;
}

const plain = (column: SummaryColumn, right: boolean): readonly Column[] =>
  [{ title: SUMMARY_COLUMN_TITLES[column], right, cell: (r) => summaryCell(column, r) }];

/** The console columns of each summary column: the receptive field spreads over size, jump and padding. */
const CONSOLE_COLUMNS: { readonly [C in SummaryColumn]: readonly Column[] } = {
  type: plain('type', false),
  arguments: plain('arguments', false),
  outputSize: plain('outputSize', false),
  numParams: plain('numParams', true),
  paramsPercent: [{ title: SUMMARY_COLUMN_TITLES.paramsPercent, right: true, cell: (r) => formatShare(r.share) }],
  trainable: plain('trainable', false),
  multAdds: [{ title: SUMMARY_COLUMN_TITLES.multAdds, right: true, cell: (r) => formatInteger(r.macs) }],
  activationMemory: plain('activationMemory', true),
  receptiveField: [
    { title: 'RF size', right: true, cell: (r) => (r.receptiveField === null ? (r.global ? 'whole input' : '-') : `${r.global ? '(all) ' : ''}${axes(r.receptiveField.size)}`) },
    { title: 'jump', right: true, cell: (r) => (r.receptiveField !== null ? axes(r.receptiveField.stride) : '') },
    { title: 'padding', right: true, cell: (r) => (r.receptiveField !== null ? axes(r.receptiveField.padding) : '') },
  ],
};

/**
 * The summary as a plain-text table (consoles, `text/plain`): one line per row with its output
 * shape, parameters and share, multiply-accumulates, output memory and receptive field (size, jump
 * and padding in input pixels, one number when both axes agree; `(all)` marks layers whose every
 * unit sees the whole input, `whole input` those without a spatial layout that do), then the totals.
 */
export function formatSummary(s: Summary): string {
  const columns: readonly Column[] = [{ title: 'Layer', right: false, cell: (r) => r.name }, ...s.columns.flatMap((c) => CONSOLE_COLUMNS[c])];
  const cells = s.rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((line) => line[i]!.length)));
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (columns[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const header = line(columns.map((c) => c.title));
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  const t = s.totals;
  return [
    `${s.model} · input ${formatDims(s.inputShape)} (one sample)`,
    rule,
    header,
    rule,
    ...cells.map(line),
    rule,
    `Params: ${formatInteger(t.params)} (trainable ${formatInteger(t.trainable)}, non-trainable ${formatInteger(t.nonTrainable)}) · ${formatBytes(t.paramBytes)} as float32`,
    `MACs: ${formatInteger(t.macs)} (${metric(t.macs)}) per sample`,
    `Activations: ${formatBytes(t.activationBytes)} per sample (every layer's float32 output)`,
  ].join('\n');
}
