export { IDX_MAX_BYTES, parseIdx, readIdxFile, type IdxArray } from './idx.js';
export { ImageDataset, type ImageShape, type Sample } from './image-dataset.js';
export { normalize, pad, fitTo, type BatchTransform } from './transforms.js';
export { DataLoader, type DataLoaderOptions, type Batch } from './data-loader.js';
export { fashionMnist, idxImageDataset, FASHION_MNIST_DIR, FASHION_MNIST_CLASSES, FASHION_MNIST_MEAN, FASHION_MNIST_STD } from './fashion-mnist.js';
