import type { ClickEvent, Config, Layout, Plotly, Trace } from '../../src/plot/plotly.js';

/** What the fake plotly drew into one element: the last figure, and the click handlers. */
export interface FakePlot {
  data: readonly Trace[];
  layout: Layout;
  config: Config | undefined;
  reacts: number;
  clickHandlers: ((event: ClickEvent) => void)[];
}

/** Every element the fake plotly drew into, and the elements purged and resized. */
export const drawn = new Map<HTMLElement, FakePlot>();
export const purged: HTMLElement[] = [];
export const resized: HTMLElement[] = [];

export function resetFakePlotly(): void {
  drawn.clear();
  purged.length = 0;
  resized.length = 0;
}

/** The figure drawn into `element` (fails the test if there is none). */
export function plotOf(element: Element | null): FakePlot {
  const plot = element === null ? undefined : drawn.get(element as HTMLElement);
  if (plot === undefined) throw new Error('nothing was plotted into this element');
  return plot;
}

/** Simulates a click on point (x, y) of trace `curveNumber`. */
export function click(element: Element | null, curveNumber: number, x: number, y: number): void {
  for (const handler of plotOf(element).clickHandlers) handler({ points: [{ curveNumber, x, y }] });
}

/**
 * Stands in for plotly.js at the renderers' lazy-load seam (`vi.mock('plotly.js-cartesian-dist-min')`):
 * records each figure instead of drawing it.
 */
export const fakePlotly: Plotly = {
  react(root, data, layout, config) {
    const plot = drawn.get(root) ?? { data: [], layout: {}, config: undefined, reacts: 0, clickHandlers: [] };
    Object.assign(plot, { data, layout, config, reacts: plot.reacts + 1 });
    drawn.set(root, plot);
    const element = Object.assign(root, { on: (_: 'plotly_click', handler: (event: ClickEvent) => void) => plot.clickHandlers.push(handler) });
    return Promise.resolve(element);
  },
  purge(root) {
    purged.push(root);
    drawn.delete(root);
  },
  Plots: {
    resize(root) {
      resized.push(root);
    },
  },
};
