export { ConvlabError, formatShape } from './errors.js';
export { Tensor, shapeSize, MAX_TENSOR_ELEMENTS, type Shape, type NestedArray, type NestedInput, type Nested } from './tensor.js';
export {
  tensor, zeros, ones, full, arange, linspace, eye, rand, randn, randint,
  zerosLike, onesLike, fullLike, randLike, randnLike, randintLike, type FactoryOptions,
} from './factories.js';
export { add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, where } from './ops/binary.js';
export type { Operand } from './ops/operand.js';
export { neg, exp, log, sqrt, abs, clamp } from './ops/unary.js';
export { sum, mean, max, min, argmax, argmin, variance, std, logsumexp, norm, type Dims, type ValuesIndices } from './ops/reduce.js';
export { matmul } from './ops/matmul.js';
export { permute, transpose, t, expand, squeeze, unsqueeze, narrow, select, indexSelect, gather, split, chunk } from './ops/view.js';
export { cat, stack } from './ops/cat.js';
export { noGrad, isGradEnabled } from './autograd.js';
export { setBackend, getBackend, setNumThreads, getNumThreads, type Backend } from './kernels/backend.js';
export { traceKernels, type KernelCall } from './kernels/registry.js';
export { Generator, manualSeed, defaultGenerator, MAX_SEED } from './random.js';

export { toPair, type IntPair, type Pair } from './shape/pair.js';
export { convOutputSize, effectiveKernel, conv2dGeometry, type ConvPadding, type Conv2dOptions, type Conv2dGeometry } from './shape/conv-geometry.js';
export { poolOutputSize, pool2dGeometry, type Pool2dOptions, type Pool2dGeometry } from './shape/pool-geometry.js';

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
export { gelu, type GeluApproximation } from './ops/gelu.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { dropout } from './ops/dropout.js';
export { batchNorm2d, type BatchNorm2dOptions } from './ops/batch-norm2d.js';
export { crossEntropy, type CrossEntropyOptions } from './ops/cross-entropy.js';
export { nllLoss, type NllLossOptions } from './ops/nll-loss.js';
export { mse, type RegressionLossOptions } from './ops/mse.js';
export { l1Loss, smoothL1Loss, huberLoss, type SmoothL1LossOptions, type HuberLossOptions } from './ops/l1-loss.js';
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions,
} from './ops/binary-cross-entropy.js';
export { klDiv, type KlDivOptions } from './ops/kl-div.js';
export type { Labels } from './ops/class-targets.js';
export type { Reduction } from './ops/reduction.js';
export { checkOptions, opt, describeValue, suggestName, type OptionType, type OptionTypes } from './options.js';

export { Module, type ForwardHook, type HookHandle } from './nn/module.js';
export { checkInput, inputSpecOf, type InputSpec } from './nn/input-spec.js';
export { Parameter, withoutWeights } from './nn/parameter.js';
export { Conv2d, type Conv2dLayerOptions, type PaddingMode } from './nn/conv2d.js';
export type { PadMode } from './ops/pad.js';
export {
  MaxPool2d,
  MaxUnpool2d,
  AvgPool2d,
  AdaptiveAvgPool2d,
  GlobalAvgPool2d,
  type MaxPool2dLayerOptions,
  type MaxUnpool2dLayerOptions,
  type AvgPool2dLayerOptions,
} from './nn/pooling.js';
export { Linear } from './nn/linear.js';
export { ReLU, Sigmoid, Tanh, LeakyReLU, GELU, Softmax, LogSoftmax } from './nn/activation.js';
export { Flatten } from './nn/flatten.js';
export { Dropout, Dropout2d } from './nn/dropout.js';
export { BatchNorm2d, BatchNorm1d, type BatchNorm2dLayerOptions } from './nn/batch-norm2d.js';
export { Sequential } from './nn/sequential.js';
export { explainPlan } from './nn/explain-plan.js';
export { FUSIONS, type Fusion } from './nn/plan.js';
export { FlowModule, residual, concatChannels, runFlow, type Flow, type Merge } from './nn/flow.js';
export { convTranspose2d } from './ops/conv-transpose2d.js';
export { convTranspose2dGeometry, convTransposeOutputSize, type ConvTranspose2dOptions } from './shape/conv-transpose-geometry.js';
export { interpolate, type InterpolateOptions } from './ops/interpolate.js';
export { maxPool2dWithIndices } from './ops/max-pool2d.js';
export { maxUnpool2d, type MaxUnpool2dOptions } from './ops/max-unpool2d.js';
export { batchNorm } from './ops/batch-norm2d.js';
export { layerNorm } from './ops/layer-norm.js';
export { dropout2d } from './ops/dropout2d.js';
export { ConvTranspose2d, type ConvTranspose2dLayerOptions } from './nn/conv-transpose2d.js';
export { Upsample } from './nn/upsample.js';
export { LayerNorm, type LayerNormOptions } from './nn/layer-norm.js';
export { Identity } from './nn/identity.js';
export { linearToConv } from './nn/linear-to-conv.js';
export * from './analysis/index.js';
export * as zoo from './zoo/index.js';
export * as nn from './namespaces/nn.js';
export * as F from './namespaces/functional.js';
export * as optim from './namespaces/optim.js';
export * as data from './namespaces/data.js';
export * from './optim/index.js';
export * from './data/index.js';
export * from './io/index.js';
export type { ExportReport } from './cli/export-command.js';
export type { ImportReport } from './cli/import-command.js';
export * from './train/index.js';
export * from './inspect/index.js';
