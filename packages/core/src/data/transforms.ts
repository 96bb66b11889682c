import { fail, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/** A function applied to every batch `[N, C, H, W]` a {@link DataLoader} produces. */
export type BatchTransform = (batch: Tensor) => Tensor;

/**
 * Per-channel standardization `(x − mean[c]) / std[c]` (torchvision's `Normalize`); a single
 * number applies to every channel.
 * @example normalize(FASHION_MNIST_MEAN, FASHION_MNIST_STD)
 */
export function normalize(mean: number | readonly number[], std: number | readonly number[]): BatchTransform {
  const means = typeof mean === 'number' ? [mean] : mean;
  const stds = typeof std === 'number' ? [std] : std;
  if (means.length !== stds.length) fail('normalize', `mean and std need one value per channel, got ${means.length} and ${stds.length}`);
  const zero = stds.findIndex((s) => !(s > 0));
  if (zero >= 0) fail('normalize', `std must be positive, got ${stds[zero]} for channel ${zero}`);
  return (batch) => {
    const [n, c, h, w] = batch.shape as [number, number, number, number];
    if (means.length !== 1 && means.length !== c) fail('normalize', `has ${means.length} channel statistics, the batch ${formatShape(batch.shape)} has ${c} channels`);
    const x = batch.data;
    const out = new Float32Array(x.length);
    const plane = h * w;
    for (let i = 0; i < n * c; i++) {
      const ch = means.length === 1 ? 0 : i % c;
      const m = means[ch]!;
      const s = stds[ch]!;
      for (let k = i * plane; k < (i + 1) * plane; k++) out[k] = (x[k]! - m) / s;
    }
    return new Tensor(out, batch.shape);
  };
}

/**
 * Zero padding of `amount` pixels on every side (torchvision's `Pad`): `[N, C, H, W]` →
 * `[N, C, H + 2·amount, W + 2·amount]`. Fashion-MNIST's 28×28 images become the 32×32 LeNet expects.
 * @example pad(2)
 */
export function pad(amount: number): BatchTransform {
  if (!Number.isInteger(amount) || amount < 0) fail('pad', `amount must be a non-negative integer, got ${amount}`);
  return (batch) => {
    const [n, c, h, w] = batch.shape as [number, number, number, number];
    const ph = h + 2 * amount;
    const pw = w + 2 * amount;
    const x = batch.data;
    const out = new Float32Array(n * c * ph * pw);
    for (let i = 0; i < n * c; i++) {
      for (let y = 0; y < h; y++) out.set(x.subarray((i * h + y) * w, (i * h + y + 1) * w), (i * ph + y + amount) * pw + amount);
    }
    return new Tensor(out, [n, c, ph, pw]);
  };
}
