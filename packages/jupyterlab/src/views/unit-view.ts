import { fromFloatValue, type ConvUnitData, type FloatValue, type PoolUnitData, type UnitData } from '@convlab/display';
import { button, element } from '../dom.js';
import type { View } from './view.js';

const f = (v: FloatValue | null, digits = 4): string => {
  if (v === null) return 'pad';
  const x = fromFloatValue(v);
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
};

/** Milliseconds per channel while playing. */
export const PLAY_STEP_MS = 900;

/**
 * The step-through of one unit. Conv: per input channel, window ⊙ kernel = products with their
 * Σ, stepped with previous/next/play; hovering a product shows which source pixel and which
 * weight made it; then Σ over channels, + bias, the activation, and the model's own value.
 * Pooling: the window with the chosen maximum (or the average).
 */
export class UnitView implements View<UnitData> {
  readonly node = element('div', 'jp-convlab-unit');
  private channel = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private data: UnitData | null = null;

  render(data: UnitData): Promise<void> {
    this.stop();
    this.data = data;
    this.channel = 0;
    this.draw();
    return Promise.resolve();
  }

  private draw(): void {
    const d = this.data!;
    const source = d.source.layer === null ? 'the input image' : `${d.source.layer} (${d.source.type ?? '?'})`;
    const title = element('div', 'jp-convlab-unit-title',
      `${d.layer} (${d.type}) · unit channel ${d.unit.channel}, row ${d.unit.row}, col ${d.unit.col} · reads ${source} rows ${d.rows[0]}–${d.rows[d.rows.length - 1]}, cols ${d.cols[0]}–${d.cols[d.cols.length - 1]}`);
    this.node.replaceChildren(title, ...(d.kind === 'conv' ? this.convParts(d) : this.poolParts(d)));
  }

  /** A grid of values with the source rows/columns as headers; `cellClass` marks cells. */
  private grid(values: readonly (readonly (FloatValue | null)[])[], rows: readonly number[] | null, cols: readonly number[] | null, role: string, cellClass: (i: number, j: number) => string = () => ''): HTMLTableElement {
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
    const controls = element('div', 'jp-convlab-unit-controls');
    const prev = button('jp-convlab-unit-prev', '◀ channel', () => this.step(-1));
    const next = button('jp-convlab-unit-next', 'channel ▶', () => this.step(1));
    const play = button('jp-convlab-unit-play', this.timer === null ? '▶ play' : '❚❚ pause', () => (this.timer === null ? this.play() : this.stop()));
    prev.disabled = c === 0;
    next.disabled = c === n - 1;
    controls.append(prev, element('span', 'jp-convlab-unit-position', `input channel ${ch} (${c + 1} of ${n})`), next, play);
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

  /** Moves to the previous (−1) or next (+1) input channel. */
  step(delta: number): void {
    const d = this.data;
    if (d === null || d.kind !== 'conv') return;
    const next = Math.min(d.inputChannels.length - 1, Math.max(0, this.channel + delta));
    if (next === this.channel) return;
    this.channel = next;
    this.draw();
  }

  /** Steps through the channels, one every {@link PLAY_STEP_MS}, from the first when at the end. */
  play(): void {
    const d = this.data;
    if (d === null || d.kind !== 'conv') return;
    if (this.channel === d.inputChannels.length - 1) this.channel = 0;
    this.timer = setInterval(() => {
      if (this.channel >= d.inputChannels.length - 1) this.stop();
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
