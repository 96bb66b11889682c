import { formatDims, formatInteger, formatReceptiveField, formatShare, formatSi, type SummaryData } from '@convlab/display';
import { button, element } from '../dom.js';
import { clipText, RENDER_LIMITS } from '../render-limits.js';
import { isHidden, summaryTree, type TreeRow } from './summary-tree.js';
import type { View } from './view.js';

/** Columns of the parameter table and how each sorts. */
export const COLUMNS = [
  { key: 'order', label: 'Layer', numeric: false },
  { key: 'type', label: 'Type', numeric: false },
  { key: 'output', label: 'Output shape', numeric: true },
  { key: 'params', label: 'Parameters', numeric: true },
  { key: 'share', label: 'Param share', numeric: true },
  { key: 'macs', label: 'MACs', numeric: true },
  { key: 'field', label: 'Receptive field', numeric: true },
] as const;

export type SortKey = (typeof COLUMNS)[number]['key'];

/** Above this many layers, groups start collapsed. */
export const COLLAPSE_ABOVE_LAYERS = 50;

const SORT_VALUE: { readonly [K in SortKey]: (line: TreeRow, index: number) => number | string } = {
  order: (_, index) => index,
  type: (line) => line.type,
  output: (line) => line.outputShape.reduce((a, b) => a * b, 1),
  params: (line) => line.params,
  share: (line) => line.share,
  macs: (line) => line.macs,
  field: (line) => (line.global ? Infinity : line.receptiveField === null ? -1 : line.receptiveField.size[0] * line.receptiveField.size[1]),
};

/**
 * A model's parameter table: one line per layer with its output shape, parameters (and share of the
 * model's, as a bar), MACs and receptive field; totals at the bottom. In execution order, layers
 * nest in collapsible groups by name (`layer1` › `layer1.0` › `layer1.0.conv1`); clicking a column
 * header sorts the layers by it (flat), clicking again reverses, clicking "Layer" restores the order.
 */
export class SummaryView implements View<SummaryData> {
  readonly node = element('div', 'jp-convlab-summary');
  private data: SummaryData | null = null;
  private lines: TreeRow[] = [];
  private collapsed = new Set<number>();
  private sort: { key: SortKey; descending: boolean } = { key: 'order', descending: false };

  render(data: SummaryData): Promise<void> {
    this.data = data;
    this.lines = summaryTree(data.rows);
    const layers = this.lines.filter((l) => !l.group).length;
    this.collapsed = new Set(layers > COLLAPSE_ABOVE_LAYERS ? this.lines.flatMap((l, i) => (l.group ? [i] : [])) : []);
    this.draw();
    return Promise.resolve();
  }

  /** Sorts by `key` (descending first for numbers); the same key again reverses the order. */
  sortBy(key: SortKey): void {
    const numeric = COLUMNS.find((c) => c.key === key)!.numeric;
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
        `input ${formatDims(data.inputShape)} · ${formatInteger(t.params)} parameters${t.trainable === t.params ? '' : ` (${formatInteger(t.trainable)} trainable)`} · ${formatSi(t.macs)} MACs per sample`),
    );
    const hasGroups = this.lines.some((l) => l.group);
    if (hasGroups && this.sort.key === 'order') {
      header.append(
        button('jp-convlab-expand-all', 'expand all', () => { this.collapsed.clear(); this.draw(); }),
        button('jp-convlab-collapse-all', 'collapse all', () => { this.collapsed = new Set(this.lines.flatMap((l, i) => (l.group ? [i] : []))); this.draw(); }),
      );
    }
    const table = element('table', 'jp-convlab-table jp-convlab-summary-table');
    table.createTHead().append(this.headerRow());
    const body = table.createTBody();
    const visible = this.visibleLines();
    for (const index of visible.slice(0, RENDER_LIMITS.summaryLines)) body.append(this.lineRow(index));
    table.createTFoot().append(totalsRow(data));
    const scroller = element('div', 'jp-convlab-scroll');
    scroller.append(table);
    const hidden = visible.length - RENDER_LIMITS.summaryLines;
    this.node.replaceChildren(header, scroller, ...(hidden > 0 ? [element('div', 'jp-convlab-note', `${formatInteger(hidden)} more lines not shown (at most ${formatInteger(RENDER_LIMITS.summaryLines)} at once); collapse groups or sort to see others`)] : []));
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

  private headerRow(): HTMLTableRowElement {
    const row = element('tr');
    for (const column of COLUMNS) {
      const cell = element('th', column.numeric ? 'jp-convlab-numeric' : undefined);
      const active = this.sort.key === column.key;
      const arrow = active && column.key !== 'order' ? (this.sort.descending ? ' ▼' : ' ▲') : '';
      cell.append(button('jp-convlab-sort', `${column.label}${arrow}`, () => this.sortBy(column.key)));
      cell.setAttribute('aria-sort', active ? (this.sort.descending ? 'descending' : 'ascending') : 'none');
      cell.dataset['key'] = column.key;
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
    const type = element('td', 'jp-convlab-type', clipText(line.type));
    if (line.arguments !== '') type.title = clipText(`${line.type}(${line.arguments})`, 4 * RENDER_LIMITS.textChars);
    row.append(
      name,
      type,
      element('td', 'jp-convlab-numeric', formatDims(line.outputShape)),
      paramsCell(line),
      shareCell(line.share),
      element('td', 'jp-convlab-numeric', line.macs === 0 ? '–' : formatSi(line.macs)),
      fieldCell(line),
    );
    return row;
  }

  resize(): void {}

  dispose(): void {}
}

function paramsCell(line: TreeRow): HTMLTableCellElement {
  const cell = element('td', 'jp-convlab-numeric', formatInteger(line.params));
  if (line.trainable !== line.params) cell.append(element('span', 'jp-convlab-frozen', ` (${formatInteger(line.trainable)} trainable)`));
  return cell;
}

function shareCell(share: number): HTMLTableCellElement {
  const cell = element('td', 'jp-convlab-share');
  const bar = element('div', 'jp-convlab-share-bar');
  bar.style.width = `${Math.min(100, share * 100).toFixed(2)}%`;
  const track = element('div', 'jp-convlab-share-track');
  track.append(bar);
  cell.append(track, element('span', 'jp-convlab-share-text', formatShare(share)));
  return cell;
}

function fieldCell(line: TreeRow): HTMLTableCellElement {
  if (line.global) {
    const cell = element('td', 'jp-convlab-numeric', 'whole input');
    cell.title = 'every output unit sees the whole input';
    return cell;
  }
  return element('td', 'jp-convlab-numeric', line.receptiveField === null ? '–' : formatReceptiveField(line.receptiveField));
}

function totalsRow(data: SummaryData): HTMLTableRowElement {
  const t = data.totals;
  const row = element('tr', 'jp-convlab-totals');
  const params = element('td', 'jp-convlab-numeric', formatInteger(t.params));
  if (t.trainable !== t.params) params.append(element('span', 'jp-convlab-frozen', ` (${formatInteger(t.trainable)} trainable)`));
  row.append(element('td', undefined, 'Total'), element('td'), element('td'), params, shareCell(t.params > 0 ? 1 : 0), element('td', 'jp-convlab-numeric', formatSi(t.macs)), element('td'));
  return row;
}
