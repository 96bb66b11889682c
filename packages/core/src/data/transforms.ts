import { fail, formatShape } from '../errors.js';
import { inputSpecOf } from '../nn/input-spec.js';
import { Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';

/** A function applied to every batch `[N, C, H, W]` a {@link DataLoader} produces. */
export type BatchTransform = (batch: Tensor) => Tensor;

/** Gives the zero-filled array of `length` floats a transform writes its output into. */
export type OutputArray = (length: number) => Float32Array;

/**
 * A built-in transform as a function that writes its output into an array from `output`. It reads
 * its input, keeps nothing of it and returns a tensor on the array it was given, so a DataLoader
 * may reuse the arrays that pass between built-in transforms.
 */
export type WritingForm = (batch: Tensor, output: OutputArray) => Tensor;

const newArray: OutputArray = (length) => new Float32Array(length);
const writingForms = new WeakMap<BatchTransform, WritingForm>();

/** The {@link WritingForm} of a built-in transform (normalize, pad, fitTo); undefined for any other function. */
export function writingForm(transform: BatchTransform): WritingForm | undefined {
  return writingForms.get(transform);
}

/** Registers `form` as the writing form of `transform` (by default `form` writing into new arrays). */
function builtIn(form: WritingForm, transform: BatchTransform = (batch) => form(batch, newArray)): BatchTransform {
  writingForms.set(transform, form);
  return transform;
}

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
  return builtIn((batch, output) => {
    const [n, c, h, w] = batch.shape as [number, number, number, number];
    if (means.length !== 1 && means.length !== c) fail('normalize', `has ${means.length} channel statistics, the batch ${formatShape(batch.shape)} has ${c} channels`);
    const x = batch.data;
    const out = output(x.length);
    const plane = h * w;
    for (let i = 0; i < n * c; i++) {
      const ch = means.length === 1 ? 0 : i % c;
      const m = means[ch]!;
      const s = stds[ch]!;
      for (let k = i * plane; k < (i + 1) * plane; k++) out[k] = (x[k]! - m) / s;
    }
    return new Tensor(out, batch.shape);
  });
}

/**
 * Zero padding of `amount` pixels on every side (torchvision's `Pad`): `[N, C, H, W]` →
 * `[N, C, H + 2·amount, W + 2·amount]`. Fashion-MNIST's 28×28 images become the 32×32 LeNet expects.
 * @example pad(2)
 */
export function pad(amount: number): BatchTransform {
  if (!Number.isInteger(amount) || amount < 0) fail('pad', `amount must be a non-negative integer, got ${amount}`);
  return builtIn((batch, output) => {
    const [n, c, h, w] = batch.shape as [number, number, number, number];
    const ph = h + 2 * amount;
    const pw = w + 2 * amount;
    const x = batch.data;
    const out = output(n * c * ph * pw);
    for (let i = 0; i < n * c; i++) {
      for (let y = 0; y < h; y++) out.set(x.subarray((i * h + y) * w, (i * h + y + 1) * w), (i * ph + y + amount) * pw + amount);
    }
    return new Tensor(out, [n, c, ph, pw]);
  });
}

/**
 * Pads (with zeros) or centre-crops every image to the input a model expects, e.g. Fashion-MNIST's
 * 28×28 to LeNet-5's 32×32 (the same as `pad(2)`). `target` is a model that declares its input
 * (the zoo's fixed-size models do: `zoo.lenet5()`, `zoo.lenetCaffe()`) or a sample shape `[C, H, W]`.
 * The channel count must already match. Works on batches `[N, C, H, W]` and on single images `[C, H, W]`.
 * @example new DataLoader(train, { batchSize: 64, transforms: [fitTo(model)] })
 * @example fitTo(model)(test.get(0).image) // [1, 32, 32]
 */
export function fitTo(target: Module | readonly [number, number, number]): BatchTransform {
  let shape: readonly number[];
  if (target instanceof Module) {
    const spec = inputSpecOf(target);
    if (spec === null) fail('fitTo', `${target.typeName} does not declare its input size; pass the sample shape instead, e.g. fitTo([1, 32, 32])`);
    shape = spec.shape;
  } else {
    shape = target;
  }
  if (shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 1)) fail('fitTo', `expected a sample shape [C, H, W] of positive integers, got ${formatShape(shape)}`);
  const [tc, th, tw] = shape as [number, number, number];
  // Into `output` always; the transform itself returns a batch of the right size as it is.
  const fit = (batch: Tensor, output: OutputArray): Tensor => {
    if (batch.rank === 3) return fit(batch.reshape([1, ...batch.shape]), output).reshape([tc, th, tw]);
    if (batch.rank !== 4) fail('fitTo', `expected images [N, C, H, W] or one image [C, H, W], got ${formatShape(batch.shape)}`);
    const [n, c, h, w] = batch.shape as [number, number, number, number];
    if (c !== tc) fail('fitTo', `images have ${c} channels, the target ${tc}×${th}×${tw} has ${tc}; channels are not converted`);
    const out = output(n * c * th * tw);
    if (h === th && w === tw) {
      out.set(batch.data);
      return new Tensor(out, [n, c, th, tw]);
    }
    // Offsets of the source window in the target (padding, ≥ 0) or of the target window in the source (cropping).
    const oy = Math.floor((th - h) / 2);
    const ox = Math.floor((tw - w) / 2);
    const x = batch.data;
    for (let i = 0; i < n * c; i++) {
      for (let y = 0; y < th; y++) {
        const sy = y - oy;
        if (sy < 0 || sy >= h) continue;
        for (let xx = 0; xx < tw; xx++) {
          const sx = xx - ox;
          if (sx >= 0 && sx < w) out[(i * th + y) * tw + xx] = x[(i * h + sy) * w + sx]!;
        }
      }
    }
    return new Tensor(out, [n, c, th, tw]);
  };
  const fitting = (batch: Tensor): boolean =>
    (batch.rank === 3 || batch.rank === 4) && batch.shape.slice(-3).every((d, i) => d === shape[i]);
  return builtIn(fit, (batch) => (fitting(batch) ? batch : fit(batch, newArray)));
}
