import type { Layout } from './plotly.js';

/** Colors and font of the current JupyterLab theme, read from its CSS variables. */
export interface PlotTheme {
  readonly font: string;
  readonly mutedFont: string;
  readonly fontFamily: string;
  readonly grid: string;
  readonly axisLine: string;
  readonly train: string;
  readonly validation: string;
  readonly highlight: string;
}

/** Values used where a variable is not defined (outside JupyterLab): the light theme's. */
const FALLBACK: { readonly [K in keyof PlotTheme]: readonly [string, string] } = {
  font: ['--jp-ui-font-color1', 'rgba(0, 0, 0, 0.87)'],
  mutedFont: ['--jp-ui-font-color2', 'rgba(0, 0, 0, 0.54)'],
  fontFamily: ['--jp-ui-font-family', 'system-ui, sans-serif'],
  grid: ['--jp-border-color2', '#e0e0e0'],
  axisLine: ['--jp-border-color1', '#bdbdbd'],
  train: ['--jp-brand-color1', '#1976d2'],
  validation: ['--jp-warn-color1', '#f57c00'],
  highlight: ['--jp-error-color1', '#d32f2f'],
};

export function plotTheme(node: Element): PlotTheme {
  const style = getComputedStyle(node);
  const read = (key: keyof PlotTheme): string => style.getPropertyValue(FALLBACK[key][0]).trim() || FALLBACK[key][1];
  return {
    font: read('font'), mutedFont: read('mutedFont'), fontFamily: read('fontFamily'), grid: read('grid'),
    axisLine: read('axisLine'), train: read('train'), validation: read('validation'), highlight: read('highlight'),
  };
}

/** Layout attributes every convlab plot shares: transparent background, the theme's font. */
export function themedLayout(theme: PlotTheme): Layout {
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: theme.font, family: theme.fontFamily, size: 11 },
    hoverlabel: { font: { family: theme.fontFamily } },
  };
}

/** Axis colors for the theme. */
export function themedAxis(theme: PlotTheme): Layout {
  return { gridcolor: theme.grid, linecolor: theme.axisLine, zerolinecolor: theme.axisLine, tickfont: { color: theme.mutedFont } };
}

/**
 * Calls `onChange` after JupyterLab switches theme (it marks `<body>` with the theme's name once
 * the new CSS is in place). Returns the function that stops watching.
 */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light'] });
  return () => observer.disconnect();
}
