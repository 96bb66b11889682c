import type { CheckData, FeatureMapsData, HistoryData, SummaryData, TensorData } from '../src/index.js';

/** Small valid payloads of every kind, written by hand (the builders' tests make real ones). */
export const SUMMARY: SummaryData = {
  model: 'Sequential',
  inputShape: [1, 28, 28],
  rows: [
    {
      name: '0', depth: 1, type: 'Conv2d', arguments: '1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2)', outputShape: [6, 28, 28], params: 156, trainable: 156, share: 156 / 47206,
      macs: 117600, activationBytes: 18816, receptiveField: { size: [5, 5], stride: [1, 1], padding: [2, 2] }, global: false,
    },
    { name: '1', depth: 1, type: 'Flatten', arguments: '', outputShape: [4704], params: 0, trainable: 0, share: 0, macs: 0, activationBytes: 18816, receptiveField: null, global: false },
    {
      name: '2', depth: 1, type: 'Linear', arguments: 'in_features=4704, out_features=10, bias=True', outputShape: [10], params: 47050, trainable: 47050, share: 47050 / 47206,
      macs: 47040, activationBytes: 40, receptiveField: null, global: true,
    },
  ],
  totals: { params: 47206, trainable: 47206, macs: 164640, activationBytes: 37672 },
  columns: ['type', 'arguments', 'outputSize', 'numParams', 'paramsPercent', 'trainable', 'multAdds', 'activationMemory', 'receptiveField'],
};

export const FEATUREMAPS: FeatureMapsData = {
  input: { shape: [1, 2, 2], image: { shape: [1, 2, 2], downsample: 1, encoding: 'uint8-base64', data: 'AH//gA==', range: 'layer', min: [0], max: [1] } },
  layers: [{
    name: '0', type: 'Conv2d', shape: [3, 2, 2],
    channels: { included: [0, 2], total: 3, page: null },
    maps: { shape: [2, 1, 1], downsample: 2, encoding: 'uint8-base64', data: 'AP8=', range: 'channel', min: [-1, 0], max: [1, 0.5] },
    receptiveField: { size: [3, 3], stride: [1, 1], padding: [1, 1] },
  }],
  limits: { maxChannels: 64, maxSide: 56, maxBytes: 1_048_576 },
};

export const HISTORY: HistoryData = {
  batches: [{ step: 1, epoch: 1, loss: 2.3, accuracy: 0.1 }, { step: 2, epoch: 1, loss: 'NaN', accuracy: null }],
  batchesPerPoint: 1,
  epochs: [{ epoch: 1, step: 2, trainLoss: 2.0, trainAccuracy: 0.2, validationLoss: null, validationAccuracy: null }],
  progress: { epoch: 1, epochs: 1, batch: 2, batchesPerEpoch: 2, imagesPerSecond: 1000, elapsedSeconds: 0.5, etaSeconds: 0, done: true, stopped: 'non-finite loss' },
};

export const TENSOR_VALUES: TensorData = { name: 'x', shape: [2, 2], stats: { min: 1, max: 4, mean: 2.5 }, form: 'values', values: [1, 2, 3, 4], truncated: false };

export const CHECK: CheckData = { name: 'B6 conv parameters', passed: true, computed: '280', expected: '280', tolerance: null, message: '280 equals the expected 280' };
