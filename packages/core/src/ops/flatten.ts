import { fail, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';

/**
 * Merges dimensions `startDim..endDim` (inclusive, negative counts from the end) into one, like
 * `torch.flatten`. Default: all dims, giving 1-D; `flatten(x, 1)` keeps the batch: `[N, C, H, W] → [N, C·H·W]`.
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.rank === 0) return x.reshape([1]);
  const rank = x.shape.length;
  const start = startDim < 0 ? rank + startDim : startDim;
  const end = endDim < 0 ? rank + endDim : endDim;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end >= rank || start > end) {
    fail('flatten', `dims ${startDim}..${endDim} are out of range for input shape ${formatShape(x.shape)}`);
  }
  const merged = x.shape.slice(start, end + 1).reduce((p, d) => p * d, 1);
  return x.reshape([...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
}
