// `nn`: the layers, containers and parameters where PyTorch keeps them (`torch.nn`), e.g.
// `new nn.Conv2d(1, 6, 5)`. The same classes are exported flat as well.
export { Module } from '../nn/module.js';
export { Parameter } from '../nn/parameter.js';
export { Sequential } from '../nn/sequential.js';
export { Identity } from '../nn/identity.js';
export { Conv2d } from '../nn/conv2d.js';
export { Linear } from '../nn/linear.js';
export { MaxPool2d, MaxUnpool2d, AvgPool2d, AdaptiveAvgPool2d, GlobalAvgPool2d } from '../nn/pooling.js';
export { ConvTranspose2d } from '../nn/conv-transpose2d.js';
export { Upsample } from '../nn/upsample.js';
export { LayerNorm } from '../nn/layer-norm.js';
export { ReLU, Sigmoid, Tanh, LeakyReLU, GELU, Softmax, LogSoftmax } from '../nn/activation.js';
export { Flatten } from '../nn/flatten.js';
export { Dropout, Dropout2d } from '../nn/dropout.js';
export { BatchNorm2d, BatchNorm1d } from '../nn/batch-norm2d.js';
export * as functional from './functional.js';
