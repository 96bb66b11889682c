import { fromFloatValue, type ConvUnitData, type FloatValue, type LinearUnitData, type PoolUnitData, type UnitData } from '@convlab/display';
import { button, element } from '../dom.js';
import type { View } from './view.js';

const f = (v: FloatValue | null, digits = 4): string => {
  if (v === null) return 'pad';
  const x = fromFloatValue(v);
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
};

/** Milliseconds per channel (or linear term) while playing. */
export const PLAY_STEP_MS = 900;

/** Linear terms shown before "show all". */
export const LINEAR_ROWS_SHOWN = 12;

/** Steps of a unit: its input channels (conv) or listed terms (linear); pooling has one. */
const stepsOf = (d: UnitData): number => (d.kind === 'conv' ? d.inputChannels.length : d.kind === 'linear' ? d.terms.length : 1);

/**
 * The step-through of one unit. Conv: per input channel, window ⊙ kernel = products with their
 * Σ, stepped with previous/next/play; hovering a product shows which source pixel and which
 * weight made it; then Σ over channels, + bias, the activation, and the model's own value.
 * Pooling: the window with the chosen maximum (or the average). Linear: the dot product term by
 * term (input × weight = product, largest |product| first, with the running Σ), stepped the same
 * way, then the other terms' sum, + bias and the activation.
 */
export class UnitView implements View<UnitData> {
  readonly node = element('div', 'jp-convlab-unit');
  private channel = 0;
  private allTerms = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private data: UnitData | null = null;

  render(data: UnitData): Promise<void> {
    this.stop();
    this.data = data;
    this.channel = 0;
    this.allTerms = false;
    this.draw();
    return Promise.resolve();
  }

  private draw(): void {
    const d = this.data!;
    const source = d.source.layer === null ? 'the input image' : `${d.source.layer} (${d.source.type ?? '?'})`;
    const title = element('div', 'jp-convlab-unit-title', d.kind === 'linear'
      ? `${d.layer} (${d.type}) · output feature ${d.unit.channel} · Σ of ${d.inputs} terms input × weight, reading ${source}`
      : `${d.layer} (${d.type}) · unit channel ${d.unit.channel}, row ${d.unit.row}, col ${d.unit.col} · reads ` +
        `${source} rows ${d.rows[0]}–${d.rows[d.rows.length - 1]}, cols ${d.cols[0]}–${d.cols[d.cols.length - 1]}`);
    const parts = d.kind === 'conv' ? this.convParts(d) : d.kind === 'linear' ? this.linearParts(d) : this.poolParts(d);
    this.node.replaceChildren(title, ...parts);
  }

  /** ◀ ▶ and play/pause over the unit's steps, with `position` between them. */
  private controls(what: string, position: string): HTMLElement {
    const n = stepsOf(this.data!);
    const controls = element('div', 'jp-convlab-unit-controls');
    const prev = button('jp-convlab-unit-prev', `◀ ${what}`, () => this.step(-1));
    const next = button('jp-convlab-unit-next', `${what} ▶`, () => this.step(1));
    const play = button('jp-convlab-unit-play', this.timer === null ? '▶ play' : '❚❚ pause', () => (this.timer === null ? this.play() : this.stop()));
    prev.disabled = this.channel === 0;
    next.disabled = this.channel === n - 1;
    controls.append(prev, element('span', 'jp-convlab-unit-position', position), next, play);
    return controls;
  }

