/**
 * Hover labels for a `height × width` grid stored at 1/`downsample` resolution: each stored cell
 * names the block of full-resolution rows and columns it averages, e.g. `rows 2–3, cols 0–1`.
 * Returns null at full resolution, where plotly's own `%{y}`/`%{x}` are the positions.
 */
export function blockLabels(height: number, width: number, downsample: number, fullHeight: number, fullWidth: number): string[][] | null {
  if (downsample === 1) return null;
  const span = (i: number, limit: number): string => {
    const a = i * downsample, b = Math.min(a + downsample - 1, limit - 1);
    return a === b ? String(a) : `${a}–${b}`;
  };
  const cols = Array.from({ length: width }, (_, x) => span(x, fullWidth));
  return Array.from({ length: height }, (_, y) => {
    const rows = span(y, fullHeight);
    return cols.map((c) => `rows ${rows}, cols ${c}`);
  });
}

/** The hover text of a position: `row %{y}, col %{x}` at full resolution, else the block label. */
export function positionTemplate(labels: string[][] | null): string {
  return labels === null ? 'row %{y}, col %{x}' : '%{text}';
}
