/**
 * Viridis (matplotlib's and plotly's default sequential colour map), the one colour map of tensor
 * heatmaps in the renderer and the HTML fallback: dark violet at the minimum, yellow at the maximum,
 * perceptually uniform and readable on light and dark backgrounds.
 */
const VIRIDIS_STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
];

/** The colour of `t` in [0, 1] (clamped), linear between ten stops of viridis: `viridis(0)` → `[68, 1, 84]`. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * (VIRIDIS_STOPS.length - 1);
  const i = Math.min(VIRIDIS_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS_STOPS[i]!, b = VIRIDIS_STOPS[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + f * (b[k]! - a[k]!))) as [number, number, number];
}

/** The colour map as a CSS `linear-gradient` towards `direction` (for colour bars). */
export function viridisGradient(direction: 'to right' | 'to top'): string {
  const stops = VIRIDIS_STOPS.map(([r, g, b], i) => `rgb(${r}, ${g}, ${b}) ${((100 * i) / (VIRIDIS_STOPS.length - 1)).toFixed(0)}%`);
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}
