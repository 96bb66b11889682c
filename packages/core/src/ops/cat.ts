import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { catBackward, catForward } from '../kernels/dispatch.js';
import { normalizeDim } from '../shape/broadcast.js';
import { Tensor } from '../tensor.js';

/**
 * Joins tensors along `dim` (default 0; negative counts from the end), like `torch.cat`: every
 * other dimension must agree; the output's `dim` is the sum of theirs. Backward hands each input
 * its slice of the output gradient (GoogLeNet's Inception blocks stack their branches this way).
 * @example cat([a, b], 1) // [N, 64, H, W] and [N, 128, H, W] → [N, 192, H, W]
 */
export function cat(tensors: readonly Tensor[], dim = 0, where = 'cat'): Tensor {
  if (tensors.length === 0) fail(where, 'expected at least one tensor');
  const first = tensors[0]!.shape;
  const d = dim < 0 ? first.length + dim : dim;
  if (!Number.isInteger(d) || d < 0 || d >= first.length) fail(where, `dim ${dim} is out of range for shape ${formatShape(first)}`);
  for (const t of tensors) {
    if (t.rank !== first.length || t.shape.some((n, i) => i !== d && n !== first[i])) {
      fail(where, `shapes must agree except along dim ${dim}, got ${tensors.map((x) => formatShape(x.shape)).join(' and ')}`);
    }
  }
  const outer = first.slice(0, d).reduce((p, n) => p * n, 1);
  const inner = first.slice(d + 1).reduce((p, n) => p * n, 1);
  const spans = tensors.map((t) => t.shape[d]! * inner);
  const out = catForward(tensors.map((t) => t.data), spans, outer);
  const shape = [...first];
  shape[d] = tensors.reduce((n, t) => n + t.shape[d]!, 0);
  return recordOp(new Tensor(out, shape), 'cat', tensors, (g) => catBackward(g, spans, outer));
}

/**
 * Joins tensors of one shape along a new dim `dim` (from −rank−1 to rank), like `torch.stack`.
 * @example stack([a, b]) // two [3, 4] → [2, 3, 4]
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) fail('stack', 'expected at least one tensor');
  const first = tensors[0]!.shape;
  for (const x of tensors) {
    if (x.shape.join() !== first.join()) fail('stack', `tensors must have one shape, got ${tensors.map((y) => formatShape(y.shape)).join(' and ')}`);
  }
  const d = normalizeDim(dim, first.length, 'stack', 1);
  return cat(tensors.map((x) => x.reshape([...first.slice(0, d), 1, ...first.slice(d)])), d, 'stack');
}
