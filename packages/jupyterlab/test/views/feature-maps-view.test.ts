// @vitest-environment jsdom
import { featureMaps } from '@convlab/notebook';
import { Conv2d, MaxPool2d, ReLU, Sequential, Tensor } from '@convlab/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HeatmapTrace } from '../../src/plot/plotly.js';
import { FeatureMapsView } from '../../src/views/feature-maps-view.js';
import { click, drawn, plotOf, purged, resetFakePlotly } from '../helpers/fake-plotly.js';
import { featureMaps as samplePayload } from '../helpers/payloads.js';

vi.mock('plotly.js-cartesian-dist-min', async () => ({ default: (await import('../helpers/fake-plotly.js')).fakePlotly }));

const layerPlot = (view: FeatureMapsView, i: number): Element | null => view.node.querySelectorAll('.jp-convlab-fm-layer .jp-convlab-plot')[i] ?? null;
const inputPlot = (view: FeatureMapsView): Element | null => view.node.querySelector('.jp-convlab-fm-input .jp-convlab-plot');
const heatmaps = (element: Element | null): HeatmapTrace[] => plotOf(element).data as HeatmapTrace[];
/** Lets the renderer's promise chains (plotly is loaded asynchronously) run. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function shown(): Promise<FeatureMapsView> {
  const view = new FeatureMapsView();
  document.body.append(view.node);
  await view.render(samplePayload());
  return view;
}

beforeEach(() => {
  resetFakePlotly();
  document.body.replaceChildren();
});

describe('FeatureMapsView', () => {
  it('draws one heatmap per channel on a shared color scale, with channel, position and value on hover', async () => {
    const view = await shown();
    const conv = heatmaps(layerPlot(view, 0));
    expect(conv.map((t) => [t.xaxis, t.yaxis, t.coloraxis])).toEqual([['x', 'y', 'coloraxis'], ['x2', 'y2', 'coloraxis']]);
    expect(conv[0]!.z).toEqual([[-1, 1], [1, -1]]);
    expect(conv[1]!.z).toEqual([[0, 1], [2, 5]]);
    // Stored at 1/2 resolution: hover names the block of units each cell averages.
    expect(conv[1]!.hovertemplate).toBe('channel 2<br>%{text}<br>value %{z:.4g}<extra></extra>');
    expect(conv[1]!.text).toEqual([['rows 0–1, cols 0–1', 'rows 0–1, cols 2–3'], ['rows 2–3, cols 0–1', 'rows 2–3, cols 2–3']]);
    const layout = plotOf(layerPlot(view, 0)).layout;
    expect(layout['coloraxis']).toMatchObject({ cmin: -1, cmax: 5, colorscale: 'Viridis', colorbar: { title: { text: 'value' } } });
    expect(layout['grid']).toMatchObject({ rows: 1, columns: 2, pattern: 'independent' });
    expect(layout['yaxis2']).toEqual({ visible: false, autorange: 'reversed', scaleanchor: 'x2', constrain: 'domain' });
    expect((layout['annotations'] as { text: string }[]).map((a) => a.text)).toEqual(['ch 0', 'ch 2']);

    const pool = heatmaps(layerPlot(view, 1));
    expect(pool).toHaveLength(16);
    expect(pool[15]!.hovertemplate).toBe('channel 15<br>row %{y}, col %{x}<br>value %{z:.4g}<extra></extra>');
    expect(pool[15]!.z).toEqual([[(60 * 13) % 256, (61 * 13) % 256], [(62 * 13) % 256, (63 * 13) % 256]]);
  });

  it('names each layer, and states what the payload left out', async () => {
    const view = await shown();
    const headers = [...view.node.querySelectorAll('.jp-convlab-fm-layer-header')].map((h) => h.textContent);
    expect(headers).toEqual(['convConv2d · 3×4×4 · receptive field 3×3, jump 1', 'poolMaxPool2d · 20×2×2 · receptive field 4×4, jump 2']);
    expect(view.node.querySelector('.jp-convlab-fm-layer .jp-convlab-note')!.textContent).toBe('2 of 3 channels included · stored at 1/2 resolution: each cell is the mean of a 2×2 block');
    expect(view.node.querySelector(':scope > .jp-convlab-note')!.textContent).toBe('payload caps: at most 64 channels per layer, 56 pixels per side, 1.049 M bytes in all');
    expect(view.node.querySelector('.jp-convlab-subtitle')!.textContent).toBe('input 1×4×4 · 2 layers');
  });

  it('switches to one color range per channel, stated per channel, with a color bar from min to max', async () => {
    const view = await shown();
    view.node.querySelector<HTMLButtonElement>('.jp-convlab-scale-toggle')!.click();
    await settle();
    const conv = heatmaps(layerPlot(view, 0));
    expect(conv.map((t) => [t.coloraxis, t.z, t.customdata])).toEqual([
      ['coloraxis', [[0, 1], [1, 0]], [[-1, 1], [1, -1]]],
      ['coloraxis', [[0, 0.2], [0.4, 1]], [[0, 1], [2, 5]]],
    ]);
    expect(conv[1]!.hovertemplate).toBe('channel 2<br>%{text}<br>value %{customdata:.4g}<extra></extra>');
    const layout = plotOf(layerPlot(view, 0)).layout;
    expect(layout['coloraxis']).toMatchObject({ cmin: 0, cmax: 1, colorbar: { tickvals: [0, 1], ticktext: ['min', 'max'], title: { text: 'value (each channel: min to max)' } } });
    expect((layout['annotations'] as { text: string }[]).map((a) => a.text)).toEqual(['ch 0 · -1 to 1', 'ch 2 · 0 to 5']);
    expect(view.node.querySelector('.jp-convlab-scale-toggle')!.textContent).toBe('color scale: per channel');
  });

  it('pages through wide layers, 16 channels at a time', async () => {
    const view = await shown();
    const pager = view.node.querySelectorAll<HTMLElement>('.jp-convlab-pager');
    expect([pager[0]!.hidden, pager[1]!.hidden]).toEqual([true, false]);
    expect(pager[1]!.querySelector('.jp-convlab-page-label')!.textContent).toBe('channels 0–15 (1 of 2)');
    pager[1]!.querySelector<HTMLButtonElement>('.jp-convlab-page-next')!.click();
    await settle();
    const pool = heatmaps(layerPlot(view, 1));
    expect(pool.map((t) => t.hovertemplate.split('<br>')[0])).toEqual(['channel 16', 'channel 17', 'channel 18', 'channel 19']);
    expect(plotOf(layerPlot(view, 1)).layout['uirevision']).toBe('layer 1 page 1');
    expect(pager[1]!.querySelector('.jp-convlab-page-label')!.textContent).toBe('channels 16–19 (2 of 2)');
    expect(pager[1]!.querySelector<HTMLButtonElement>('.jp-convlab-page-next')!.disabled).toBe(true);
    expect(pager[1]!.querySelector<HTMLButtonElement>('.jp-convlab-page-previous')!.disabled).toBe(false);
  });

  it('outlines the receptive field of a clicked unit on the input and marks the unit', async () => {
    const view = await shown();
    expect(view.node.querySelector('.jp-convlab-fm-caption')!.textContent).toBe('Click a cell of a feature map to outline the input pixels it sees.');
    click(layerPlot(view, 1), 3, 1, 0); // channel 3 of `pool`, row 0, col 1
    await settle();
    expect(view.node.querySelector('.jp-convlab-fm-caption')!.textContent)
      .toBe('pool, channel 3, unit (row 0, col 1) sees input rows 0–2, cols 1–3 (a 4×4 field reaching into the padding).');
    expect(plotOf(inputPlot(view)).layout['shapes']).toEqual([{ type: 'rect', xref: 'x', yref: 'y', x0: 0.5, x1: 3.5, y0: -0.5, y1: 2.5, line: { color: '#d32f2f', width: 2 } }]);
    expect(plotOf(layerPlot(view, 1)).layout['shapes']).toEqual([{ type: 'rect', xref: 'x4', yref: 'y4', x0: 0.5, x1: 1.5, y0: -0.5, y1: 0.5, line: { color: '#d32f2f', width: 2 } }]);

    // A cell of the downsampled `conv` maps averages 2×2 units: their fields together.
    click(layerPlot(view, 0), 1, 1, 1);
    await settle();
    expect(view.node.querySelector('.jp-convlab-fm-caption')!.textContent)
      .toBe('conv, channel 2, units rows 2–3, cols 2–3 sees input rows 1–3, cols 1–3 (a 4×4 field reaching into the padding).');
    expect(plotOf(layerPlot(view, 1)).layout['shapes']).toEqual([]);
    expect(plotOf(layerPlot(view, 0)).layout['shapes']).toEqual([{ type: 'rect', xref: 'x2', yref: 'y2', x0: 0.5, x1: 1.5, y0: 0.5, y1: 1.5, line: { color: '#d32f2f', width: 2 } }]);
  });

  it('says so when a layer has no known receptive field', async () => {
    const payload = samplePayload();
    const view = new FeatureMapsView();
    await view.render({ ...payload, layers: [{ ...payload.layers[1]!, receptiveField: null }] });
    click(layerPlot(view, 0), 0, 0, 0);
    await settle();
    expect(view.node.querySelector('.jp-convlab-fm-caption')!.textContent).toBe('pool, channel 0: the receptive field of this layer is not known.');
    expect(plotOf(inputPlot(view)).layout['shapes']).toEqual([]);
  });

  it('draws the input in full-resolution pixel coordinates', async () => {
    const view = await shown();
    const [trace] = heatmaps(inputPlot(view));
    expect(trace).toMatchObject({ type: 'heatmap', x0: 0, dx: 1, y0: 0, dy: 1, zmin: 0, zmax: 1, showscale: false });
    expect(trace!.z[1]).toEqual([4, 5, 6, 7].map((i) => (i * 17) / 255));
    expect(plotOf(inputPlot(view)).layout['xaxis']).toMatchObject({ range: [-0.5, 3.5] });
  });

  it('redraws with the new colors when JupyterLab switches theme', async () => {
    const view = await shown();
    const before = plotOf(layerPlot(view, 0)).reacts;
    view.node.style.setProperty('--jp-ui-font-color1', 'rgb(240, 240, 240)');
    document.body.dataset['jpThemeName'] = 'JupyterLab Dark';
    await settle();
    await settle();
    expect(plotOf(layerPlot(view, 0)).reacts).toBe(before + 1);
    expect(plotOf(layerPlot(view, 0)).layout['font']).toMatchObject({ color: 'rgb(240, 240, 240)' });
  });

  it('frees every plot on dispose', async () => {
    const view = await shown();
    const plots = [inputPlot(view), layerPlot(view, 0), layerPlot(view, 1)];
    view.dispose();
    expect(purged).toEqual(plots);
    expect(drawn.size).toBe(0);
  });

  it('renders real feature maps from convlab', async () => {
    const model = new Sequential(new Conv2d(1, 4, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2));
    const image = Tensor.from(Array.from({ length: 64 }, (_, i) => (i % 8) / 7), [1, 1, 8, 8]);
    const view = new FeatureMapsView();
    await view.render(featureMaps(model, image, { layers: ['0', '2'] }).data);
    expect(heatmaps(layerPlot(view, 0))).toHaveLength(4);
    expect(heatmaps(layerPlot(view, 1)).map((t) => [t.z.length, t.z[0]!.length])).toEqual([[4, 4], [4, 4], [4, 4], [4, 4]]);
  });
});
