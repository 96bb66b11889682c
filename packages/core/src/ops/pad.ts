import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { stridesOf } from '../shape/broadcast.js';
import { Tensor, shapeSize } from '../tensor.js';

/**
 * Pads the last dims with `value`: `pad` lists (before, after) pairs starting from the last dim,
 * like `F.pad(x, pad, 'constant', value)`; negative amounts crop.
 * @example pad(x, [1, 1, 2, 0]) // [N, C, H, W] → [N, C, H + 2, W + 2]
 */
export function pad(x: Tensor, amounts: readonly number[], value = 0): Tensor {
  if (amounts.length % 2 !== 0 || amounts.length / 2 > x.rank || amounts.some((a) => !Number.isInteger(a))) {
    fail('pad', `expected whole-number (before, after) pairs for at most ${x.rank} dims, got ${formatShape(amounts)}`);
  }
  const before = x.shape.map(() => 0);
  const shape = [...x.shape];
  for (let k = 0; k < amounts.length / 2; k++) {
    const d = x.rank - 1 - k;
    before[d] = amounts[2 * k]!;
    shape[d] = x.shape[d]! + amounts[2 * k]! + amounts[2 * k + 1]!;
    if (shape[d]! < 0) fail('pad', `padding ${formatShape(amounts)} leaves a negative size for dim ${d} of shape ${formatShape(x.shape)}`);
  }
  if (x.isMeta) return Tensor.meta(shape);
  const strides = stridesOf(x.shape);
  const map = new Int32Array(shapeSize(shape));
  const counter = shape.map(() => 0);
  for (let i = 0; i < map.length; i++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) {
      const c = counter[d]! - before[d]!;
      if (c < 0 || c >= x.shape[d]!) {
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
