import { formatInteger, formatReceptiveFieldCell, formatShapeList, formatSi, type SummaryData, type SummaryRow } from '@convlab/display';
import { escapeHtml, htmlTable } from './html.js';
import { textTable } from './text-table.js';

const share = (r: SummaryRow): string => (r.params === 0 ? '' : `${(100 * r.share).toFixed(1)}%`);
const layer = (r: SummaryRow): string => `${'  '.repeat(Math.max(0, r.depth - 1))}${r.name} ${r.type}`;

/** Bytes of the parameters in float32, as `0.24 MB`. */
const paramMegabytes = (d: SummaryData): string => `${((4 * d.totals.params) / 1e6).toFixed(2)} MB`;

function totals(d: SummaryData): [string, string][] {
  return [
    ['Total params', formatInteger(d.totals.params)],
    ['Trainable params', formatInteger(d.totals.trainable)],
    ['Non-trainable params', formatInteger(d.totals.params - d.totals.trainable)],
    ['Multiply-adds (MACs)', formatSi(d.totals.macs)],
    ['Params size (float32)', paramMegabytes(d)],
  ];
}

/** The console table: one line per module, then totals. */
export function summaryText(d: SummaryData): string {
  const table = textTable(
    ['Layer (type)', 'Output shape', 'Params', 'Param share', 'MACs', 'Receptive field'],
    ['left', 'left', 'right', 'right', 'right', 'left'],
    d.rows.map((r) => [layer(r), formatShapeList(r.outputShape), formatInteger(r.params), share(r), formatSi(r.macs), formatReceptiveFieldCell(r.receptiveField, r.global)]),
  );
  const foot = totals(d).map(([k, v]) => `${k}: ${v}`).join('\n');
  return `${d.model} on input ${formatShapeList(d.inputShape)}\n${table}\n${foot}`;
}

/** The HTML table: one row per module (arguments included), then totals. */
export function summaryHtml(d: SummaryData): string {
  const e = escapeHtml;
  const table = htmlTable(
    [{ header: 'Layer', align: 'left' }, { header: 'Type', align: 'left' }, { header: 'Arguments', align: 'left' }, { header: 'Output shape', align: 'left' },
      { header: 'Params', align: 'right' }, { header: 'Param share', align: 'right' }, { header: 'MACs', align: 'right' }, { header: 'Receptive field', align: 'left' }],
    d.rows.map((r) => [
      `<span style="padding-left:${(Math.max(0, r.depth - 1)) * 1.2}em">${e(r.name)}</span>`, e(r.type), e(r.arguments), e(formatShapeList(r.outputShape)),
      e(formatInteger(r.params)), e(share(r)), e(formatSi(r.macs)), e(formatReceptiveFieldCell(r.receptiveField, r.global)),
    ]),
    totals(d).map(([k, v]) => [e(k), '', '', '', e(v), '', '', '']),
  );
  return `<div class="convlab-summary"><div style="font-weight:600;margin:4px 0">${e(d.model)} on input ${e(formatShapeList(d.inputShape))}</div>${table}</div>`;
}
