import type { AttributionData, CheckData, ConfusionData, FeatureMapsData, HistoryData, SummaryData, TensorValues, UnitData, FiltersData, LayerHealthData } from '@convlab/display';

/** Standard base64 of bytes (what QuantizedPlanes.data holds). */
export function base64(bytes: readonly number[]): string {
  return Buffer.from(bytes).toString('base64');
}

/** A parameter table with a nested group (`features`), a frozen layer and a global classifier. */
export const SUMMARY: SummaryData = {
  model: 'TinyNet',
  inputShape: [1, 8, 8],
  rows: [
    {
      name: 'features.0', depth: 2, type: 'Conv2d', arguments: '1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)', outputShape: [4, 8, 8], params: 40, trainable: 40, share: 40 / 300,
      macs: 2304, receptiveField: { size: [3, 3], stride: [1, 1], padding: [1, 1] }, global: false,
    },
    {
      name: 'features.1', depth: 2, type: 'ReLU', arguments: '', outputShape: [4, 8, 8], params: 0, trainable: 0, share: 0, macs: 0, receptiveField: { size: [3, 3], stride: [1, 1], padding: [1, 1] },
      global: false,
    },
    {
      name: 'features.2', depth: 2, type: 'MaxPool2d', arguments: 'kernel_size=2, stride=2', outputShape: [4, 4, 4], params: 0, trainable: 0, share: 0, macs: 0,
      receptiveField: { size: [4, 4], stride: [2, 2], padding: [1, 1] }, global: false,
    },
    { name: 'flatten', depth: 1, type: 'Flatten', arguments: '', outputShape: [64], params: 0, trainable: 0, share: 0, macs: 0, receptiveField: null, global: false },
    {
      name: 'fc', depth: 1, type: 'Linear', arguments: 'in_features=64, out_features=4, bias=True', outputShape: [4], params: 260, trainable: 0, share: 260 / 300, macs: 256, receptiveField: null,
      global: true,
    },
  ],
  totals: { params: 300, trainable: 40, macs: 2560 },
};

/**
 * Feature maps of two layers for a 1×4×4 input: `conv` has 3 channels of which 0 and 2 are
 * included (per-channel ranges), `pool` has 20 channels of 2×2 (two pages of channels).
 */
export function featureMaps(): FeatureMapsData {
  const pool = Array.from({ length: 20 * 4 }, (_, i) => (i * 13) % 256);
  return {
    input: { shape: [1, 4, 4], image: { shape: [1, 4, 4], downsample: 1, encoding: 'uint8-base64', data: base64(Array.from({ length: 16 }, (_, i) => i * 17)), range: 'layer', min: [0], max: [1] } },
    layers: [
      {
        name: 'conv', type: 'Conv2d', shape: [3, 4, 4],
        channels: { included: [0, 2], total: 3, page: null },
        maps: { shape: [2, 2, 2], downsample: 2, encoding: 'uint8-base64', data: base64([0, 255, 255, 0, 0, 51, 102, 255]), range: 'channel', min: [-1, 0], max: [1, 5] },
        receptiveField: { size: [3, 3], stride: [1, 1], padding: [1, 1] },
      },
      {
        name: 'pool', type: 'MaxPool2d', shape: [20, 2, 2],
        channels: { included: Array.from({ length: 20 }, (_, i) => i), total: 20, page: null },
        maps: { shape: [20, 2, 2], downsample: 1, encoding: 'uint8-base64', data: base64(pool), range: 'layer', min: [0], max: [255] },
        receptiveField: { size: [4, 4], stride: [2, 2], padding: [1, 1] },
      },
    ],
    limits: { maxChannels: 64, maxSide: 56, maxBytes: 1_048_576 },
  };
}

/** A run in progress: epoch 2 of 3, 4 batches per epoch, a validation set. */
export function history(batches: number): HistoryData {
  return {
    batches: Array.from({ length: batches }, (_, i) => ({ step: i + 1, epoch: Math.floor(i / 4) + 1, loss: 2 / (i + 1), accuracy: Math.min(1, 0.1 * (i + 1)) })),
    batchesPerPoint: 1,
    epochs: Array.from(
      { length: Math.floor(batches / 4) },
      (_, e) => ({ epoch: e + 1, step: 4 * (e + 1), trainLoss: 1 / (e + 1), trainAccuracy: 0.5 + 0.1 * e, validationLoss: 1.2 / (e + 1), validationAccuracy: 0.45 + 0.1 * e }),
    ),
    progress: {
      epoch: Math.floor((batches - 1) / 4) + 1, epochs: 3, batch: ((batches - 1) % 4) + 1, batchesPerEpoch: 4, imagesPerSecond: 1234.4, elapsedSeconds: 3.2, etaSeconds: 61, done: false, stopped: null
    },
  };
}

