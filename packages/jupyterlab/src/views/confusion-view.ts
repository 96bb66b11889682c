import type { ConfusionData } from '@convlab/display';
import { planesDataUrl } from '../bitmap.js';
import { element } from '../dom.js';
import type { View } from './view.js';

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/**
 * A confusion matrix as a heat map (count and row percentage in every cell, shaded by the row
 * share: green on the diagonal, red off it) beside the per-class scores. Clicking an off-diagonal
 * cell lists that cell's most confident mistakes with their images.
 */
export class ConfusionView implements View<ConfusionData> {
  readonly node = element('div', 'jp-convlab-confusion');
  private data: ConfusionData | null = null;
  private readonly details = element('div', 'jp-convlab-confusion-examples');

  render(data: ConfusionData): Promise<void> {
    this.data = data;
    const k = data.classes.length;
    const title = element('div', 'jp-convlab-confusion-title',
      `${data.total.toLocaleString('en-US')} images · accuracy ${pct(data.accuracy)} · rows: true class, columns: predicted · click a cell for its mistakes`);
    const table = element('table', 'jp-convlab-confusion-matrix');
    const head = element('tr');
    head.append(element('th', 'jp-convlab-confusion-corner', 'true \\ predicted'), ...data.classes.map((c) => element('th', 'jp-convlab-confusion-col', c)));
    table.append(head);
    data.matrix.forEach((row, t) => {
      const tr = element('tr');
      tr.append(element('th', 'jp-convlab-confusion-row', data.classes[t]));
      const support = row.reduce((a, b) => a + b, 0);
      row.forEach((count, p) => {
        const share = support === 0 ? 0 : count / support;
        const td = element('td', `jp-convlab-confusion-cell ${t === p ? 'jp-convlab-confusion-diagonal' : 'jp-convlab-confusion-off'}`);
        td.dataset['true'] = String(t);
        td.dataset['predicted'] = String(p);
        td.style.setProperty('--jp-convlab-share', share.toFixed(3));
        td.classList.toggle('jp-convlab-confusion-strong', share > 0.55);
        td.tabIndex = 0;
        td.setAttribute('role', 'button');
        td.title = `${data.classes[t]} predicted as ${data.classes[p]}: ${count} of ${support} (${pct(share)})`;
        td.append(element('div', 'jp-convlab-confusion-count', String(count)), element('div', 'jp-convlab-confusion-share', pct(share)));
        td.addEventListener('click', () => this.select(t, p));
        td.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.select(t, p); } });
        tr.append(td);
      });
      table.append(tr);
    });
    const scores = element('table', 'jp-convlab-confusion-scores');
    const sh = element('tr');
    sh.append(...['class', 'precision', 'recall', 'F1', 'support'].map((h) => element('th', undefined, h)));
    scores.append(sh);
    const line = (name: string, s: ConfusionData['macro'], cls?: string): void => {
      const tr = element('tr', cls);
      tr.append(element('td', undefined, name), ...[pct(s.precision), pct(s.recall), pct(s.f1), s.support.toLocaleString('en-US')].map((v) => element('td', 'jp-convlab-num', v)));
      scores.append(tr);
    };
    data.perClass.forEach((s, i) => line(data.classes[i]!, s));
    line('macro avg', data.macro, 'jp-convlab-confusion-average');
    line('weighted avg', data.weighted, 'jp-convlab-confusion-average');
    const body = element('div', 'jp-convlab-confusion-body');
    body.append(table, scores);
    this.details.replaceChildren(element('div', 'jp-convlab-confusion-hint', k > 1 ? 'Click a cell off the diagonal to see those misclassified images.' : ''));
    this.node.replaceChildren(title, body, this.details);
    return Promise.resolve();
  }

  /** Shows the stored mistakes of cell (true `t`, predicted `p`). */
  select(t: number, p: number): void {
    const d = this.data;
    if (d === null) return;
    for (const cell of this.node.querySelectorAll<HTMLElement>('.jp-convlab-confusion-cell')) {
      cell.classList.toggle('jp-convlab-confusion-selected', cell.dataset['true'] === String(t) && cell.dataset['predicted'] === String(p));
    }
    const count = d.matrix[t]![p]!;
    if (t === p) {
      this.details.replaceChildren(element('div', 'jp-convlab-confusion-heading', `${d.classes[t]}: ${count} correct predictions (no mistakes in this cell)`));
      return;
    }
    const examples = d.examples.filter((e) => e.trueClass === t && e.predictedClass === p);
    const heading = element('div', 'jp-convlab-confusion-heading',
      `${d.classes[t]} predicted as ${d.classes[p]}: ${count} image${count === 1 ? '' : 's'}` +
      (examples.length === 0 ? (count === 0 ? '' : ' (none stored in this display)') : `; the ${examples.length} most confident:`));
    const grid = element('div', 'jp-convlab-confusion-images');
    for (const e of examples) {
      const figure = element('figure', 'jp-convlab-confusion-example');
      const img = element('img');
      const [, h, w] = e.image.shape;
      img.src = planesDataUrl(e.image);
      img.width = Math.max(56, w * 2);
      img.height = Math.round((img.width * h) / w);
      img.alt = `image ${e.index}: ${d.classes[t]} predicted as ${d.classes[p]}`;
      figure.append(img, element('figcaption', undefined, `#${e.index} · ${pct(e.confidence)}`));
      grid.append(figure);
    }
    this.details.replaceChildren(heading, grid);
  }

  resize(): void {}

  dispose(): void {}
}
