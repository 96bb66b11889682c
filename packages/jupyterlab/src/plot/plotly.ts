/**
 * The few parts of plotly.js that convlab uses, typed, and the one place that loads it: the
 * cartesian partial bundle (heatmap, image, scatter) is imported lazily on the first plot and
 * shared by every renderer afterwards.
 */

/** One trace of a figure (plotly's attribute names). */
export type Trace = HeatmapTrace | ImageTrace | ScatterTrace;

export interface HeatmapTrace {
  readonly type: 'heatmap';
  readonly z: readonly (readonly number[])[];
  /** Cell centres, when not evenly spaced from `x0`/`y0`. */
  readonly x?: readonly number[];
  readonly y?: readonly number[];
  readonly name?: string;
  readonly x0?: number;
  readonly dx?: number;
  readonly y0?: number;
  readonly dy?: number;
  readonly xaxis?: string;
  readonly yaxis?: string;
  readonly colorscale?: string | readonly (readonly [number, string])[];
  readonly reversescale?: boolean;
  readonly coloraxis?: string;
  readonly zmin?: number;
  readonly zmax?: number;
  readonly showscale?: boolean;
  readonly text?: readonly (readonly string[])[];
  /** Per-cell values for the hover text when `z` is rescaled (per-channel colour ranges). */
  readonly customdata?: readonly (readonly (number | null)[])[];
  readonly hovertemplate: string;
}

export interface ImageTrace {
  readonly type: 'image';
  /** `[row][column][r, g, b]`, 0–255. */
  readonly z: readonly (readonly (readonly number[])[])[];
  readonly x0?: number;
  readonly dx?: number;
  readonly y0?: number;
  readonly dy?: number;
  readonly text?: readonly (readonly string[])[];
  readonly hovertemplate: string;
}

export interface ScatterTrace {
  readonly type: 'scatter';
  readonly mode: 'lines' | 'markers' | 'lines+markers';
  readonly name: string;
  readonly x: readonly number[];
  /** null leaves a gap (a non-finite value). */
  readonly y: readonly (number | null)[];
  readonly xaxis?: string;
  readonly yaxis?: string;
  readonly line?: { readonly color: string; readonly width?: number; readonly dash?: string };
  readonly connectgaps?: boolean;
  readonly marker?: { readonly color: string; readonly size?: number };
  readonly opacity?: number;
  readonly showlegend?: boolean;
  readonly legendgroup?: string;
  readonly text?: readonly string[];
  readonly hovertemplate: string;
}

/** A layout: plotly's attributes, including numbered axes (`xaxis2`, …), so keyed by name. */
export type Layout = { readonly [attribute: string]: unknown };

export interface Config {
  readonly displaylogo?: boolean;
  readonly responsive?: boolean;
  readonly scrollZoom?: boolean;
  readonly modeBarButtonsToRemove?: readonly string[];
  readonly displayModeBar?: boolean | 'hover';
}

/** What a click on a heatmap cell or a curve point reports. */
export interface ClickEvent {
  readonly points: readonly { readonly curveNumber: number; readonly x: number; readonly y: number }[];
}

/** The plot's root element after plotly has drawn into it. */
export interface PlotElement extends HTMLElement {
  on(event: 'plotly_click', handler: (event: ClickEvent) => void): void;
}

export interface Plotly {
  react(root: HTMLElement, data: readonly Trace[], layout: Layout, config?: Config): Promise<PlotElement>;
  purge(root: HTMLElement): void;
  readonly Plots: { resize(root: HTMLElement): Promise<void> | void };
}

let loading: Promise<Plotly> | null = null;

/** plotly.js, loaded on first use (a separate chunk of the extension). */
export function loadPlotly(): Promise<Plotly> {
  loading ??= import('plotly.js-cartesian-dist-min').then(
    (m) => m.default as Plotly,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}
