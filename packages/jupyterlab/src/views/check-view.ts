import { arrayDiff, formatCheckValue, formatTolerance, type CheckData, type DiffRow } from '@convlab/display';
import { element } from '../dom.js';
import { clipText, RENDER_LIMITS } from '../render-limits.js';
import type { View } from './view.js';

/**
 * An exercise check. Passed: one compact line (✓, the name, the value with separators) whose
 * details (computed, expected, tolerance, message) open on click. Failed: open, with computed and
 * expected side by side and, for arrays, an element-by-element diff.
 */
export class CheckView implements View<CheckData> {
  readonly node = element('details', 'jp-convlab-check');

  render(data: CheckData): Promise<void> {
    this.node.classList.toggle('jp-convlab-check-passed', data.passed);
    this.node.classList.toggle('jp-convlab-check-failed', !data.passed);
    this.node.setAttribute('role', 'status');
    this.node.open = !data.passed;
    const icon = element('span', 'jp-convlab-check-icon', data.passed ? '✓' : '✗');
    icon.setAttribute('aria-hidden', 'true');
    const title = element('summary', 'jp-convlab-check-title');
    title.append(icon, element('span', 'jp-convlab-check-name', clipText(data.name)));
    if (data.passed) title.append(element('span', 'jp-convlab-check-value', formatCheckValue(clipText(data.computed))));
    else title.append(element('span', 'jp-convlab-check-verdict', 'failed'));
    const values = element('div', 'jp-convlab-check-values');
    values.append(
      element('span', '', `computed ${formatCheckValue(clipText(data.computed))}`),
      element('span', '', `expected ${formatCheckValue(clipText(data.expected))}`),
      element('span', '', formatTolerance(data.tolerance)),
    );
    const parts: HTMLElement[] = [title, values, element('div', 'jp-convlab-check-message', clipText(data.message, 10 * RENDER_LIMITS.textChars))];
    const diff = data.passed ? null : arrayDiff(data.computed, data.expected, data.tolerance);
    if (diff !== null) parts.push(diffTable(diff.rows, diff.total, diff.differing));
    this.node.replaceChildren(...parts);
    return Promise.resolve();
  }

  resize(): void {}

  dispose(): void {}
}

/** A table of array elements, differing ones marked, with how many are not shown. */
function diffTable(rows: readonly DiffRow[], total: number, differing: number): HTMLElement {
  const table = element('table', 'jp-convlab-table jp-convlab-check-diff');
  const head = element('tr');
  for (const h of ['index', 'computed', 'expected']) head.append(element('th', '', h));
  table.append(head);
  for (const r of rows) {
    const tr = element('tr', r.differs ? 'jp-convlab-check-differs' : '');
    tr.append(element('td', '', r.index), element('td', '', r.computed), element('td', '', r.expected));
    table.append(tr);
  }
  const wrap = element('div', 'jp-convlab-check-diff-wrap');
  const note = `${differing} of ${total} element${total === 1 ? '' : 's'} differ${differing === 1 ? 's' : ''}${rows.length < total ? ` (${rows.length} shown)` : ''}`;
  wrap.append(element('div', 'jp-convlab-check-diff-note', note), table);
  return wrap;
}
