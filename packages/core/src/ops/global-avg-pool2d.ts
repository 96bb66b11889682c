import { fail, formatShape } from '../errors.js';
import { recordOp } from '../autograd.js';
import { planeMeanBackward, planeMeanForward } from '../kernels/dispatch.js';
import { Tensor } from '../tensor.js';

/**
 * Global average pooling: the mean of each channel's H×W map, `[N, C, H, W] → [N, C]`
 * (NIN, GoogLeNet and ResNet replace the fully connected head with it).
 * Backward gives every position of a map `1/(H·W)` of that channel's output gradient.
 *
 * @example globalAvgPool2d(x) // ResNet-18: [N,512,7,7] → [N,512]
 */
export function globalAvgPool2d(x: Tensor, where = 'globalAvgPool2d'): Tensor {
  if (x.rank !== 4) fail(where, `expected a 4-D input [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const hw = h * w;
  if (hw === 0) fail(where, `expected an input with non-empty H and W, got shape ${formatShape(x.shape)}`);
  const out = planeMeanForward(x.data, n * c, hw);
  return recordOp(new Tensor(out, [n, c]), 'globalAvgPool2d', [x], (g) => [planeMeanBackward(g, n * c, hw)]);
}
