import { recordOp } from '../autograd.js';
import { fail, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/** How {@link pad2d} fills the border: zeros, a mirror without the edge, the edge repeated, or wrap-around. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Padding of the two spatial axes, PyTorch's `F.pad` order: `[left, right, top, bottom]`. */
export type Padding4 = readonly [left: number, right: number, top: number, bottom: number];

/** The source index along an axis of length n for padded position `i − before`, or −1 (a zero). */
function sourceIndex(i: number, n: number, mode: PaddingMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'zeros':
      return -1;
    case 'replicate':
      return i < 0 ? 0 : n - 1;
    case 'reflect':
      return i < 0 ? -i : 2 * (n - 1) - i;
    case 'circular':
      return ((i % n) + n) % n;
  }
}

/**
 * Pads the last two dimensions of `x` `[…, H, W]`, like `F.pad(x, [left, right, top, bottom], mode)`
 * with `'constant'` (here `'zeros'`), `'reflect'`, `'replicate'` or `'circular'`:
 * output `[…, H + top + bottom, W + left + right]`. Reflect needs each pad < the axis length,
 * circular ≤ it. Backward adds each output gradient into the input position it was copied from.
 * @example pad2d(x, [1, 1, 1, 1], 'reflect') // what Conv2d's paddingMode 'reflect' does before convolving
 */
export function pad2d(x: Tensor, padding: Padding4, mode: PaddingMode = 'zeros', where = 'pad2d'): Tensor {
  if (x.rank < 2) fail(where, `expected an input with at least 2 dimensions [… , H, W], got ${formatShape(x.shape)}`);
  const [left, right, top, bottom] = padding;
  const h = x.shape[x.rank - 2]!;
  const w = x.shape[x.rank - 1]!;
  for (const [arg, p, n] of [['left', left, w], ['right', right, w], ['top', top, h], ['bottom', bottom, h]] as const) {
    if (!Number.isInteger(p) || p < 0) fail(where, `padding ${arg} must be an integer ≥ 0, got ${p}`);
    if (mode === 'reflect' && p >= n) fail(where, `reflect padding ${arg} ${p} must be smaller than the input's size ${n} there (input shape ${formatShape(x.shape)})`);
    if (mode === 'circular' && p > n) fail(where, `circular padding ${arg} ${p} must be at most the input's size ${n} there (input shape ${formatShape(x.shape)})`);
    if (mode !== 'zeros' && p > 0 && n === 0) fail(where, `cannot ${mode}-pad an empty axis (input shape ${formatShape(x.shape)})`);
  }
  const oh = h + top + bottom;
  const ow = w + left + right;
  const rows = Int32Array.from({ length: oh }, (_, i) => sourceIndex(i - top, h, mode));
  const cols = Int32Array.from({ length: ow }, (_, j) => sourceIndex(j - left, w, mode));
  const planes = x.size / Math.max(1, h * w);
  const outShape = [...x.shape.slice(0, -2), oh, ow];
  if (x.isMeta) return new Tensor(null, outShape);
  const v = x.data;
  const out = new Float32Array(planes * oh * ow);
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < oh; i++) {
      const r = rows[i]!;
      if (r < 0) continue;
      for (let j = 0; j < ow; j++) {
        const c = cols[j]!;
        if (c >= 0) out[(p * oh + i) * ow + j] = v[(p * h + r) * w + c]!;
      }
    }
  }
  return recordOp(new Tensor(out, outShape), 'pad2d', [x], (g) => {
    const gx = new Float32Array(v.length);
    for (let p = 0; p < planes; p++) {
      for (let i = 0; i < oh; i++) {
        const r = rows[i]!;
        if (r < 0) continue;
        for (let j = 0; j < ow; j++) {
          const c = cols[j]!;
          if (c >= 0) gx[(p * h + r) * w + c] += g[(p * oh + i) * ow + j]!;
        }
      }
    }
    return [gx];
  });
}
