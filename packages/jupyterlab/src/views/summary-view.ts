import {
  DEFAULT_SUMMARY_COLUMNS, formatBytes, formatDims, formatInteger, formatShare, formatSi, NUMERIC_SUMMARY_COLUMNS, SUMMARY_COLUMN_TITLES, summaryCell, trainableFlag,
  type SummaryColumn, type SummaryData,
} from '@convlab/display';
import { button, element } from '../dom.js';
import { clipText, RENDER_LIMITS } from '../render-limits.js';
import { isHidden, summaryTree, type TreeRow } from './summary-tree.js';
import type { View } from './view.js';

/** What a header sorts by: `order` (the layer column: execution order) or one of the payload's columns. */
export type SortKey = 'order' | SummaryColumn;

/** Above this many layers, groups start collapsed. */
export const COLLAPSE_ABOVE_LAYERS = 50;

const SORT_VALUE: { readonly [K in SortKey]: (line: TreeRow, index: number) => number | string } = {
  order: (_, index) => index,
  type: (line) => line.type,
  arguments: (line) => line.arguments,
  outputSize: (line) => line.outputShape.reduce((a, b) => a * b, 1),
  numParams: (line) => line.params,
  paramsPercent: (line) => line.share,
  trainable: (line) => trainableFlag(line),
  multAdds: (line) => line.macs,
  activationMemory: (line) => line.activationBytes ?? -1,
  receptiveField: (line) => (line.global ? Infinity : line.receptiveField === null ? -1 : line.receptiveField.size[0] * line.receptiveField.size[1]),
};

/** Room for a sort arrow (` ▼`) and the cell padding, in `ch`. */
const HEADER_EXTRA_CH = 5;
/** Room for the cell padding (2 × 10 px) and bold or wide glyphs (totals, `×`), in `ch`. */
const CELL_EXTRA_CH = 4;
/** The share bar's track and gap beside the percentage, in `ch` (CSS: 60 px + 6 px). */
const SHARE_BAR_CH = 9;
/** Indent per tree level (CSS: 1.25em ≈ 2.5ch) and the group toggle, in `ch`. */
const INDENT_CH = 2.5;

/**
 * A model's parameter table: one line per layer with the payload's columns (by default type, output
 * shape, parameters, their share as a bar, MACs, activation memory and receptive field); totals at the
 * bottom. In execution order, layers nest in collapsible groups by name (`layer1` › `layer1.0` ›
 * `layer1.0.conv1`); clicking a column header sorts the layers by it (flat), clicking again reverses,
 * clicking "Layer" restores the order. Column widths are fixed from every line's text when the table
 * is drawn first, so sorting and collapsing never reflow them.
 */
export class SummaryView implements View<SummaryData> {
  readonly node = element('div', 'jp-convlab-summary');
  private data: SummaryData | null = null;
  private lines: TreeRow[] = [];
  private collapsed = new Set<number>();
  private sort: { key: SortKey; descending: boolean } = { key: 'order', descending: false };
  private columns: readonly SummaryColumn[] = DEFAULT_SUMMARY_COLUMNS;
  private widths: readonly number[] = [];

  render(data: SummaryData): Promise<void> {
    this.data = data;
    this.lines = summaryTree(data.rows);
    this.columns = data.columns ?? DEFAULT_SUMMARY_COLUMNS;
    this.widths = this.columnWidths(data);
    const layers = this.lines.filter((l) => !l.group).length;
    this.collapsed = new Set(layers > COLLAPSE_ABOVE_LAYERS ? this.lines.flatMap((l, i) => (l.group ? [i] : [])) : []);
    this.draw();
    return Promise.resolve();
  }

  /** Sorts by `key` (descending first for numbers); the same key again reverses the order. */
  sortBy(key: SortKey): void {
    const numeric = key !== 'order' && NUMERIC_SUMMARY_COLUMNS.has(key);
    this.sort = this.sort.key === key && key !== 'order' ? { key, descending: !this.sort.descending } : { key, descending: numeric };
    this.draw();
  }

  /** Collapses or expands the group on line `index` (execution order only). */
  toggle(index: number): void {
    if (this.collapsed.has(index)) this.collapsed.delete(index);
    else this.collapsed.add(index);
    this.draw();
  }

