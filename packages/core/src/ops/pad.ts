import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { describeValue } from '../options.js';
import { stridesOf } from '../shape/broadcast.js';
import { Tensor, shapeSize } from '../tensor.js';

/**
 * How {@link pad} fills the border, PyTorch's `F.pad` modes: `'constant'` (the `value`),
 * `'reflect'` (a mirror that leaves out the edge), `'replicate'` (the edge repeated) or
 * `'circular'` (wrap-around).
 */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

const PAD_MODES: readonly PadMode[] = ['constant', 'reflect', 'replicate', 'circular'];

/**
 * The source index along an axis of length n for the padded position `c` (its index in the input's
 * frame), or −1 (the constant). Circular padding wraps around the part `[lo, hi)` left after a
 * negative amount cropped the axis, as PyTorch does; the other modes read the whole axis.
 */
function sourceIndex(c: number, n: number, mode: PadMode, lo: number, hi: number): number {
  // Outside [lo, hi), c < 0 or c ≥ n: a crop only moves lo up or hi down, and c never reaches the cropped part.
  if (c >= lo && c < hi) return c;
  switch (mode) {
    case 'constant':
      return -1;
    case 'replicate':
      return c < 0 ? 0 : n - 1;
    case 'reflect':
      return c < 0 ? -c : 2 * (n - 1) - c;
    case 'circular':
      return lo + ((((c - lo) % (hi - lo)) + (hi - lo)) % (hi - lo));
  }
}

/**
 * Pads the last dims of `x`, PyTorch's `F.pad(x, pad, mode, value)`: `pad` lists (before, after)
 * pairs starting from the LAST dim — `[left, right]` pads W, `[left, right, top, bottom]` pads H and
 * W — for at most `x.rank` dims; a negative amount crops. The border is `value` (`'constant'`,
 * default 0), a mirror without the edge (`'reflect'`, each amount < the dim's size), the edge
 * repeated (`'replicate'`) or wrap-around (`'circular'`, each amount ≤ the dim's size; a dim cropped
 * at one end wraps around what is left, as in PyTorch). Every mode
 * pads any number of trailing dims (PyTorch 1.13 restricts the non-constant modes to 1–3 dims of a
 * 2-D to 5-D input).
 *
 * Shape: `[…, H, W]` with `pad = [l, r, t, b]` → `[…, H + t + b, W + l + r]`.
 * Backward adds each output gradient into the input position it was copied from (the constant
 * border has none).
 *
 * @example pad(x, [1, 1, 2, 0]) // [N, C, H, W] → [N, C, H + 2, W + 2], zeros
 * @example pad(x, [1, 1, 1, 1], 'reflect') // what Conv2d's paddingMode 'reflect' does before convolving
 */
export function pad(x: Tensor, amounts: readonly number[], mode: PadMode = 'constant', value = 0, where = 'pad'): Tensor {
  if (!Array.isArray(amounts) || amounts.length % 2 !== 0 || amounts.length / 2 > x.rank || amounts.some((a) => !Number.isInteger(a))) {
    fail(where, `expected whole-number (before, after) pairs for at most ${x.rank} dims, got ${Array.isArray(amounts) ? formatShape(amounts) : describeValue(amounts)}`);
  }
  if (!PAD_MODES.includes(mode)) {
    const hint = typeof mode === 'number' ? ` (the value comes after the mode: pad(x, ${formatShape(amounts)}, 'constant', ${mode}))` : '';
    fail(where, `mode must be 'constant', 'reflect', 'replicate' or 'circular', got ${describeValue(mode)}${hint}`);
  }
  if (typeof value !== 'number') fail(where, `value must be a number, got ${describeValue(value)}`);
  if (mode !== 'constant' && value !== 0) fail(where, `value ${value} only applies to mode 'constant', not '${mode}'`);
  const before = x.shape.map(() => 0);
  const after = x.shape.map(() => 0);
  const shape = [...x.shape];
  for (let k = 0; k < amounts.length / 2; k++) {
    const d = x.rank - 1 - k;
    const n = x.shape[d]!;
    [before[d], after[d]] = [amounts[2 * k]!, amounts[2 * k + 1]!];
    shape[d] = n + before[d]! + after[d]!;
    if (shape[d]! < 0) fail(where, `padding ${formatShape(amounts)} leaves a negative size for dim ${d} of shape ${formatShape(x.shape)}`);
    const kept = n - Math.max(0, -before[d]!) - Math.max(0, -after[d]!);
    for (const [side, p] of [['before', before[d]!], ['after', after[d]!]] as const) {
      if (p <= 0 || mode === 'constant') continue;
      if (n === 0) fail(where, `cannot ${mode}-pad dim ${d} of size 0 (input shape ${formatShape(x.shape)})`);
      if (mode === 'reflect' && p >= n) fail(where, `reflect padding ${p} ${side} dim ${d} must be smaller than its size ${n} (input shape ${formatShape(x.shape)})`);
      if (mode === 'circular' && p > kept) {
        fail(where, `circular padding ${p} ${side} dim ${d} must be at most its size ${kept}${kept < n ? ' after cropping' : ''} (input shape ${formatShape(x.shape)})`);
      }
    }
  }
  if (x.isMeta) return Tensor.meta(shape);
  // Per dim, the source index of every output position (−1: the constant), then one flat map.
  const sources = shape.map((m, d) => {
    const n = x.shape[d]!;
    const [lo, hi] = [Math.max(0, -before[d]!), n - Math.max(0, -after[d]!)];
    return Int32Array.from({ length: m }, (_, i) => sourceIndex(i - before[d]!, n, mode, lo, hi));
  });
  const strides = stridesOf(x.shape);
  const map = new Int32Array(shapeSize(shape));
  const counter = shape.map(() => 0);
  for (let i = 0; i < map.length; i++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) {
      const c = sources[d]![counter[d]!]!;
      if (c < 0) {
        src = -1;
        break;
      }
      src += c * strides[d]!;
    }
    map[i] = src;
    for (let d = shape.length - 1; d >= 0 && ++counter[d]! === shape[d]!; d--) counter[d] = 0;
  }
  const xv = x.data;
  const out = new Float32Array(map.length);
  for (let i = 0; i < map.length; i++) out[i] = map[i]! < 0 ? value : xv[map[i]!]!;
  return recordOp(new Tensor(out, shape), 'pad', [x], (g) => {
    const gx = new Float32Array(x.size);
    for (let i = 0; i < map.length; i++) if (map[i]! >= 0) gx[map[i]!] += g[i]!;
    return [gx];
  });
}
