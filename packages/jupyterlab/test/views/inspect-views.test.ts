// @vitest-environment jsdom
import '../helpers/lumino-in-jsdom.js';
import { mimeType, type Kind } from '@convlab/display';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rendererFactory } from '../../src/extension.js';
import { PLAY_STEP_MS } from '../../src/views/unit-view.js';
import { attribution, CONFUSION, image, UNIT } from '../helpers/payloads.js';

function model(kind: Kind, data: unknown): IRenderMime.IMimeModel {
  return { trusted: false, data: { [mimeType(kind)]: data } as IRenderMime.IMimeModel['data'], metadata: {}, setData: () => undefined };
}

async function render(kind: Kind, data: unknown): Promise<HTMLElement> {
  const r = rendererFactory.createRenderer({ mimeType: mimeType(kind), sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
  await r.renderModel(model(kind, data));
  return r.node;
}

afterEach(() => vi.useRealTimers());

describe('confusion view', () => {
  it('draws counts and row percentages, shaded by row share, with the per-class table', async () => {
    const node = await render('confusion', CONFUSION);
    const cells = [...node.querySelectorAll<HTMLElement>('.jp-convlab-confusion-cell')];
    expect(cells).toHaveLength(9);
    const cell = (t: number, p: number): HTMLElement => cells[t * 3 + p]!;
    expect(cell(1, 2).querySelector('.jp-convlab-confusion-count')!.textContent).toBe('2');
    expect(cell(1, 2).querySelector('.jp-convlab-confusion-share')!.textContent).toBe('50.0%');
    expect(cell(2, 0).querySelector('.jp-convlab-confusion-share')!.textContent).toBe('20.0%');
    expect(cell(1, 2).style.getPropertyValue('--jp-convlab-share')).toBe('0.500');
    expect(cell(0, 0).classList.contains('jp-convlab-confusion-diagonal')).toBe(true);
    expect(cell(0, 0).classList.contains('jp-convlab-confusion-strong')).toBe(true);
    const rows = [...node.querySelectorAll('.jp-convlab-confusion-scores tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows[2]).toEqual(['shirt', '100.0%', '50.0%', '66.7%', '4']);
    expect(rows).toHaveLength(6);
    expect(node.querySelector('.jp-convlab-confusion-title')!.textContent).toContain('14 images · accuracy 78.6%');
  });

  it('clicking a cell shows its misclassified images, most confident first', async () => {
    const node = await render('confusion', CONFUSION);
    const cell = node.querySelector<HTMLElement>('[data-true="1"][data-predicted="2"]')!;
    cell.click();
    expect(cell.classList.contains('jp-convlab-confusion-selected')).toBe(true);
    expect(node.querySelector('.jp-convlab-confusion-heading')!.textContent).toBe('shirt predicted as coat: 2 images; the 2 most confident:');
    const imgs = [...node.querySelectorAll<HTMLImageElement>('.jp-convlab-confusion-example img')];
    expect(imgs.map((i) => i.alt)).toEqual(['image 17: shirt predicted as coat', 'image 4: shirt predicted as coat']);
    expect(imgs[0]!.src.startsWith('data:image/bmp;base64,Qk')).toBe(true);
    expect([...node.querySelectorAll('figcaption')].map((c) => c.textContent)).toEqual(['#17 · 93.0%', '#4 · 61.0%']);
    node.querySelector<HTMLElement>('[data-true="2"][data-predicted="0"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(node.querySelector('.jp-convlab-confusion-heading')!.textContent).toBe('coat predicted as tee: 1 image (none stored in this display)');
    expect(node.querySelectorAll('.jp-convlab-confusion-example')).toHaveLength(0);
    node.querySelector<HTMLElement>('[data-true="0"][data-predicted="0"]')!.click();
    expect(node.querySelector('.jp-convlab-confusion-heading')!.textContent).toBe('tee: 5 correct predictions (no mistakes in this cell)');
  });

  it('shows markup in class names as text, refuses malformed and oversized payloads', async () => {
    const hostile = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>';
    const node = await render('confusion', { ...CONFUSION, classes: [hostile, 'b', 'c'] });
    expect(node.querySelectorAll('script')).toHaveLength(0);
    expect(node.querySelectorAll('img')).toHaveLength(0);
    expect(node.querySelector('.jp-convlab-confusion-col')!.textContent).toBe(hostile);
    const bad = await render('confusion', { ...CONFUSION, matrix: [[1, 2, 3]], examples: 'no' });
    expect([...bad.querySelectorAll('.jp-convlab-error li')].map((li) => li.textContent)).toEqual([
      'confusion.matrix: expected 3 rows (one per class), got 1',
      'confusion.examples: expected an array, got "no"',
    ]);
    expect(bad.querySelector('.jp-convlab-confusion-matrix')).toBeNull();
    const huge = await render('confusion', { ...CONFUSION, examples: [{ ...CONFUSION.examples[0]!, image: { ...image(0), data: 'A'.repeat(4_100_000) } }] });
    expect(huge.querySelector('.jp-convlab-error-title')!.textContent).toBe('This convlab confusion display is too large to show');
  });
});

describe('unit step-through view', () => {
  it('shows window ⊙ kernel = products for one input channel, with Σ, bias, activation and the model value', async () => {
    const node = await render('unit', UNIT);
    const values = (cls: string) => [...node.querySelectorAll(`.jp-convlab-unit-${cls} td`)].map((td) => td.textContent);
    expect(values('window')).toEqual(['0.000', '0.000', '1.000', '2.000']);
    expect(values('kernel')).toEqual(['1.000', '1.000', '0.500', '0.250']);
    expect(values('products')).toEqual(['0.000', '0.000', '0.500', '0.500']);
    expect([...node.querySelectorAll('.jp-convlab-unit-window th')].map((th) => th.textContent)).toEqual(['', '0', '1', '-1', '0']);
    expect(node.querySelectorAll('.jp-convlab-unit-window td.jp-convlab-unit-pad')).toHaveLength(2);
    expect(node.querySelector('.jp-convlab-unit-position')!.textContent).toBe('input channel 0 (1 of 2)');
    expect(node.querySelector('.jp-convlab-unit-result')!.textContent).toBe('Σ over 2 channels = 1.3000 → + bias -0.8000 = 0.5000 → ReLU (relu2) = 0.5000');
    expect(node.querySelector('.jp-convlab-unit-agreement')!.textContent).toBe("✓ the model's own value: 0.500000 (equal to float32 precision)");
  });

  it('steps through the channels with previous/next and play, and traces a product to its pixel and weight', async () => {
    vi.useFakeTimers();
    const node = await render('unit', UNIT);
    expect(node.querySelector<HTMLButtonElement>('.jp-convlab-unit-prev')!.disabled).toBe(true);
    node.querySelector<HTMLButtonElement>('.jp-convlab-unit-next')!.click();
    expect(node.querySelector('.jp-convlab-unit-position')!.textContent).toBe('input channel 1 (2 of 2)');
    expect(node.querySelector('.jp-convlab-unit-running')!.textContent).toBe('running Σ over input channels 0…1: 1.3000');
    expect([...node.querySelectorAll('.jp-convlab-unit-window td')].map((td) => td.textContent)).toEqual(['0.000', '0.000', '3.000', 'NaN']);
    const product = node.querySelectorAll<HTMLElement>('.jp-convlab-unit-products td')[2]!;
    product.dispatchEvent(new Event('mouseenter'));
    expect(node.querySelector('.jp-convlab-unit-trace')!.textContent).toBe('pool1[channel 1, row 0, col 0] = 3.0000 × conv2.weight[3, 1, 1, 0] = 0.1000 → 0.3000');
    expect(node.querySelectorAll('.jp-convlab-unit-lit')).toHaveLength(3);
    node.querySelectorAll<HTMLElement>('.jp-convlab-unit-products td')[0]!.dispatchEvent(new Event('focus'));
    expect(node.querySelector('.jp-convlab-unit-trace')!.textContent).toBe('padding at row -1, col 0 = 0 × conv2.weight[3, 1, 0, 0] = 1.0000 → 0.0000');
    node.querySelector<HTMLButtonElement>('.jp-convlab-unit-play')!.click();
    expect(node.querySelector('.jp-convlab-unit-position')!.textContent).toBe('input channel 0 (1 of 2)');
    expect(node.querySelector('.jp-convlab-unit-play')!.textContent).toBe('❚❚ pause');
    vi.advanceTimersByTime(PLAY_STEP_MS);
    expect(node.querySelector('.jp-convlab-unit-position')!.textContent).toBe('input channel 1 (2 of 2)');
    vi.advanceTimersByTime(PLAY_STEP_MS);
    expect(node.querySelector('.jp-convlab-unit-play')!.textContent).toBe('▶ play');
  });

  it('shows a max-pooling window with its chosen maximum, and a mismatch with the model', async () => {
    const pool: UnitData = {
      kind: 'maxpool', layer: 'pool1', type: 'MaxPool2d', unit: { channel: 1, row: 0, col: 0 }, source: { layer: 'relu1', type: 'ReLU', shape: [2, 2, 2] }, modelValue: 2, rows: [0, 1], cols: [0, 1],
      window: [[1, 3], [null, 2]], argMax: { row: 0, col: 1 }, divisor: null, value: 3,
    };
    const node = await render('unit', pool);
    expect(node.querySelector('.jp-convlab-unit-chosen')!.textContent).toBe('3.000');
    expect(node.querySelector('.jp-convlab-unit-pad')!.textContent).toBe('pad');
    expect(node.querySelector('.jp-convlab-unit-result')!.textContent).toBe('max = 3.0000 from relu1[channel 1, row 0, col 1]');
    expect(node.querySelector('.jp-convlab-unit-agreement')!.textContent).toBe("✗ the model's own value: 2.000000 (differs by 1.00e+0)");
  });

  it('shows markup in layer names as text and refuses malformed grids', async () => {
    const hostile = '<img src=x onerror="globalThis.pwned=1">';
    const node = await render('unit', { ...UNIT, layer: hostile, source: { ...UNIT.source, layer: hostile } });
    expect(node.querySelectorAll('img')).toHaveLength(0);
    expect(node.querySelector('.jp-convlab-unit-title')!.textContent).toContain(hostile);
    const bad = await render('unit', { ...UNIT, products: [[[0, 0]]] });
    expect([...bad.querySelectorAll('.jp-convlab-error li')].map((li) => li.textContent)).toEqual(['unit.products: expected an array of 2, got an array of 1']);
  });
});

describe('attribution view', () => {
  const data = attribution();

  it('lays each map over the image, side by side, with one opacity slider; markup stays text', async () => {
    const node = await render('attribution', data);
    expect([...node.querySelectorAll('figcaption')].map((c) => c.textContent)).toEqual(['saliency · Shirt (logit 1.250)', 'Grad-CAM · conv2 · <i>T-shirt</i> (logit -0.500)']);
    expect(node.querySelector('.jp-convlab-attribution-caption')!.textContent).toBe('test image 3: <b>Shirt</b>');
    expect(node.querySelectorAll('b, i')).toHaveLength(0);
    const overlays = [...node.querySelectorAll<HTMLImageElement>('.jp-convlab-attribution-overlay')];
    expect(overlays.map((o) => o.style.opacity)).toEqual(['0.6', '0.6']);
    expect(node.querySelectorAll('.jp-convlab-attribution-image')).toHaveLength(2);
    const stack = node.querySelector<HTMLElement>('.jp-convlab-attribution-stack')!;
    expect([stack.style.width, stack.style.height]).toEqual(['160px', '107px']);
    const slider = node.querySelector<HTMLInputElement>('.jp-convlab-attribution-opacity')!;
    slider.value = '25';
    slider.dispatchEvent(new Event('input'));
    expect(overlays.map((o) => o.style.opacity)).toEqual(['0.25', '0.25']);
    expect(node.querySelector('.jp-convlab-attribution-opacity-value')!.textContent).toBe('25%');
  });

  it('refuses malformed maps', async () => {
    const node = await render('attribution', { ...data, maps: [{ ...data.maps[0]!, score: 'high' }] });
    expect([...node.querySelectorAll('.jp-convlab-error li')].map((li) => li.textContent)).toEqual(['attribution.maps[0].score: expected a finite number, got "high"']);
  });
});
