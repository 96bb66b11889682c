import { fail, formatShape } from '../errors.js';
import { checkOptions, opt } from '../options.js';
import { findDataset } from './dataset-search-path.js';
import { ImageDataset } from './image-dataset.js';
import { readIdxFile } from './idx.js';

/** The four IDX files of Fashion-MNIST, without `.gz`: training images and labels, test images and labels. */
export const FASHION_MNIST_FILES: readonly string[] = [
  'train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte',
];

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

/** Fashion-MNIST's training and test sets, and the folder they were read from. */
export interface FashionMnist {
  readonly train: ImageDataset;
  readonly test: ImageDataset;
  readonly dir: string;
}

/**
 * Loads Fashion-MNIST (60,000 training and 10,000 test images, 1×28×28, ten classes), gzipped or
 * not, from the first folder of the dataset search path that holds its four IDX files
 * ({@link FASHION_MNIST_FILES}): `options.dir` alone when given, else `$CONVLAB_DATA/fashion-mnist`,
 * the user cache folder (`$XDG_CACHE_HOME/convlab/fashion-mnist` or `~/.cache/convlab/fashion-mnist`),
 * then the system folders (Debian's `dataset-fashion-mnist` package installs into
 * `/usr/share/datasets/fashion-mnist`); see `datasetSearchPath`. The error when none holds them
 * lists every folder looked in. Pixels stay 8-bit in memory and are served as `value / 255`. The
 * options are checked (`fashionMnist: unknown option root (known options: dir)`).
 * @example const { train, test } = fashionMnist();
 */
export function fashionMnist(options: { readonly dir?: string } = {}): FashionMnist {
  const { dir: explicit } = checkOptions('fashionMnist', options, { dir: opt.string });
  const hint = 'Install Debian\'s package with `sudo apt-get install dataset-fashion-mnist`, set CONVLAB_DATA to a folder ' +
    'whose fashion-mnist/ holds the four IDX files, or pass { dir } (convlab train: --data-dir) naming the folder that holds them';
  const { dir, files } = findDataset('fashionMnist', 'fashion-mnist', FASHION_MNIST_FILES, hint, explicit === undefined ? {} : { dir: explicit });
  const [trainImages, trainLabels, testImages, testLabels] = files as [string, string, string, string];
  return {
    train: idxImageDataset(trainImages, trainLabels, FASHION_MNIST_CLASSES),
    test: idxImageDataset(testImages, testLabels, FASHION_MNIST_CLASSES),
    dir,
  };
}
