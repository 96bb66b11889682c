import { checkOptions, opt } from '../options.js';
import { fail, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/** One labelled image of a dataset: `image` is `[C, H, W]`. */
export interface Sample {
  readonly image: Tensor;
  readonly label: number;
  /** The label's class name, or the label as text when the dataset has no class names. */
  readonly className: string;
}

/** Channels, height, width of one image. */
export type ImageShape = readonly [number, number, number];

/**
 * Labelled images held in memory: `length` images of shape `imageShape` (C×H×W), row-major, and
 * one integer label per image. 8-bit pixels (`Uint8Array`, as read from IDX files) are served as
 * `value / 255`, like torchvision's `ToTensor`; float pixels are served as they are.
 * @example new ImageDataset(pixels, labels, [1, 28, 28], { classes: FASHION_MNIST_CLASSES })
 */
export class ImageDataset {
  readonly length: number;
  /** Class names, indexed by label (empty when unknown). */
  readonly classes: readonly string[];
  private readonly imageSize: number;

  constructor(
    readonly pixels: Uint8Array | Float32Array,
    readonly labels: Int32Array,
    readonly imageShape: ImageShape,
    options: { readonly classes?: readonly string[] } = {},
  ) {
    if (imageShape.length !== 3 || imageShape.some((d) => !Number.isInteger(d) || d < 1)) {
      fail('ImageDataset', `imageShape must be [C, H, W] with positive integers, got ${formatShape(imageShape)}`);
    }
    this.imageSize = imageShape[0] * imageShape[1] * imageShape[2];
    this.length = labels.length;
    if (pixels.length !== this.length * this.imageSize) {
      fail('ImageDataset', `${this.length} labels need ${this.length}×${imageShape.join('×')} = ${this.length * this.imageSize} pixel values, got ${pixels.length}`);
    }
    this.classes = checkOptions('ImageDataset', options, { classes: opt.array }).classes ?? [];
    if (this.classes.length > 0) {
      const bad = labels.findIndex((y) => y < 0 || y >= this.classes.length);
      if (bad >= 0) fail('ImageDataset', `label ${bad} is ${labels[bad]}, expected an integer in [0, ${this.classes.length - 1}]`);
    }
  }

  /** Images `start` (inclusive) to `end` (exclusive) as a dataset that shares this one's memory. */
  slice(start: number, end = this.length): ImageDataset {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.length || start > end) {
      fail('ImageDataset.slice', `expected 0 ≤ start ≤ end ≤ ${this.length}, got start ${start}, end ${end}`);
    }
    const s = this.imageSize;
    return new ImageDataset(this.pixels.subarray(start * s, end * s), this.labels.subarray(start, end), this.imageShape, { classes: this.classes });
  }

  /**
   * Image `index` as a `[C, H, W]` tensor (pixels as served to a DataLoader), its label and class name.
   * @example const { image, label, className } = test.get(0) // image [1, 28, 28], 9, 'Ankle boot'
   */
  get(index: number): Sample {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) fail('ImageDataset.get', `index must be an integer in [0, ${this.length - 1}], got ${index}`);
    const values = new Float32Array(this.imageSize);
    this.copyImage(index, values, 0);
    const label = this.labels[index]!;
    return { image: new Tensor(values, this.imageShape), label, className: this.classes[label] ?? String(label) };
  }

  /** Copies image `index` as floats into `target` at `offset`. */
  copyImage(index: number, target: Float32Array, offset: number): void {
    const s = this.imageSize;
    const src = this.pixels.subarray(index * s, (index + 1) * s);
    if (src instanceof Float32Array) {
      target.set(src, offset);
      return;
    }
    for (let i = 0; i < s; i++) target[offset + i] = src[i]! / 255;
  }
}
