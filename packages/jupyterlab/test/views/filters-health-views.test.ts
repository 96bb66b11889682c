// @vitest-environment jsdom
import '../helpers/lumino-in-jsdom.js';
import { countTicks, logCounts, mimeType, type Kind } from '@convlab/display';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { rendererFactory } from '../../src/extension.js';
import { diverging } from '../../src/views/filters-view.js';
import { plotOf, resetFakePlotly } from '../helpers/fake-plotly.js';
import { base64, FILTERS, LAYER_HEALTH as HEALTH } from '../helpers/payloads.js';

vi.mock('plotly.js-cartesian-dist-min', async () => ({ default: (await import('../helpers/fake-plotly.js')).fakePlotly }));

async function render(kind: Kind, data: unknown): Promise<HTMLElement> {
  const r = rendererFactory.createRenderer({ mimeType: mimeType(kind), sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
  await r.renderModel({ trusted: false, data: { [mimeType(kind)]: data } as never, metadata: {}, setData: () => undefined });
  return r.node;
}

beforeEach(() => resetFakePlotly());

/** A mousemove at (x, y) CSS pixels over `node` (jsdom leaves offsetX/Y at 0). */
function hover(node: Element, x: number, y: number): void {
  const move = new MouseEvent('mousemove');
  Object.defineProperty(move, 'offsetX', { value: x });
  Object.defineProperty(move, 'offsetY', { value: y });
  node.dispatchEvent(move);
}

describe('filter grid view', () => {
  it('draws every kernel in one crisp image on a diverging scale, labelled by filter and input, and names a hovered weight', async () => {
    const node = await render('filters', FILTERS);
    expect(node.querySelector('.jp-convlab-filters-caption')!.textContent).toBe('conv2 · 3 filters of 2×1×2 · weights -0.5 … 0.25 · showing 2 filters × 2 input channels');
    const img = node.querySelector<HTMLImageElement>('.jp-convlab-filters-grid-image')!;
    // 2×2 tiles of 1×2 weights, each weight 20×20 pixels, tiles 2 pixels apart: 82×42, shown 1:1
    expect([img.width, img.height, img.alt]).toEqual([82, 42, '2 filters × 2 input channels of conv2']);
    expect(img.src.startsWith('data:image/bmp;base64,Qk')).toBe(true);
    expect([...node.querySelectorAll('.jp-convlab-filters-grid span')].map((s) => s.textContent)).toEqual(['filter ↓ input →', '0', '1', '0', '2']);
    expect(node.querySelector<HTMLElement>('.jp-convlab-filters-grid')!.style.gridTemplateColumns).toBe('auto repeat(2, 42px)');
    hover(img, 25, 30);   // tile row 1 (filter 2), column 0, kernel col 1 → byte 204
    expect(node.querySelector('.jp-convlab-filters-status')!.textContent).toBe('filter 2, input channel 0, row 0, col 1: weight ≈ 0.3');
    hover(img, 41, 5);    // the gap between the columns: nothing new
    expect(node.querySelector('.jp-convlab-filters-status')!.textContent).toBe('filter 2, input channel 0, row 0, col 1: weight ≈ 0.3');
    expect([...node.querySelectorAll('.jp-convlab-filters-legend span')].map((s) => s.textContent)).toEqual(['-0.5', '', '0.5', 'weight (white = 0)']);
    expect([diverging(0), diverging(128), diverging(255)]).toEqual([[33, 102, 172], [247, 246, 246], [178, 24, 43]]);
  });

  it('shows RGB kernels as color tiles, and a norm map with the hovered cell', async () => {
    const rgb = await render(
      'filters', { ...FILTERS, weightShape: [2, 3, 1, 1], mode: 'rgb', outputs: [0, 1], inputs: [0, 1, 2], planes: { ...FILTERS.planes, shape: [6, 1, 1], data: base64([255, 0, 0, 0, 0, 255]) } }
    );
    expect(rgb.querySelector('.jp-convlab-filters-legend')!.textContent).toBe('each color channel: weight -0.5 → 0, 0 → 128 (gray), 0.5 → 255');
    expect([...rgb.querySelectorAll('.jp-convlab-filters-grid span')].map((s) => s.textContent)).toEqual(['filters', '0', '1', '']);
    hover(rgb.querySelector('.jp-convlab-filters-grid-image')!, 50, 10);
    expect(rgb.querySelector('.jp-convlab-filters-status')!.textContent).toBe('filter 1, row 0, col 0: weights ≈ R -0.5, G -0.5, B 0.5');
    const norms = await render('filters', { ...FILTERS, mode: 'norms', planes: { ...FILTERS.planes, shape: [1, 2, 2], data: base64([0, 85, 170, 255]), min: [0], max: [0.9] } });
    const img = norms.querySelector<HTMLImageElement>('.jp-convlab-filters-norms')!;
    expect([img.width, img.height]).toEqual([32, 32]);
    hover(img, 20, 3);
    expect(norms.querySelector('.jp-convlab-filters-status')!.textContent).toBe('filter 0, input channel 1: ‖kernel‖₂ ≈ 0.3');
  });

  it('shows markup as text and refuses tiles that do not match', async () => {
    const hostile = '<img src=x onerror="globalThis.pwned=1">';
    const node = await render('filters', { ...FILTERS, layer: hostile });
    expect(node.querySelector('.jp-convlab-filters-caption')!.textContent).toContain(hostile);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
    const bad = await render('filters', { ...FILTERS, outputs: [0, 5] });
    expect([...bad.querySelectorAll('.jp-convlab-error li')].map((li) => li.textContent)).toEqual(['filters.outputs[1]: expected a new channel below 3, got 5']);
  });
});

describe('layer health view', () => {
  it('plots the four lines per layer and the weight histograms as a heat-map strip per layer', async () => {
    const node = await render('layerhealth', HEALTH);
    expect(node.querySelector('.jp-convlab-layerhealth-heading')!.textContent).toBe('layer health of 2 layers · 2 records, steps 10–20 · training: epoch 2/3, batch 4/10');
    const lines = plotOf(node.querySelector('.jp-convlab-layerhealth-lines'));
    expect(lines.data.map((t) => [t.type === 'scatter' ? t.name : '', t.yaxis, t.y])).toEqual([
      ['conv1', 'y', [1, 1.5]], ['conv1', 'y2', [0.01, 0.001]], ['conv1', 'y3', [0.2, 0.1]], ['relu1', 'y4', [0.1, 0.25]],
    ]);
    expect((lines.layout['yaxis2'] as { type: string }).type).toBe('log');
    const hist = plotOf(node.querySelector('.jp-convlab-layerhealth-histograms'));
    expect(hist.data).toHaveLength(1);
    const strip = hist.data[0]!;
    // log10(1 + count): counts [3, 1] then [2, 1]
    expect(strip.type === 'heatmap' && [strip.name, strip.x, strip.y, strip.z]).toEqual(['conv1', [10, 20], [-0.5, 0.5], [[Math.log10(4), Math.log10(3)], [Math.log10(2), Math.log10(2)]]]);
    expect(strip.type === 'heatmap' && [strip.customdata, strip.hovertemplate]).toEqual([[[3, 2], [1, 1]], 'conv1 · step %{x}<br>bin at %{y:.3~g} (width 1): %{customdata:,} values<extra></extra>']);
    expect(logCounts({ edges: [0, 1, 2], counts: [[9, 0], null], below: [0, 0], above: [0, 0] })).toEqual([[1, 0], [0, 0]]);
    expect(countTicks(250)).toEqual({ tickvals: [0, Math.log10(2), Math.log10(11), Math.log10(101)], ticktext: ['0', '1', '10', '100'] });
  });

  it('switches to activations and grays out quantities no layer has; updates the same plots in place', async () => {
    const r = rendererFactory.createRenderer({ mimeType: mimeType('layerhealth'), sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
    const model = (data: unknown) => ({ trusted: false, data: { [mimeType('layerhealth')]: data } as never, metadata: {}, setData: () => undefined });
    await r.renderModel(model(HEALTH));
    const node = r.node;
    expect(node.querySelector<HTMLButtonElement>('.jp-convlab-layerhealth-grads')!.disabled).toBe(true);
    node.querySelector<HTMLButtonElement>('.jp-convlab-layerhealth-activations')!.click();
    await vi.waitFor(() => expect(plotOf(node.querySelector('.jp-convlab-layerhealth-histograms')).data.map((t) => t.type === 'heatmap' && t.name)).toEqual(['relu1']));
    await r.renderModel(model({ ...HEALTH, progress: { ...HEALTH.progress!, done: true } }));
    expect(plotOf(node.querySelector('.jp-convlab-layerhealth-lines')).reacts).toBe(3);
    expect(node.querySelector('.jp-convlab-layerhealth-heading')!.textContent).toBe('layer health of 2 layers · 2 records, steps 10–20 · training done');
    const empty = await render(
      'layerhealth', { ...HEALTH, records: [], layers: HEALTH.layers.map((l) => ({ ...l, weightNorm: [], gradNorm: [], updateRatio: [], deadFraction: [], weights: null, activations: null })) }
    );
    expect(empty.querySelector('.jp-convlab-layerhealth-empty')!.textContent).toBe('No record yet: the first comes after the first recorded batch.');
    expect(empty.querySelector<HTMLElement>('.jp-convlab-layerhealth-lines')!.hidden).toBe(true);
  });
});