  private draw(): void {
    const data = this.data;
    if (data === null) return;
    const t = data.totals;
    const header = element('div', 'jp-convlab-header');
    header.append(
      element('span', 'jp-convlab-title', clipText(data.model)),
      element('span', 'jp-convlab-subtitle',
        `input ${formatDims(data.inputShape)} · ${formatInteger(t.params)} ` +
          `parameters${t.trainable === t.params ? '' : ` (${formatInteger(t.trainable)} trainable)`} · ${formatSi(t.macs)} MACs per sample`),
    );
    const hasGroups = this.lines.some((l) => l.group);
    if (hasGroups && this.sort.key === 'order') {
      header.append(
        button('jp-convlab-expand-all', 'expand all', () => { this.collapsed.clear(); this.draw(); }),
        button('jp-convlab-collapse-all', 'collapse all', () => { this.collapsed = new Set(this.lines.flatMap((l, i) => (l.group ? [i] : []))); this.draw(); }),
      );
    }
    const table = element('table', 'jp-convlab-table jp-convlab-summary-table');
    const columns = element('colgroup');
    for (const width of this.widths) {
      const column = element('col');
      column.style.width = `${width}ch`;
      columns.append(column);
    }
    table.style.width = `${this.widths.reduce((a, b) => a + b, 0)}ch`;
    table.append(columns);
    table.createTHead().append(this.headerRow());
    const body = table.createTBody();
    const visible = this.visibleLines();
    for (const index of visible.slice(0, RENDER_LIMITS.summaryLines)) body.append(this.lineRow(index));
    table.createTFoot().append(this.totalsRow(data));
    const scroller = element('div', 'jp-convlab-scroll');
    scroller.append(table);
    const hidden = visible.length - RENDER_LIMITS.summaryLines;
    this.node.replaceChildren(header, scroller, ...(hidden > 0 ? [element('div', 'jp-convlab-note', `${formatInteger(hidden)} more lines not shown (at most ` +
      `${formatInteger(RENDER_LIMITS.summaryLines)} at once); collapse groups or sort to see others`)] : []));
  }

  private visibleLines(): number[] {
    const indices = this.lines.map((_, i) => i);
    if (this.sort.key === 'order') return indices.filter((i) => !isHidden(this.lines, i, this.collapsed));
    const value = SORT_VALUE[this.sort.key];
    const sign = this.sort.descending ? -1 : 1;
    return indices.filter((i) => !this.lines[i]!.group).sort((a, b) => {
      const va = value(this.lines[a]!, a), vb = value(this.lines[b]!, b);
      const order = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return sign * order || a - b;
    });
  }

  /** Each column's width in `ch`: its widest text over every line (groups and totals included) and its header with a sort arrow. */
  private columnWidths(data: SummaryData): number[] {
    const layer = Math.max('Layer'.length + HEADER_EXTRA_CH, ...this.lines.map((l) => clipText(l.name).length + (l.depth - 1) * INDENT_CH + (l.group ? INDENT_CH : 0) + CELL_EXTRA_CH));
    const totals = this.totalsTexts(data);
    return [layer, ...this.columns.map((column, i) => {
      const cells = [...this.lines.map((l) => cellText(column, l, this.columns).length), totals[i]!.length];
      const bar = column === 'paramsPercent' ? SHARE_BAR_CH : 0;
      return Math.max(SUMMARY_COLUMN_TITLES[column].length + HEADER_EXTRA_CH, Math.min(RENDER_LIMITS.textChars, Math.max(0, ...cells)) + bar + CELL_EXTRA_CH);
    })];
  }

  private headerRow(): HTMLTableRowElement {
    const row = element('tr');
    for (const key of ['order', ...this.columns] as const) {
      const label = key === 'order' ? 'Layer' : SUMMARY_COLUMN_TITLES[key];
      const cell = element('th', key !== 'order' && NUMERIC_SUMMARY_COLUMNS.has(key) ? 'jp-convlab-numeric' : undefined);
      const active = this.sort.key === key;
      const arrow = active && key !== 'order' ? (this.sort.descending ? ' ▼' : ' ▲') : '';
      cell.append(button('jp-convlab-sort', `${label}${arrow}`, () => this.sortBy(key)));
      cell.setAttribute('aria-sort', active ? (this.sort.descending ? 'descending' : 'ascending') : 'none');
      cell.dataset['key'] = key;
      row.append(cell);
    }
    return row;
  }

