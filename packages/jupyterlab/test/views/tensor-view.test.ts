// @vitest-environment jsdom
import type { TensorData } from '@convlab/display';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HeatmapTrace, ImageTrace } from '../../src/plot/plotly.js';
import { TensorView } from '../../src/views/tensor-view.js';
import { drawn, plotOf, purged, resetFakePlotly } from '../helpers/fake-plotly.js';
import { base64, TENSOR_VALUES } from '../helpers/payloads.js';

vi.mock('plotly.js-cartesian-dist-min', async () => ({ default: (await import('../helpers/fake-plotly.js')).fakePlotly }));

const rows = (view: TensorView): string[][] => [...view.node.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent ?? ''));

const image = (channels: 1 | 3, downsample = 1): TensorData => ({
  name: 'img', shape: [1, channels, 2 * downsample, 2 * downsample], stats: { min: 0, max: 1, mean: 0.5 }, form: 'image',
  image: { shape: [channels, 2, 2], downsample, encoding: 'uint8-base64', data: base64(Array.from({ length: 4 * channels }, (_, i) => (i * 20) % 256)), range: 'layer', min: [0], max: [1] },
});

beforeEach(() => resetFakePlotly());

describe('TensorView', () => {
  it('shows small tensors as a table, one row per last-axis slice, non-finite values marked', async () => {
    const view = new TensorView();
    await view.render(TENSOR_VALUES);
    expect(view.node.querySelector('.jp-convlab-header')!.textContent).toBe('xtensor 2×3 · min -1 · max +∞ · mean NaN');
    expect(rows(view)).toEqual([['', '0', '1', '2'], ['[0, :]', '1', '2.5', '-1'], ['[1, :]', 'NaN', '+∞', '1.234e-5']]);
    expect([...view.node.querySelectorAll('.jp-convlab-nonfinite')].map((c) => c.textContent)).toEqual(['NaN', '+∞']);
    expect(drawn.size).toBe(0);
  });

  it('shows 3-D and 4-D tensors as one shaded grid per channel, and 1-D tensors in rows of ten', async () => {
    const view = new TensorView();
    await view.render({ ...TENSOR_VALUES, name: null, shape: [3, 2, 2], stats: { min: 0, max: 11, mean: 5.5 }, values: Array.from({ length: 12 }, (_, i) => i) });
    const grids = [...view.node.querySelectorAll('.jp-convlab-tensor-grid')];
    expect(grids.map((g) => g.querySelector('figcaption')!.textContent)).toEqual(['[0, :, :]', '[1, :, :]', '[2, :, :]']);
    expect(grids.map((g) => [...g.querySelectorAll('tr')].map((r) => r.textContent))).toEqual([['01', '23'], ['45', '67'], ['89', '1011']]);
    expect(grids[2]!.querySelectorAll('td')[3]!.style.getPropertyValue('--jp-convlab-shade')).toBe('1.000');
    await view.render({ ...TENSOR_VALUES, name: null, shape: [1, 2, 1, 2], values: [1, 2, 3, 4] });
    expect([...view.node.querySelectorAll('figcaption')].map((c) => c.textContent)).toEqual(['[0, 0, :, :]', '[0, 1, :, :]']);
    await view.render({ ...TENSOR_VALUES, shape: [12], values: Array.from({ length: 12 }, (_, i) => i) });
    expect(rows(view).map((r) => r.length)).toEqual([11, 11, 3]);
    expect(rows(view).map((r) => r[0])).toEqual(['', '[0]', '[10]']);
  });

  it('shows a tensor of rank above 32 in rows of ten, not as grids labelled by the whole index (100,002 dims: 3.5 s before, quadratic)', async () => {
    const view = new TensorView();
    const start = performance.now();
    await view.render({ ...TENSOR_VALUES, shape: [...Array.from({ length: 100_000 }, () => 1), 2, 3] });
    expect(performance.now() - start).toBeLessThan(500);
    expect(view.node.querySelectorAll('.jp-convlab-tensor-grid')).toHaveLength(0);
    expect(rows(view)).toEqual([['', '0', '1', '2', '3', '4', '5'], ['[0]', '1', '2.5', '-1', 'NaN', '+∞', '1.234e-5']]);
    await view.render({ ...TENSOR_VALUES, shape: [...Array.from({ length: 30 }, () => 1), 2, 3] });
    expect([...view.node.querySelectorAll('figcaption')].map((c) => c.textContent)).toEqual([`[${'0, '.repeat(30)}:, :]`]);
  });

  it('shows larger 3-D and 4-D tensors as labelled viridis heatmaps of their planes, says how many, and reads values under the pointer', async () => {
    const view = new TensorView();
    // 2 of the 6 planes of a [3, 2, 4, 4] tensor, stored 2×2 (block means of 2×2), one scale −1 … 1.
    await view.render({
      name: 'w', shape: [3, 2, 4, 4], stats: { min: -1, max: 1, mean: 0 }, form: 'planes',
      planes: { shape: [2, 2, 2], downsample: 2, encoding: 'uint8-base64', data: base64([0, 255, 51, 102, 255, 255, 0, 0]), range: 'layer', min: [-1], max: [1] },
    });
    expect(view.node.querySelector('.jp-convlab-tensor-planes .jp-convlab-note')!.textContent)
      .toBe('showing 2 of 6 planes ([0, 0, :, :] … [0, 1, :, :]) · 2×2 each · each pixel the mean of a 2×2 block · one colour scale');
    const tiles = [...view.node.querySelectorAll<HTMLImageElement>('.jp-convlab-tensor-plane img')];
    expect([...view.node.querySelectorAll('.jp-convlab-tensor-plane figcaption')].map((c) => c.textContent)).toEqual(['[0, 0, :, :]', '[0, 1, :, :]']);
    expect(tiles.map((t) => [t.width, t.height, t.src.slice(0, 22)])).toEqual([[72, 72, 'data:image/bmp;base64,'], [72, 72, 'data:image/bmp;base64,']]);
    expect(view.node.querySelector('.jp-convlab-tensor-legend')!.textContent).toBe('value-11point at a plane to read a value');
    const pointAt = (tile: HTMLImageElement, offsetX: number, offsetY: number): void => {
      const event = new MouseEvent('mousemove');
      Object.defineProperties(event, { offsetX: { value: offsetX }, offsetY: { value: offsetY } });
      tile.dispatchEvent(event);
    };
    pointAt(tiles[0]!, 40, 10);
    expect(view.node.querySelector('.jp-convlab-tensor-readout')!.textContent).toBe('[0, 0, 0…1, 2…3] = 1');
    pointAt(tiles[1]!, 0, 71);
    expect(view.node.querySelector('.jp-convlab-tensor-readout')!.textContent).toBe('[0, 1, 2…3, 0…1] = -1');
    expect(drawn.size).toBe(0);
  });

  it('says how many values a truncated tensor shows', async () => {
    const view = new TensorView();
    await view.render({ ...TENSOR_VALUES, shape: [100, 30], truncated: true });
    expect(view.node.querySelector('.jp-convlab-note')!.textContent).toBe('showing the first 6 of 3,000 values');
  });

  it('shows a 1-channel image as a gray heatmap with values on hover', async () => {
    const view = new TensorView();
    await view.render(image(1));
    const [trace] = plotOf(view.node.querySelector('.jp-convlab-plot')).data as HeatmapTrace[];
    expect(trace).toMatchObject({ type: 'heatmap', zmin: 0, zmax: 60 / 255, hovertemplate: 'row %{y}, col %{x}<br>value %{z:.4g}<extra></extra>' });
    expect(trace!.z).toEqual([[0, 20 / 255], [40 / 255, 60 / 255]]);
    expect(trace!.colorscale).toEqual([[0, '#000000'], [1, '#ffffff']]);
    expect(plotOf(view.node.querySelector('.jp-convlab-plot')).layout['yaxis']).toMatchObject({ autorange: 'reversed', scaleanchor: 'x' });
  });

  it('shows a 3-channel image in color, and notes a reduced resolution', async () => {
    const view = new TensorView();
    await view.render(image(3, 2));
    const [trace] = plotOf(view.node.querySelector('.jp-convlab-plot')).data as ImageTrace[];
    expect(trace!.type).toBe('image');
    // Bytes 0,20,…,220 span 0…220/255; the common range maps them to 0…255.
    expect(trace!.z[0]![0]).toEqual([0, 93, 185]);
    expect(trace!.text![1]![1]).toBe('rows 2–3, cols 2–3');
    expect(view.node.querySelector('.jp-convlab-note')!.textContent).toBe('shown at 1/2 resolution: each pixel is the mean of a 2×2 block (2×2 stored)');
  });

  it('frees its plot when a later update is a table, and on dispose', async () => {
    const view = new TensorView();
    await view.render(image(1));
    const plot = view.node.querySelector('.jp-convlab-plot');
    await view.render(TENSOR_VALUES);
    expect(purged).toEqual([plot]);
    await view.render(image(1));
    view.dispose();
    expect(purged).toHaveLength(2);
  });

  it('shows a hostile name as text', async () => {
    const view = new TensorView();
    await view.render({ ...TENSOR_VALUES, name: '<img src=x onerror=alert(1)>' });
    expect(view.node.querySelector('img')).toBeNull();
    expect(view.node.querySelector('.jp-convlab-title')!.textContent).toBe('<img src=x onerror=alert(1)>');
  });
});
