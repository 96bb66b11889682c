// @vitest-environment jsdom
import { Conv2d, explainUnit, manualSeed, MaxPool2d, ReLU, Sequential, Tensor } from '@convlab/core';
import { featureMaps, unitPayload } from '@convlab/notebook';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FeatureMapsView } from '../../src/views/feature-maps-view.js';
import { click, resetFakePlotly } from '../helpers/fake-plotly.js';

vi.mock('plotly.js-cartesian-dist-min', async () => ({ default: (await import('../helpers/fake-plotly.js')).fakePlotly }));

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const layerPlot = (view: FeatureMapsView, i: number): Element | null => view.node.querySelectorAll('.jp-convlab-fm-layer .jp-convlab-plot')[i] ?? null;

beforeEach(() => {
  resetFakePlotly();
  document.body.replaceChildren();
});

describe('FeatureMapsView: clicking a unit opens its step-through', () => {
  manualSeed(4);
  const model = new Sequential(new Conv2d(2, 3, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2));
  const image = Tensor.from(Array.from({ length: 2 * 6 * 6 }, (_, i) => Math.sin(i * 0.5)), [2, 6, 6]);

  it('with stepThrough: the clicked conv unit, computed in the browser, equals explainUnit', async () => {
    const view = new FeatureMapsView();
    document.body.append(view.node);
    await view.render(featureMaps(model, image, { layers: ['0', '1', '2'], stepThrough: true }).data);
    await settle();
    expect(view.node.querySelector('.jp-convlab-unit')).toBeNull();
    click(layerPlot(view, 0), 2, 1, 4); // channel 2, x = col 1, y = row 4
    await settle();
    const unit = unitPayload(explainUnit(model, image, { layer: '0', channel: 2, row: 4, col: 1 })).data;
    expect(view.node.querySelector('.jp-convlab-unit-title')!.textContent).toBe('0 (Conv2d) · unit channel 2, row 4, col 1 · reads the input image rows 3–5, cols 0–2');
    if (unit.kind !== 'conv') throw new Error('expected a conv unit');
    expect([...view.node.querySelectorAll('.jp-convlab-unit-products td')].map((td) => td.textContent)).toEqual(unit.products[0]!.flat().map((v) => (v as number).toFixed(3)));
    expect(view.node.querySelector('.jp-convlab-unit-agreement')!.classList.contains('jp-convlab-unit-agrees')).toBe(true);
    click(layerPlot(view, 2), 1, 0, 2); // the pooling layer: channel 1, row 2, col 0
    await settle();
    expect(view.node.querySelector('.jp-convlab-unit-result')!.textContent).toMatch(/^max = -?\d+\.\d{4} from 1\[channel 1, row [45], col [01]\]$/);
    click(layerPlot(view, 1), 0, 0, 0); // the ReLU has no arithmetic
    await settle();
    expect(view.node.querySelector('.jp-convlab-unit')).toBeNull();
    expect(view.node.querySelector('.jp-convlab-fm-step-through-note')!.textContent).toBe('1: no step-through of its units (not a conv or pooling layer, or too large to send).');
    view.dispose();
  });

  it('without stepThrough: a click only outlines the receptive field', async () => {
    const view = new FeatureMapsView();
    document.body.append(view.node);
    await view.render(featureMaps(model, image, { layers: ['0'] }).data);
    await settle();
    click(layerPlot(view, 0), 0, 1, 1);
    await settle();
    expect(view.node.querySelector('.jp-convlab-fm-step-through')!.childElementCount).toBe(0);
  });
});
