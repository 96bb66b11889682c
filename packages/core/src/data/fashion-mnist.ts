import { fail, formatShape } from '../errors.js';
import { requireNodeModule } from '../platform.js';
import { checkOptions, opt } from '../options.js';
import { ImageDataset } from './image-dataset.js';
import { readIdxFile } from './idx.js';

/** Where Debian's `dataset-fashion-mnist` package installs the four IDX files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's ten classes, indexed by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** Mean and standard deviation of the training images' pixels (scaled to [0, 1]), for `normalize`. */
export const FASHION_MNIST_MEAN = 0.2860;
export const FASHION_MNIST_STD = 0.3530;

/**
 * Reads an image IDX file (`[N, H, W]` unsigned bytes) and its label IDX file (`[N]`) into a
 * dataset of 1×H×W images, checking that the counts agree and every label names a class.
 */
export function idxImageDataset(imagesPath: string, labelsPath: string, classes: readonly string[]): ImageDataset {
  const images = readIdxFile(imagesPath);
  const labels = readIdxFile(labelsPath);
  if (images.dims.length !== 3) fail(`IDX file ${imagesPath}`, `expected images [N, H, W], got dimensions ${formatShape(images.dims)}`);
  if (labels.dims.length !== 1) fail(`IDX file ${labelsPath}`, `expected labels [N], got dimensions ${formatShape(labels.dims)}`);
  const [n, h, w] = images.dims as [number, number, number];
  if (labels.dims[0] !== n) fail('IDX dataset', `${imagesPath} holds ${n} images but ${labelsPath} holds ${labels.dims[0]} labels`);
  return new ImageDataset(images.data, Int32Array.from(labels.data), [1, h, w], { classes });
}

function findFile(dir: string, stem: string): string | null {
  const { existsSync } = requireNodeModule('node:fs', 'fashionMnist');
  const { join } = requireNodeModule('node:path', 'fashionMnist');
  for (const name of [`${stem}.gz`, stem]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * Loads Fashion-MNIST (60,000 training and 10,000 test images, 1×28×28, ten classes) from `dir`
 * (default: Debian's {@link FASHION_MNIST_DIR}), gzipped or not. Pixels stay 8-bit in memory and
 * are served as `value / 255`. The options are checked (`fashionMnist: unknown option root (known
 * options: dir)`).
 * @example const { train, test } = fashionMnist();
 */
export function fashionMnist(options: { readonly dir?: string } = {}): { train: ImageDataset; test: ImageDataset } {
  const dir = checkOptions('fashionMnist', options, { dir: opt.string }).dir ?? FASHION_MNIST_DIR;
  const stems = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  const paths = stems.map((stem) => findFile(dir, stem));
  const missing = stems.filter((_, i) => paths[i] === null);
  if (missing.length > 0) {
    fail('fashionMnist', `no ${missing.join(', ')} (.gz or not) in ${dir}. Install Debian's package with ` +
      '`sudo apt-get install dataset-fashion-mnist` (files in /usr/share/datasets/fashion-mnist), or pass { dir } naming a folder with the four IDX files');
  }
  const [trainImages, trainLabels, testImages, testLabels] = paths as [string, string, string, string];
  return {
    train: idxImageDataset(trainImages, trainLabels, FASHION_MNIST_CLASSES),
    test: idxImageDataset(testImages, testLabels, FASHION_MNIST_CLASSES),
  };
}
