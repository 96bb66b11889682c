import {
  DEFAULT_SUMMARY_COLUMNS, formatBytes, formatInteger, formatShapeList, formatSi, SUMMARY_COLUMN_TITLES, summaryCell,
  type SummaryColumn, type SummaryData, type SummaryRow,
} from '@convlab/display';
import { escapeHtml, htmlTable } from './html.js';
import { textTable } from './text-table.js';

/** Bytes per parameter: convlab stores float32. */
const BYTES_PER_PARAM = 4;

const layer = (r: SummaryRow): string => `${'  '.repeat(Math.max(0, r.depth - 1))}${r.name}`;
/** Counts, shares and bytes right-aligned; names, shapes, fields and the trainable flag (a word) read as text, as in JupyterLab. */
const RIGHT: ReadonlySet<SummaryColumn> = new Set(['numParams', 'paramsPercent', 'multAdds', 'activationMemory']);
const align = (c: SummaryColumn): 'left' | 'right' => (RIGHT.has(c) ? 'right' : 'left');

function totals(d: SummaryData): [string, string][] {
  const t = d.totals;
  return [
    ['Total params', formatInteger(t.params)],
    ['Trainable params', formatInteger(t.trainable)],
    ['Non-trainable params', formatInteger(t.params - t.trainable)],
    ['Multiply-adds (MACs)', formatSi(t.macs)],
    ['Params size (float32)', formatBytes(BYTES_PER_PARAM * t.params)],
    ...(t.activationBytes === undefined ? [] : [['Activation memory (float32, per sample)', formatBytes(t.activationBytes)] as [string, string]]),
  ];
}

/** The console table: one line per module (the payload's columns), then totals. Widths fit the widest cell of any row. */
export function summaryText(d: SummaryData): string {
  const columns = d.columns ?? DEFAULT_SUMMARY_COLUMNS;
  const table = textTable(
    ['Layer', ...columns.map((c) => SUMMARY_COLUMN_TITLES[c])],
    ['left', ...columns.map(align)],
    d.rows.map((r) => [layer(r), ...columns.map((c) => summaryCell(c, r))]),
  );
  const foot = totals(d).map(([k, v]) => `${k}: ${v}`).join('\n');
  return `${d.model} on input ${formatShapeList(d.inputShape)}\n${table}\n${foot}`;
}

/** The HTML table: one row per module (the payload's columns, cells kept on one line), then totals. */
export function summaryHtml(d: SummaryData): string {
  const e = escapeHtml;
  const columns = d.columns ?? DEFAULT_SUMMARY_COLUMNS;
  const table = htmlTable(
    [{ header: 'Layer', align: 'left' }, ...columns.map((c) => ({ header: SUMMARY_COLUMN_TITLES[c], align: align(c) }))],
    d.rows.map((r) => [
      `<span style="padding-left:${(Math.max(0, r.depth - 1)) * 1.2}em">${e(r.name)}</span>`, ...columns.map((c) => e(summaryCell(c, r))),
    ]),
    totals(d).map(([k, v]) => (columns.length === 0 ? [`${e(k)}: ${e(v)}`] : [e(k), e(v), ...columns.slice(1).map(() => '')])),
  );
  return `<div class="convlab-summary"><div style="font-weight:600;margin:4px 0">${e(d.model)} on input ${e(formatShapeList(d.inputShape))}</div>${table}</div>`;
}
