export { ConvlabError, formatShape } from './errors.js';
export { Tensor, shapeSize, type Shape, type NestedArray } from './tensor.js';
export { noGrad, isGradEnabled } from './autograd.js';
export { Generator, manualSeed, defaultGenerator } from './random.js';

export { toPair, type IntPair, type Pair } from './shape/pair.js';
export { convOutputSize, effectiveKernel, conv2dGeometry, type ConvPadding, type Conv2dOptions, type Conv2dGeometry } from './shape/conv-geometry.js';
export { poolOutputSize, pool2dGeometry, type Pool2dOptions, type Pool2dGeometry } from './shape/pool-geometry.js';

export { add } from './ops/add.js';
export { conv2d } from './ops/conv2d.js';
export { maxPool2d } from './ops/max-pool2d.js';
export { avgPool2d, type AvgPool2dOptions } from './ops/avg-pool2d.js';
export { adaptiveAvgPool2d } from './ops/adaptive-avg-pool2d.js';
export { globalAvgPool2d } from './ops/global-avg-pool2d.js';
export { linear } from './ops/linear.js';
export { flatten } from './ops/flatten.js';
export { relu } from './ops/relu.js';
export { sigmoid } from './ops/sigmoid.js';
export { tanh } from './ops/tanh.js';
export { leakyRelu } from './ops/leaky-relu.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { dropout } from './ops/dropout.js';
export { batchNorm2d, type BatchNorm2dOptions } from './ops/batch-norm2d.js';
export { crossEntropy } from './ops/cross-entropy.js';
export { nllLoss } from './ops/nll-loss.js';
export { mse } from './ops/mse.js';
export type { Labels, Reduction } from './ops/labels.js';

export { Module, type ForwardHook, type HookHandle } from './nn/module.js';
export { Parameter, withoutWeights } from './nn/parameter.js';
export { Conv2d, type Conv2dLayerOptions } from './nn/conv2d.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, GlobalAvgPool2d, type MaxPool2dLayerOptions, type AvgPool2dLayerOptions } from './nn/pooling.js';
export { Linear } from './nn/linear.js';
export { ReLU, Sigmoid, Tanh, LeakyReLU, Softmax, LogSoftmax } from './nn/activation.js';
export { Flatten } from './nn/flatten.js';
export { Dropout } from './nn/dropout.js';
export { BatchNorm2d, type BatchNorm2dLayerOptions } from './nn/batch-norm2d.js';
export { Sequential } from './nn/sequential.js';
