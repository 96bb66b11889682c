// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PlotHost } from '../../src/plot/plot-host.js';
import { loadPlotly, type PlotElement } from '../../src/plot/plotly.js';
import { fakePlotly, plotOf, purged, resetFakePlotly, resized } from '../helpers/fake-plotly.js';

vi.mock('plotly.js-cartesian-dist-min', async () => ({ default: (await import('../helpers/fake-plotly.js')).fakePlotly }));

beforeEach(() => resetFakePlotly());

describe('PlotHost', () => {
  it('loads plotly once, lazily, for every plot', async () => {
    expect(loadPlotly()).toBe(loadPlotly());
    expect(await loadPlotly()).toBe(fakePlotly);
  });

  it('draws one figure after the other: a quick update waits for a slow draw', async () => {
    let finishFirst: () => void = () => undefined;
    const react = vi.spyOn(fakePlotly, 'react');
    react.mockImplementationOnce((root) => new Promise<PlotElement>((resolve) => {
      finishFirst = () => resolve(Object.assign(root, { on: () => undefined }));
    }));
    const host = new PlotHost();
    const first = host.draw([], { title: 'first' });
    const second = host.draw([], { title: 'second' });
    await new Promise((r) => setTimeout(r, 0));
    expect(react).toHaveBeenCalledTimes(1);
    finishFirst();
    await Promise.all([first, second]);
    expect(react).toHaveBeenCalledTimes(2);
    expect(plotOf(host.node).layout).toEqual({ title: 'second' });
    react.mockRestore();
  });

  it('registers the click handler once, and resizes only when attached', async () => {
    const host = new PlotHost();
    const clicks: number[] = [];
    host.onClick((event) => clicks.push(event.points[0]!.x));
    host.resize();
    await host.draw([], {});
    await host.draw([], {});
    expect(plotOf(host.node).clickHandlers).toHaveLength(1);
    plotOf(host.node).clickHandlers[0]!({ points: [{ curveNumber: 0, x: 3, y: 4 }] });
    expect(clicks).toEqual([3]);
    host.resize();
    expect(resized).toEqual([]);
    document.body.append(host.node);
    host.resize();
    expect(resized).toEqual([host.node]);
  });

  it('purges on dispose and draws nothing afterwards', async () => {
    const host = new PlotHost();
    await host.draw([], {});
    host.dispose();
    host.dispose();
    expect(purged).toEqual([host.node]);
    await host.draw([], {});
    expect(() => plotOf(host.node)).toThrow('nothing was plotted into this element');
  });
});
