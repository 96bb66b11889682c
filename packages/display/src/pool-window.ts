/**
 * The two pooling rules a unit's step-through needs, shared by core's `explainUnit` and the
 * browser's {@link unitFromArithmetic} so that both pick the same cell and the same divisor.
 */

/** A window cell: its input row and column and its value. */
export interface WindowCell {
  readonly row: number;
  readonly col: number;
  readonly value: number;
}

/**
 * PyTorch's max-pool choice over `window[i][j]` (input rows `rows[i]`, columns `cols[j]`; `null`
 * is padding): the first maximum in row-major order, a NaN winning over every number. `null` when
 * the window lies entirely in the padding.
 */
export function windowArgMax(window: readonly (readonly (number | null)[])[], rows: readonly number[], cols: readonly number[]): WindowCell | null {
  let chosen: WindowCell | null = null;
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < cols.length; j++) {
      const v = window[i]?.[j] ?? null;
      if (v === null || (chosen !== null && (Number.isNaN(chosen.value) || !(v > chosen.value || Number.isNaN(v))))) continue;
      chosen = { row: rows[i]!, col: cols[j]!, value: v };
    }
  }
  return chosen;
}

/**
 * PyTorch's average-pool divisor for a `kh×kw` window whose top-left input cell is
 * (`row0`, `col0`) on an `h×w` input padded by `padding`: the window clipped to the padded input
 * (`countIncludePad`), or to the image itself.
 */
export function avgPoolDivisor(
  row0: number, col0: number, kernelSize: readonly [number, number], h: number, w: number,
  padding: readonly [number, number], countIncludePad: boolean,
): number {
  const span = (start: number, k: number, n: number, p: number): [number, number] => {
    const end = Math.min(start + k, n + p);
    return [end - start, Math.min(end, n) - Math.max(start, 0)];
  };
  const [padH, realH] = span(row0, kernelSize[0], h, padding[0]);
  const [padW, realW] = span(col0, kernelSize[1], w, padding[1]);
  return countIncludePad ? padH * padW : realH * realW;
}
