// `F`: the functional ops where PyTorch keeps them (`torch.nn.functional`), e.g.
// `F.conv2d(x, weight, bias)`, `F.crossEntropy(logits, labels)`. Names are PyTorch's in camelCase.
export { conv2d } from '../ops/conv2d.js';
export { linear } from '../ops/linear.js';
export { maxPool2d, maxPool2dWithIndices } from '../ops/max-pool2d.js';
export { maxUnpool2d } from '../ops/max-unpool2d.js';
export { convTranspose2d } from '../ops/conv-transpose2d.js';
export { interpolate } from '../ops/interpolate.js';
export { layerNorm } from '../ops/layer-norm.js';
export { dropout2d } from '../ops/dropout2d.js';
export { avgPool2d } from '../ops/avg-pool2d.js';
export { adaptiveAvgPool2d } from '../ops/adaptive-avg-pool2d.js';
export { globalAvgPool2d } from '../ops/global-avg-pool2d.js';
export { relu } from '../ops/relu.js';
export { sigmoid } from '../ops/sigmoid.js';
export { tanh } from '../ops/tanh.js';
export { leakyRelu } from '../ops/leaky-relu.js';
export { gelu } from '../ops/gelu.js';
export { softmax, logSoftmax } from '../ops/softmax.js';
export { dropout } from '../ops/dropout.js';
export { batchNorm2d, batchNorm } from '../ops/batch-norm2d.js';
export { crossEntropy } from '../ops/cross-entropy.js';
export { nllLoss } from '../ops/nll-loss.js';
export { mse as mseLoss } from '../ops/mse.js';
export { pad } from '../ops/pad.js';
export { l1Loss, smoothL1Loss, huberLoss } from '../ops/l1-loss.js';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits } from '../ops/binary-cross-entropy.js';
export { klDiv } from '../ops/kl-div.js';
