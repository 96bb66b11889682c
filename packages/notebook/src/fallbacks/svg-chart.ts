import { escapeHtml } from './html.js';

/** One line of a {@link lineChart}. Points with a non-finite y are skipped (the line breaks there). */
export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** Draw a dot at each point (for sparse series such as per-epoch values). */
  readonly dots: boolean;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly series: readonly ChartSeries[];
  /** Fixed y range (e.g. [0, 1] for accuracy); by default the data's range. */
  readonly yRange?: readonly [number, number];
  readonly width?: number;
  readonly height?: number;
}

/** Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** A small line chart as standalone SVG text (inline styles, no scripts). */
export function lineChart(o: ChartOptions): string {
  const width = o.width ?? 360, height = o.height ?? 220;
  const m = { left: 48, right: 10, top: 24, bottom: 36 };
  const finite = o.series.flatMap((s) => s.points.filter(([, y]) => Number.isFinite(y)));
  const xs = finite.map(([x]) => x), ys = finite.map(([, y]) => y);
  const x0 = Math.min(0, ...xs), x1 = Math.max(1, ...xs);
  let [y0, y1] = o.yRange ?? [Math.min(...ys), Math.max(...ys)];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const px = (x: number): number => m.left + ((x - x0) / (x1 - x0)) * (width - m.left - m.right);
  const py = (y: number): number => height - m.bottom - ((y - y0) / (y1 - y0)) * (height - m.top - m.bottom);
  const f = (v: number): string => v.toFixed(1);
  const parts: string[] = [];
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${f(py(t))}" y2="${f(py(t))}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${m.left - 4}" y="${f(py(t) + 3)}" text-anchor="end">${t}</text>`);
  }
  for (const t of niceTicks(x0, x1)) parts.push(`<text x="${f(px(t))}" y="${height - m.bottom + 14}" text-anchor="middle">${t}</text>`);
  parts.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}" stroke="#888"/>`);
  parts.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${height - m.bottom}" stroke="#888"/>`);
  o.series.forEach((s, i) => {
    const runs: string[][] = [[]];
    for (const [x, y] of s.points) {
      if (Number.isFinite(y)) runs[runs.length - 1]!.push(`${f(px(x))},${f(py(y))}`);
      else if (runs[runs.length - 1]!.length > 0) runs.push([]);
    }
    for (const run of runs.filter((r) => r.length > 0)) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${run.join(' ')}"/>`);
    if (s.dots) for (const [x, y] of s.points.filter(([, y]) => Number.isFinite(y))) parts.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="2.5" fill="${s.color}"/>`);
    parts.push(`<text x="${m.left + 6 + i * 110}" y="${m.top - 8}" fill="${s.color}">■ ${escapeHtml(s.name)}</text>`);
  });
  parts.push(`<text x="${(m.left + width - m.right) / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(o.xLabel)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `style="font-family:sans-serif;font-size:10px"><title>${escapeHtml(o.title)}</title>${parts.join('')}</svg>`;
}