  private lineRow(index: number): HTMLTableRowElement {
    const line = this.lines[index]!;
    const tree = this.sort.key === 'order';
    const row = element('tr', line.group ? 'jp-convlab-row jp-convlab-group' : 'jp-convlab-row');
    row.dataset['line'] = String(index);
    const name = element('td', 'jp-convlab-name');
    if (tree) {
      name.style.paddingLeft = `${(line.depth - 1) * 1.25 + 0.25}em`;
      if (line.group) {
        const open = !this.collapsed.has(index);
        const toggle = button('jp-convlab-toggle', open ? '▾' : '▸', () => this.toggle(index));
        toggle.setAttribute('aria-expanded', String(open));
        toggle.setAttribute('aria-label', `${open ? 'collapse' : 'expand'} ${clipText(line.name)}`);
        name.append(toggle);
      }
    }
    name.append(element('span', undefined, clipText(line.name)));
    row.append(name, ...this.columns.map((column) => this.cell(column, line)));
    return row;
  }

  private cell(column: SummaryColumn, line: TreeRow): HTMLTableCellElement {
    if (column === 'paramsPercent') return shareCell(line.group || line.params > 0 ? line.share : null);
    const numeric = NUMERIC_SUMMARY_COLUMNS.has(column);
    const frozenNote = column === 'numParams' && !this.columns.includes('trainable') && line.trainable !== line.params;
    const cell = element('td', numeric ? 'jp-convlab-numeric' : `jp-convlab-${column}`, clipText(frozenNote ? summaryCell(column, line) : cellText(column, line, this.columns)));
    if (frozenNote) cell.append(element('span', 'jp-convlab-frozen', ` (${formatInteger(line.trainable)} trainable)`));
    if (column === 'type' && line.arguments !== '') cell.title = clipText(`${line.type}(${line.arguments})`, 4 * RENDER_LIMITS.textChars);
    if (column === 'receptiveField' && line.global) cell.title = 'every output unit sees the whole input';
    return cell;
  }

  /** The totals line's text per column (empty where a total means nothing). */
  private totalsTexts(data: SummaryData): string[] {
    const t = data.totals;
    const frozen = t.trainable !== t.params && !this.columns.includes('trainable') ? ` (${formatInteger(t.trainable)} trainable)` : '';
    return this.columns.map((column) => {
      switch (column) {
        case 'numParams': return `${formatInteger(t.params)}${frozen}`;
        case 'paramsPercent': return t.params > 0 ? formatShare(1) : '';
        case 'trainable': return trainableFlag(t);
        case 'multAdds': return formatSi(t.macs);
        case 'activationMemory': return t.activationBytes === undefined ? '—' : formatBytes(t.activationBytes);
        default: return '';
      }
    });
  }

  private totalsRow(data: SummaryData): HTMLTableRowElement {
    const t = data.totals;
    const row = element('tr', 'jp-convlab-totals');
    const texts = this.totalsTexts(data);
    row.append(element('td', undefined, 'Total'), ...this.columns.map((column, i) => {
      if (column === 'paramsPercent') return shareCell(t.params > 0 ? 1 : null);
      if (column === 'numParams' && t.trainable !== t.params && !this.columns.includes('trainable')) {
        const params = element('td', 'jp-convlab-numeric', formatInteger(t.params));
        params.append(element('span', 'jp-convlab-frozen', ` (${formatInteger(t.trainable)} trainable)`));
        return params;
      }
      return element('td', NUMERIC_SUMMARY_COLUMNS.has(column) ? 'jp-convlab-numeric' : `jp-convlab-${column}`, texts[i]);
    }));
    return row;
  }

  resize(): void {}

  dispose(): void {}
}

/** A cell's text; `numParams` grows by the frozen note when no trainable column says it. */
function cellText(column: SummaryColumn, line: TreeRow, columns: readonly SummaryColumn[]): string {
  if (line.group && (column === 'type' || column === 'arguments')) return '';
  const text = summaryCell(column, line);
  if (column === 'numParams' && !columns.includes('trainable') && line.trainable !== line.params) return `${text} (${formatInteger(line.trainable)} trainable)`;
  return text;
}

/** The parameter share as a bar and a percentage; null (a row without parameters) leaves it empty. */
function shareCell(share: number | null): HTMLTableCellElement {
  const cell = element('td', 'jp-convlab-share');
  if (share === null) return cell;
  const bar = element('div', 'jp-convlab-share-bar');
  bar.style.width = `${Math.min(100, share * 100).toFixed(2)}%`;
  const track = element('div', 'jp-convlab-share-track');
  track.append(bar);
  cell.append(track, element('span', 'jp-convlab-share-text', formatShare(share)));
  return cell;
}
