import type { Pair } from '../shape/pair.js';
import type { Summary, SummaryRow } from './summary.js';

const count = (n: number): string => n.toLocaleString('en-US');
const dims = (shape: readonly number[]): string => shape.join('×');
const axes = (p: Pair): string => (p[0] === p[1] ? `${p[0]}` : `${p[0]}×${p[1]}`);

/** `1536` → `1.5 KiB`: binary units, one decimal. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

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

const columns: readonly Column[] = [
  { title: 'Layer', right: false, cell: (r) => r.name },
  { title: 'Type', right: false, cell: (r) => r.type },
  { title: 'Output', right: false, cell: (r) => dims(r.outputShape) },
  { title: 'Params', right: true, cell: (r) => count(r.params) },
  { title: 'Param share', right: true, cell: (r) => `${(r.share * 100).toFixed(1)}%` },
  { title: 'MACs', right: true, cell: (r) => count(r.macs) },
  { title: 'Memory', right: true, cell: (r) => formatBytes(r.activationBytes) },
  { title: 'RF size', right: true, cell: (r) => (r.receptiveField === null ? (r.global ? 'whole input' : '-') : `${r.global ? '(all) ' : ''}${axes(r.receptiveField.size)}`) },
  { title: 'jump', right: true, cell: (r) => (r.receptiveField !== null ? axes(r.receptiveField.stride) : '') },
  { title: 'padding', right: true, cell: (r) => (r.receptiveField !== null ? axes(r.receptiveField.padding) : '') },
];

/**
 * The summary as a plain-text table (consoles, `text/plain`): one line per row with its output
 * shape, parameters and share, multiply-accumulates, output memory and receptive field (size, jump
 * and padding in input pixels, one number when both axes agree; `(all)` marks layers whose every
 * unit sees the whole input, `whole input` those without a spatial layout that do), then the totals.
 */
export function formatSummary(s: Summary): string {
  const cells = s.rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((line) => line[i]!.length)));
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (columns[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const header = line(columns.map((c) => c.title));
  const rule = '─'.repeat(header.length);
  const t = s.totals;
  return [
    `${s.model} · input ${dims(s.inputShape)} (one sample)`,
    rule,
    header,
    rule,
    ...cells.map(line),
    rule,
    `Params: ${count(t.params)} (trainable ${count(t.trainable)}, non-trainable ${count(t.nonTrainable)}) · ${formatBytes(t.paramBytes)} as float32`,
    `MACs: ${count(t.macs)} (${metric(t.macs)}) per sample`,
    `Activations: ${formatBytes(t.activationBytes)} per sample (every layer's float32 output)`,
  ].join('\n');
}
