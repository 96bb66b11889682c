import { describe, expect, it } from 'vitest';
import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, GlobalAvgPool2d, LeakyReLU, Linear, LogSoftmax,
  MaxPool2d, type Module, ReLU, Sequential, Sigmoid, Softmax, Tanh,
} from '../../src/index.js';
import { loadTorchCases } from '../helpers/fixtures.js';
import { Block, Net } from './models.js';

/** convlab's spelling of each module in tests/fixtures/torch_cases/modules.py's LAYERS. */
const builders: Record<string, () => Module> = {
  conv_default: () => new Conv2d(1, 6, 5),
  conv_full: () => new Conv2d(4, 8, [3, 5], { stride: [2, 1], padding: [1, 2], dilation: [2, 1], groups: 2, bias: false }),
  conv_same: () => new Conv2d(3, 16, 3, { padding: 'same' }),
  conv_valid: () => new Conv2d(3, 16, 3, { padding: 'valid' }),
  conv_depthwise: () => new Conv2d(8, 8, 3, { padding: 1, groups: 8 }),
  max_pool: () => new MaxPool2d(2),
  max_pool_full: () => new MaxPool2d([3, 2], { stride: [2, 1], padding: 1, dilation: 2, ceilMode: true }),
  avg_pool: () => new AvgPool2d(3, { stride: 2, padding: 1 }),
  adaptive_pair: () => new AdaptiveAvgPool2d([7, 7]),
  adaptive_int: () => new AdaptiveAvgPool2d(1),
  global_avg_pool: () => new GlobalAvgPool2d(),
  linear: () => new Linear(400, 120),
  linear_no_bias: () => new Linear(3, 2, { bias: false }),
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  leaky_relu: () => new LeakyReLU(),
  leaky_relu_slope: () => new LeakyReLU(0.2),
  softmax: () => new Softmax(1),
  log_softmax: () => new LogSoftmax(-1),
  flatten: () => new Flatten(),
  flatten_dims: () => new Flatten(0, 2),
  dropout: () => new Dropout(),
  dropout_p: () => new Dropout(0.25),
  dropout_zero: () => new Dropout(0),
  batch_norm: () => new BatchNorm2d(16),
  batch_norm_options: () => new BatchNorm2d(4, { eps: 1e-3, momentum: 0.01, affine: false }),
  batch_norm_tiny_eps: () => new BatchNorm2d(2, { eps: 1e-7, momentum: 0.5 }),
  sequential_empty: () => new Sequential(),
  sequential: () => new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(864, 10)),
  net: () => new Net(),
  block_with_extra: () => new Block(),
};

describe("toString() equals PyTorch's repr", () => {
  const cases = loadTorchCases('modules').filter((c) => c.op === 'repr');
  it('has a builder for every PyTorch case', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(builders).sort());
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    expect(builders[name]!().toString()).toBe(c.args.repr);
  });
});