  private linearParts(d: LinearUnitData): HTMLElement[] {
    const k = this.channel;
    const n = d.terms.length;
    const sourceName = d.positionsIn?.layer ?? d.source.layer ?? 'input';
    const where = (i: number): string => {
      const t = d.terms[i]!;
      return t.position === null ? `${sourceName}[${t.index}]` : `${sourceName}[channel ${t.position.channel}, row ${t.position.row}, col ${t.position.col}]`;
    };
    const controls = this.controls('term', `term ${k + 1} of ${n}`);
    const heading = element('div', 'jp-convlab-unit-label', n === d.inputs
      ? `all ${d.inputs} terms, largest |product| first`
      : `the ${n} largest of ${d.inputs} terms by |product| (the other ${d.inputs - n} are summed below)`);
    const largest = Math.max(...d.terms.map((t) => Math.abs(fromFloatValue(t.product))).filter(Number.isFinite), Number.MIN_VALUE);
    const shown = this.allTerms ? n : Math.min(n, Math.max(LINEAR_ROWS_SHOWN, k + 1));
    const table = element('table', 'jp-convlab-unit-grid jp-convlab-unit-terms');
    const head = element('tr');
    head.append(...['#', 'input', 'value', '× weight', '= product', '', 'running Σ'].map((h) => element('th', undefined, h)));
    table.append(head);
    let running = 0;
    d.terms.forEach((t, i) => {
      running += fromFloatValue(t.product);
      if (i >= shown) return;
      const tr = element('tr', `jp-convlab-unit-term${i === k ? ' jp-convlab-unit-lit' : ''}${i > k ? ' jp-convlab-unit-later' : ''}`);
      const product = fromFloatValue(t.product);
      const bar = element('span', `jp-convlab-unit-bar ${product < 0 ? 'jp-convlab-unit-bar-negative' : 'jp-convlab-unit-bar-positive'}`);
      bar.style.width = `${Number.isFinite(product) ? ((60 * Math.abs(product)) / largest).toFixed(1) : 0}px`;
      const barCell = element('td', 'jp-convlab-unit-bar-cell');
      barCell.append(bar);
      tr.append(
        element('th', undefined, String(i + 1)), element('td', 'jp-convlab-unit-where', where(i)),
        element('td', 'jp-convlab-unit-value', f(t.input)), element('td', 'jp-convlab-unit-value', f(t.weight)),
        element('td', 'jp-convlab-unit-value', f(t.product)), barCell, element('td', 'jp-convlab-unit-value', i <= k ? running.toFixed(4) : ''),
      );
      tr.addEventListener('click', () => this.goTo(i));
      table.append(tr);
    });
    const more = n > LINEAR_ROWS_SHOWN
      ? [button('jp-convlab-unit-all-terms', this.allTerms ? `show the first ${LINEAR_ROWS_SHOWN}` : `show all ${n} terms`, () => { this.allTerms = !this.allTerms; this.draw(); })] : [];
    let upTo = 0;
    for (let i = 0; i <= k; i++) upTo += fromFloatValue(d.terms[i]!.product);
    const t = d.terms[k]!;
    const trace = element('div', 'jp-convlab-unit-trace', `${where(k)} = ${f(t.input)} × ${d.layer}.weight[${d.unit.channel}, ${t.index}] = ${f(t.weight)} → ${f(t.product)}`);
    const progress = element('div', 'jp-convlab-unit-running', `running Σ of terms 1…${k + 1}: ${upTo.toFixed(4)}`);
    const rest = n === d.inputs ? '' : ` + the other ${d.inputs - n} terms ${f(d.rest)}`;
    const act = d.activation === null ? '' : ` → ${d.activation.type} (${d.activation.layer}) = ${f(d.activation.value)}`;
    const sum = n === d.inputs ? `Σ of the ${n} terms = ${f(d.sum)}` : `Σ of the ${n} listed terms ${(fromFloatValue(d.sum) - fromFloatValue(d.rest)).toFixed(4)}${rest} = ${f(d.sum)}`;
    const result = element('div', 'jp-convlab-unit-result', `${sum} → + bias ${f(d.bias)} = ${f(d.preActivation)}${act}`);
    return [controls, heading, table, ...more, trace, progress, result, this.agreement(fromFloatValue(d.preActivation), d.modelValue)];
  }

  /** A grid of values with the source rows/columns as headers; `cellClass` marks cells. */
  private grid(
    values: readonly (readonly (FloatValue | null)[])[], rows: readonly number[] | null, cols: readonly number[] | null, role: string, cellClass: (i: number, j: number) => string = () => ''
  ): HTMLTableElement {
    const table = element('table', `jp-convlab-unit-grid jp-convlab-unit-${role}`);
    if (cols !== null) {
      const head = element('tr');
      head.append(element('th'), ...cols.map((c) => element('th', undefined, String(c))));
      table.append(head);
    }
    values.forEach((row, i) => {
      const tr = element('tr');
      if (rows !== null) tr.append(element('th', undefined, String(rows[i])));
      row.forEach((v, j) => {
        const td = element('td', `jp-convlab-unit-value ${v === null ? 'jp-convlab-unit-pad' : ''} ${cellClass(i, j)}`.trim(), f(v, 3));
        td.dataset['i'] = String(i);
        td.dataset['j'] = String(j);
        tr.append(td);
      });
      table.append(tr);
    });
    return table;
  }