export const TENSOR_VALUES: TensorValues = {
  name: 'x', shape: [2, 3], stats: { min: -1, max: 'Infinity', mean: 'NaN' }, form: 'values', values: [1, 2.5, -1, 'NaN', 'Infinity', 0.000012345], truncated: false
};

export const CHECK: CheckData = { name: 'B6 conv parameters', passed: false, computed: '280', expected: '296', tolerance: null, message: 'differs from the expected 296' };

/** A 1×2×3 uint8 image whose first byte is `seed`. */
export const image = (seed: number) => (
  { shape: [1, 2, 3] as [number, number, number], downsample: 1, encoding: 'uint8-base64' as const, data: base64([seed, 50, 100, 150, 200, 255]), range: 'layer' as const, min: [0], max: [1] }
);
const s = (precision: number, recall: number, support: number) => ({ precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), support });

/** 3 classes; row 'shirt' has 2 mistakes as 'coat', with two stored images. */
export const CONFUSION: ConfusionData = {
  classes: ['tee', 'shirt', 'coat'],
  matrix: [[5, 0, 0], [0, 2, 2], [1, 0, 4]],
  total: 14, accuracy: 11 / 14,
  perClass: [s(5 / 6, 1, 5), s(1, 0.5, 4), s(4 / 6, 0.8, 5)],
  macro: s(0.83, 0.77, 14), weighted: s(0.82, 0.79, 14),
  examples: [
    { trueClass: 1, predictedClass: 2, index: 17, confidence: 0.93, image: image(0) },
    { trueClass: 1, predictedClass: 2, index: 4, confidence: 0.61, image: image(9) },
  ],
  examplesPerCell: 6,
};

export const UNIT: UnitData = {
  kind: 'conv', layer: 'conv2', type: 'Conv2d', unit: { channel: 3, row: 0, col: 1 },
  source: { layer: 'pool1', type: 'MaxPool2d', shape: [2, 4, 4] }, modelValue: 0.5,
  rows: [-1, 0], cols: [0, 1], inputChannels: [0, 1],
  window: [[[0, 0], [1, 2]], [[0, 0], [3, 'NaN']]], kernel: [[[1, 1], [0.5, 0.25]], [[1, 1], [0.1, 0]]],
  products: [[[0, 0], [0.5, 0.5]], [[0, 0], [0.3, 0]]], channelSums: [1, 0.3],
  sum: 1.3, bias: -0.8, preActivation: 0.5, activation: { layer: 'relu2', type: 'ReLU', value: 0.5 },
};

/** Two attribution maps over one 1×2×3 image, with markup in the caption and a label. */
export function attribution(): AttributionData {
  const img = image(0);
  return {
    image: img, caption: 'test image 3: <b>Shirt</b>',
    maps: [
      { method: 'saliency', target: 6, label: 'Shirt', layer: null, score: 1.25, map: img },
      { method: 'gradcam', target: 0, label: '<i>T-shirt</i>', layer: 'conv2', score: -0.5, map: img },
    ],
  };
}

/** 2 filters × 2 input channels of 1×2 kernels, weights in [-0.5, 0.5]. */
export const FILTERS: FiltersData = {
  layer: 'conv2', weightShape: [3, 2, 1, 2], mode: 'channels', outputs: [0, 2], inputs: [0, 1], min: -0.5, max: 0.25,
  planes: { shape: [4, 1, 2], downsample: 1, encoding: 'uint8-base64', data: base64([0, 255, 128, 128, 51, 204, 255, 0]), range: 'layer', min: [-0.5], max: [0.5] },
};

/** Two records of a conv (weights histograms) and a ReLU (activations, one record missing), training live. */
export const LAYER_HEALTH: LayerHealthData = {
  records: [{ step: 10, epoch: 1, batch: 10 }, { step: 20, epoch: 2, batch: 10 }],
  layers: [
    { layer: 'conv1', type: 'Conv2d', weightNorm: [1, 1.5], gradNorm: [0.2, 0.1], updateRatio: [0.01, 0.001], deadFraction: [null, null],
      weights: { edges: [-1, 0, 1], counts: [[3, 1], [2, 1]], below: [0, 1], above: [0, 0] }, grads: null, activations: null },
    { layer: 'relu1', type: 'ReLU', weightNorm: [null, null], gradNorm: [null, null], updateRatio: [null, null], deadFraction: [0.1, 0.25],
      weights: null, grads: null, activations: { edges: [0, 1, 2], counts: [[4, 0], null], below: [0, 0], above: [0, 0] } },
  ],
  progress: { epoch: 2, epochs: 3, batch: 4, batchesPerEpoch: 10, done: false },
};
