// `data`: datasets and loading where PyTorch keeps them (`torch.utils.data`), e.g.
// `new data.DataLoader(dataset, { batchSize: 64, shuffle: true })`.
export { DataLoader } from '../data/data-loader.js';
export { ImageDataset } from '../data/image-dataset.js';