  private convParts(d: ConvUnitData): HTMLElement[] {
    const n = d.inputChannels.length;
    const c = this.channel;
    const ch = d.inputChannels[c]!;
    const outside = (i: number, j: number): boolean => d.rows[i]! < 0 || d.cols[j]! < 0 || (d.source.shape.length === 3 && (d.rows[i]! >= d.source.shape[1]! || d.cols[j]! >= d.source.shape[2]!));
    const controls = this.controls('channel', `input channel ${ch} (${c + 1} of ${n})`);
    const window = this.grid(d.window[c]!, d.rows, d.cols, 'window', (i, j) => (outside(i, j) ? 'jp-convlab-unit-pad' : ''));
    const kernel = this.grid(d.kernel[c]!, null, null, 'kernel');
    const products = this.grid(d.products[c]!, null, null, 'products');
    const trace = element('div', 'jp-convlab-unit-trace', 'Hover a product to see the pixel and the weight it comes from.');
    const sourceName = d.source.layer ?? 'input';
    const show = (i: number, j: number): void => {
      for (const t of [window, kernel, products]) {
        for (const td of t.querySelectorAll<HTMLElement>('td')) td.classList.toggle('jp-convlab-unit-lit', td.dataset['i'] === String(i) && td.dataset['j'] === String(j));
      }
      const pixel = outside(i, j) ? `padding at row ${d.rows[i]}, col ${d.cols[j]} = 0` : `${sourceName}[channel ${ch}, row ${d.rows[i]}, col ${d.cols[j]}] = ${f(d.window[c]![i]![j]!)}`;
      trace.textContent = `${pixel} × ${d.layer}.weight[${d.unit.channel}, ${c}, ${i}, ${j}] = ${f(d.kernel[c]![i]![j]!)} → ${f(d.products[c]![i]![j]!)}`;
    };
    for (const td of products.querySelectorAll<HTMLElement>('td')) {
      const at = (): void => show(Number(td.dataset['i']), Number(td.dataset['j']));
      td.tabIndex = 0;
      td.addEventListener('mouseenter', at);
      td.addEventListener('focus', at);
    }
    const op = (s: string): HTMLElement => element('span', 'jp-convlab-unit-op', s);
    const row = element('div', 'jp-convlab-unit-row');
    const labeled = (label: string, node: HTMLElement): HTMLElement => {
      const box = element('div', 'jp-convlab-unit-panel');
      box.append(element('div', 'jp-convlab-unit-label', label), node);
      return box;
    };
    row.append(
      labeled(`window of ${sourceName}, channel ${ch}`, window), op('⊙'),
      labeled(`kernel [${d.unit.channel}, ${c}]`, kernel), op('='),
      labeled('products', products), op('Σ'),
      element('span', 'jp-convlab-unit-channel-sum', f(d.channelSums[c]!)),
    );
    let running = 0;
    for (let k = 0; k <= c; k++) running += fromFloatValue(d.channelSums[k]!);
    const progress = element('div', 'jp-convlab-unit-running', `running Σ over input channels ${d.inputChannels[0]}…${ch}: ${running.toFixed(4)}`);
    const act = d.activation === null ? '' : ` → ${d.activation.type} (${d.activation.layer}) = ${f(d.activation.value)}`;
    const result = element('div', 'jp-convlab-unit-result', `Σ over ${n} channel${n === 1 ? '' : 's'} = ${f(d.sum)} → + bias ${f(d.bias)} = ${f(d.preActivation)}${act}`);
    return [controls, row, trace, progress, result, this.agreement(fromFloatValue(d.preActivation), d.modelValue)];
  }

  private poolParts(d: PoolUnitData): HTMLElement[] {
    const chosen = d.argMax === null ? null : [d.rows.indexOf(d.argMax.row), d.cols.indexOf(d.argMax.col)];
    const grid = this.grid(d.window, d.rows, d.cols, 'window', (i, j) => (chosen !== null && chosen[0] === i && chosen[1] === j ? 'jp-convlab-unit-chosen' : ''));
    const sourceName = d.source.layer ?? 'input';
    const label = element('div', 'jp-convlab-unit-label', `window of ${sourceName}, channel ${d.unit.channel}`);
    const result = element('div', 'jp-convlab-unit-result', d.kind === 'maxpool'
      ? `max = ${f(d.value)} from ${sourceName}[channel ${d.unit.channel}, row ${d.argMax?.row}, col ${d.argMax?.col}]`
      : `Σ window / ${d.divisor} = ${f(d.value)}`);
    return [label, grid, result, this.agreement(fromFloatValue(d.value), d.modelValue)];
  }

  /** The model's own value and whether the arithmetic above reproduces it (to float32 precision). */
  private agreement(computed: number, model: FloatValue): HTMLElement {
    const m = fromFloatValue(model);
    const same = Math.abs(computed - m) <= 1e-5 * Math.max(1, Math.abs(m));
    const node = element('div', `jp-convlab-unit-agreement ${same ? 'jp-convlab-unit-agrees' : 'jp-convlab-unit-differs'}`,
      `${same ? '✓' : '✗'} the model's own value: ${f(model, 6)} (${same ? 'equal to float32 precision' : `differs by ${Math.abs(computed - m).toExponential(2)}`})`);
    return node;
  }

  /** Moves to the previous (−1) or next (+1) input channel (conv) or term (linear). */
  step(delta: number): void {
    this.goTo(this.channel + delta);
  }

  private goTo(index: number): void {
    const d = this.data;
    if (d === null || d.kind === 'maxpool' || d.kind === 'avgpool') return;
    const next = Math.min(stepsOf(d) - 1, Math.max(0, index));
    if (next === this.channel) return;
    this.channel = next;
    this.draw();
  }

  /** Steps through the channels or terms, one every {@link PLAY_STEP_MS}, from the first when at the end. */
  play(): void {
    const d = this.data;
    if (d === null || d.kind === 'maxpool' || d.kind === 'avgpool') return;
    const n = stepsOf(d);
    if (this.channel === n - 1) this.channel = 0;
    this.timer = setInterval(() => {
      if (this.channel >= n - 1) this.stop();
      else this.step(1);
    }, PLAY_STEP_MS);
    this.draw();
  }

  stop(): void {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
    if (this.data !== null) this.draw();
  }

  resize(): void {}

  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
