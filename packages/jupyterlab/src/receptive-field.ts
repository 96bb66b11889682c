import type { ReceptiveField } from '@convlab/display';

/** An inclusive block of pixels: rows `top…bottom`, columns `left…right`. */
export interface PixelBox {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/** Where a clicked feature-map cell looks in the input. */
export interface FieldOfCell {
  /** The layer's full-resolution units the stored cell averages (one unit when not downsampled). */
  readonly units: PixelBox;
  /** The input pixels those units see, before clipping: may extend into the padding. */
  readonly field: PixelBox;
  /** `field` clipped to the input image, or null if it lies entirely in the padding. */
  readonly visible: PixelBox | null;
}

/**
 * The receptive field of stored cell `(row, col)` of a layer's maps. A stored cell averages the
 * layer's units `row·d … row·d + d − 1` (likewise columns; `d` = the maps' downsample factor,
 * clipped to the layer's `height × width`), and unit `i` sees input rows
 * `i·stride − padding … i·stride − padding + size − 1`; the union over the cell's units is returned.
 * @example fieldOfCell({ size: [5, 5], stride: [1, 1], padding: [2, 2] }, [28, 28], 1, 0, 3, [28, 28])
 *   // units rows 0–0, cols 3–3; field rows −2…2, cols 1…5; visible rows 0…2, cols 1…5
 */
export function fieldOfCell(
  field: ReceptiveField, layerSize: readonly [number, number], downsample: number,
  row: number, col: number, inputSize: readonly [number, number],
): FieldOfCell {
  const units = {
    top: row * downsample, bottom: Math.min(row * downsample + downsample - 1, layerSize[0] - 1),
    left: col * downsample, right: Math.min(col * downsample + downsample - 1, layerSize[1] - 1),
  };
  const seen = {
    top: units.top * field.stride[0] - field.padding[0],
    bottom: units.bottom * field.stride[0] - field.padding[0] + field.size[0] - 1,
    left: units.left * field.stride[1] - field.padding[1],
    right: units.right * field.stride[1] - field.padding[1] + field.size[1] - 1,
  };
  const visible = {
    top: Math.max(seen.top, 0), bottom: Math.min(seen.bottom, inputSize[0] - 1),
    left: Math.max(seen.left, 0), right: Math.min(seen.right, inputSize[1] - 1),
  };
  const empty = visible.top > visible.bottom || visible.left > visible.right;
  return { units, field: seen, visible: empty ? null : visible };
}
