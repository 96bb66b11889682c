export { IDX_MAX_BYTES, parseIdx, readIdxFile, type IdxArray } from './idx.js';
export { ImageDataset, type ImageShape, type Sample } from './image-dataset.js';
export { normalize, pad, fitTo, type BatchTransform } from './transforms.js';
export { DataLoader, type DataLoaderOptions, type Batch } from './data-loader.js';
export {
  fashionMnist, idxImageDataset, FASHION_MNIST_FILES, FASHION_MNIST_CLASSES, FASHION_MNIST_MEAN, FASHION_MNIST_STD, type FashionMnist,
} from './fashion-mnist.js';
export {
  datasetSearchPath, findDataset, SYSTEM_DATASET_DIRS, type DatasetPlace, type DatasetSearchOptions, type FoundDataset,
} from './dataset-search-path.js';
