// @vitest-environment jsdom
import { summaryPayload } from '@convlab/notebook';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, summary } from '@convlab/core';
import { describe, expect, it } from 'vitest';
import { SummaryView } from '../../src/views/summary-view.js';
import { SUMMARY } from '../helpers/payloads.js';

const texts = (root: Element, selector: string): string[] => [...root.querySelectorAll(selector)].map((e) => e.textContent ?? '');
const cells = (view: SummaryView): string[][] => [...view.node.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent ?? ''));
const headerButton = (view: SummaryView, label: string): HTMLButtonElement =>
  [...view.node.querySelectorAll<HTMLButtonElement>('thead button')].find((b) => b.textContent!.startsWith(label))!;

describe('SummaryView', () => {
  it('shows one line per layer and group with shape, parameters, share, MACs and receptive field, and the totals', async () => {
    const view = new SummaryView();
    await view.render(SUMMARY);
    expect(texts(view.node, '.jp-convlab-header .jp-convlab-title')).toEqual(['TinyNet']);
    expect(view.node.querySelector('.jp-convlab-subtitle')!.textContent).toBe('input 1×8×8 · 300 parameters (40 trainable) · 2.56 K MACs per sample');
    expect(texts(view.node, 'thead th')).toEqual(['Layer', 'Type', 'Output shape', 'Params', 'Param share', 'MACs', 'Activation memory', 'Receptive field']);
    expect(cells(view)).toEqual([
      ['▾features', '', '4×4×4', '40', '13.3%', '2.304 K', '—', '4×4 (jump 2)'],
      ['features.0', 'Conv2d', '4×8×8', '40', '13.3%', '2.304 K', '—', '3×3 (jump 1)'],
      ['features.1', 'ReLU', '4×8×8', '0', '', '0', '—', '3×3 (jump 1)'],
      ['features.2', 'MaxPool2d', '4×4×4', '0', '', '0', '—', '4×4 (jump 2)'],
      ['flatten', 'Flatten', '64', '0', '', '0', '—', '—'],
      ['fc', 'Linear', '4', '260 (0 trainable)', '86.7%', '256', '—', 'whole input'],
    ]);
    expect(texts(view.node, 'tfoot td')).toEqual(['Total', '', '', '300 (40 trainable)', '100.0%', '2.56 K', '—', '']);
    const bars = [...view.node.querySelectorAll<HTMLElement>('tbody .jp-convlab-share-bar')].map((b) => b.style.width);
    expect(bars).toEqual(['13.33%', '13.33%', '86.67%']);
    expect(view.node.querySelectorAll('tbody td.jp-convlab-type')[1]!.getAttribute('title')).toBe('Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))');
  });

  it('collapses and expands a group', async () => {
    const view = new SummaryView();
    await view.render(SUMMARY);
    const toggle = (): HTMLButtonElement => view.node.querySelector<HTMLButtonElement>('.jp-convlab-toggle')!;
    toggle().click();
    expect(texts(view.node, 'tbody .jp-convlab-name')).toEqual(['▸features', 'flatten', 'fc']);
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
    toggle().click();
    expect(view.node.querySelectorAll('tbody tr')).toHaveLength(6);
    view.node.querySelector<HTMLButtonElement>('.jp-convlab-collapse-all')!.click();
    expect(view.node.querySelectorAll('tbody tr')).toHaveLength(3);
    view.node.querySelector<HTMLButtonElement>('.jp-convlab-expand-all')!.click();
    expect(view.node.querySelectorAll('tbody tr')).toHaveLength(6);
  });

  it('sorts layers (without groups) by a column, descending first for numbers; again reverses; Layer restores the order', async () => {
    const view = new SummaryView();
    await view.render(SUMMARY);
    headerButton(view, 'MACs').click();
    expect(texts(view.node, 'tbody .jp-convlab-name')).toEqual(['features.0', 'fc', 'features.1', 'features.2', 'flatten']);
    expect(headerButton(view, 'MACs').textContent).toBe('MACs ▼');
    expect(view.node.querySelector('th[data-key="multAdds"]')!.getAttribute('aria-sort')).toBe('descending');
    expect(view.node.querySelector('.jp-convlab-collapse-all')).toBeNull();
    headerButton(view, 'MACs').click();
    expect(texts(view.node, 'tbody .jp-convlab-name')).toEqual(['features.1', 'features.2', 'flatten', 'fc', 'features.0']);
    headerButton(view, 'Type').click();
    expect(texts(view.node, 'tbody .jp-convlab-name')).toEqual(['features.0', 'flatten', 'fc', 'features.2', 'features.1']);
    headerButton(view, 'Receptive field').click();
    expect(texts(view.node, 'tbody .jp-convlab-name')).toEqual(['fc', 'features.2', 'features.0', 'features.1', 'flatten']);
    headerButton(view, 'Layer').click();
    expect(texts(view.node, 'tbody .jp-convlab-name')).toEqual(['▾features', 'features.0', 'features.1', 'features.2', 'flatten', 'fc']);
  });

  it('starts with groups collapsed for models of more than 50 layers', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ ...SUMMARY.rows[1]!, name: `block${Math.floor(i / 10)}.${i % 10}` }));
    const view = new SummaryView();
    await view.render({ ...SUMMARY, rows });
    expect(texts(view.node, 'tbody .jp-convlab-name')).toEqual(['▸block0', '▸block1', '▸block2', '▸block3', '▸block4', '▸block5']);
  });

  it('renders a real summary of LeNet-5 from convlab', async () => {
    const lenet = new Sequential(
      new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10),
    );
    const view = new SummaryView();
    await view.render(summaryPayload(summary(lenet, [1, 32, 32])));
    expect(view.node.querySelectorAll('tbody tr')).toHaveLength(12);
    expect(cells(view)[3]).toEqual(['3', 'Conv2d', '16×10×10', '2,416', '3.9%', '240 K', '6.3 KiB', '14×14 (jump 2)']);
    expect(texts(view.node, 'tfoot td')).toEqual(['Total', '', '', '61,706', '100.0%', '416.5 K', '58.6 KiB', '']);
  });

  it("shows the payload's columns (torchinfo's colNames), with the trainable flag", async () => {
    const frozen = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Flatten(), new Linear(72, 3));
    frozen.layers[0]!.parameters()[0]!.requiresGrad_(false);
    frozen.layers[3]!.parameters().forEach((p) => p.requiresGrad_(false));
    const view = new SummaryView();
    await view.render(summaryPayload(summary(frozen, [1, 8, 8], { colNames: ['trainable', 'numParams', 'activationMemory'] })));
    expect(texts(view.node, 'thead th')).toEqual(['Layer', 'Trainable', 'Params', 'Activation memory']);
    expect(cells(view)).toEqual([['0', 'partly', '20', '288 B'], ['1', '—', '0', '288 B'], ['2', '—', '0', '288 B'], ['3', 'no', '219', '12 B']]);
    expect(texts(view.node, 'tfoot td')).toEqual(['Total', 'partly', '239', '876 B']);
    headerButton(view, 'Trainable').click();
    expect(texts(view.node, 'tbody .jp-convlab-name')).toEqual(['1', '2', '3', '0']);
  });

  it('keeps every column width when sorting or collapsing (fixed from all lines, header arrow included)', async () => {
    const view = new SummaryView();
    await view.render(SUMMARY);
    const widths = (): string[] => [...view.node.querySelectorAll<HTMLElement>('colgroup col')].map((c) => c.style.width);
    const first = widths();
    expect(first).toEqual(['16.5ch', '13ch', '17ch', '22ch', '19ch', '11ch', '22ch', '20ch']); // the totals' '300 (40 trainable)' and '100.0%' count too
    headerButton(view, 'MACs').click();
    expect(widths()).toEqual(first);
    headerButton(view, 'Layer').click();
    view.node.querySelector<HTMLButtonElement>('.jp-convlab-collapse-all')!.click();
    expect(widths()).toEqual(first);
    expect(view.node.querySelector<HTMLElement>('table')!.style.width).toBe('140.5ch');
  });

  it('shows hostile names and types as text', async () => {
    const view = new SummaryView();
    const hostile = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>';
    await view.render({ ...SUMMARY, model: hostile, rows: [{ ...SUMMARY.rows[4]!, name: hostile, type: hostile, arguments: hostile }] });
    expect(view.node.querySelector('img')).toBeNull();
    expect(view.node.querySelector('script')).toBeNull();
    expect(view.node.querySelector('.jp-convlab-title')!.textContent).toBe(hostile);
    expect(cells(view)[0]!.slice(0, 2)).toEqual([hostile, hostile]);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });
});
