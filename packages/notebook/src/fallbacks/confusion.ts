import type { ConfusionData } from '@convlab/display';
import { escapeHtml, htmlTable } from './html.js';
import { textTable } from './text-table.js';

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const rowShare = (d: ConfusionData, t: number, p: number): number => {
  const support = d.matrix[t]!.reduce((a, b) => a + b, 0);
  return support === 0 ? 0 : d.matrix[t]![p]! / support;
};

/** The matrix as a console table (counts), then the per-class scores. */
export function confusionText(d: ConfusionData): string {
  const head = `Confusion matrix: ${d.total} images, accuracy ${pct(d.accuracy)} (rows: true class, columns: predicted)`;
  const matrix = textTable(['true \\ predicted', ...d.classes.map((_, i) => String(i))], ['left', ...d.classes.map(() => 'right' as const)],
    d.matrix.map((row, t) => [`${t} ${d.classes[t]}`, ...row.map(String)]));
  const scores = textTable(['class', 'precision', 'recall', 'F1', 'support'], ['left', 'right', 'right', 'right', 'right'],
    d.perClass.map((s, i) => [d.classes[i]!, pct(s.precision), pct(s.recall), pct(s.f1), String(s.support)]),
    [
      ['macro', pct(d.macro.precision), pct(d.macro.recall), pct(d.macro.f1), String(d.macro.support)],
      ['weighted', pct(d.weighted.precision), pct(d.weighted.recall), pct(d.weighted.f1), String(d.weighted.support)],
    ]);
  return `${head}\n${matrix}\n${scores}`;
}

/** A heat-map table (count and row percentage per cell, shaded by the row share) beside the per-class table. */
export function confusionHtml(d: ConfusionData): string {
  const e = escapeHtml;
  const cell = 'padding:2px 5px;text-align:right;border:1px solid #ddd;font-size:11px;line-height:1.2';
  const header = `<tr><th style="${cell}">true \\ predicted</th>${d.classes.map((c) => `<th style="${cell}">${e(c)}</th>`).join('')}</tr>`;
  const body = d.matrix.map((row, t) => `<tr><th style="${cell};text-align:left">${e(d.classes[t]!)}</th>${row.map((n, p) => {
    const share = rowShare(d, t, p);
    const hue = t === p ? '46,125,50' : '198,40,40';
    const color = share > 0.5 ? '#fff' : 'inherit';
    return `<td style="${cell};background:rgba(${hue},${share.toFixed(3)});color:${color}">${n}<br><span style="opacity:.8">${pct(share)}</span></td>`;
  }).join('')}</tr>`).join('');
  const matrix = `<table style="border-collapse:collapse;font-family:monospace">${header}${body}</table>`;
  const scores = htmlTable(
    [{ header: 'class', align: 'left' }, { header: 'precision', align: 'right' }, { header: 'recall', align: 'right' }, { header: 'F1', align: 'right' }, { header: 'support', align: 'right' }],
    d.perClass.map((s, i) => [e(d.classes[i]!), pct(s.precision), pct(s.recall), pct(s.f1), String(s.support)]),
    [
      ['macro', pct(d.macro.precision), pct(d.macro.recall), pct(d.macro.f1), String(d.macro.support)],
      ['weighted', pct(d.weighted.precision), pct(d.weighted.recall), pct(d.weighted.f1), String(d.weighted.support)],
    ],
  );
  const title = `<div style="font-family:sans-serif;font-size:13px;margin-bottom:4px">Confusion matrix: ${d.total} images, accuracy ${pct(d.accuracy)} (rows: true class, columns: predicted)</div>`;
  return `<div class="convlab-confusion">${title}<div style="display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap">${matrix}${scores}</div></div>`;
}
