// The exports of convlab's WebAssembly kernels (built by scripts/build-wasm.mjs).
export { gemmChunk, gemmChunks, gemmScratchBytes, packAChunks, packAChunk, packBChunks, packedBFloats, packBChunk, gemmPackedChunk, gemmPackedScratchBytes } from './gemm';
export { rowDotsChunks, rowDotsChunk } from './matrix-vector';
export {
  packConvWeights, packConvWeightsTransposed,
  conv2dForwardChunks, conv2dForwardScratch, conv2dForwardChunk,
  conv2dForwardPacksColumns, im2colColumnsChunks, conv2dColumnsFloats, im2colColumnsChunk,
  paddedHeight, paddedWidth, padImagesChunks, padImagesChunk,
  conv2dForwardDirectChunks, conv2dForwardDirectScratch, conv2dForwardDirectChunk,
  conv2dBackwardInputChunks, conv2dBackwardInputScratch, conv2dBackwardInputChunk,
  conv2dWeightPartialFloats, conv2dBackwardWeightScratch, conv2dBackwardWeightChunk,
  conv2dWeightDirectScratch, conv2dWeightDirectChunk,
  sumPartials,
} from './conv2d';
export {
  winogradPaddedHeight, winogradPaddedWidth, packWinogradWeightsChunks, packWinogradWeightsChunk,
  winogradForwardChunks, winogradForwardScratch, winogradForwardChunk,
} from './winograd';
export { interleaveChunk, winogradWeightPartialFloats, winogradWeightScratch, winogradWeightChunk, winogradWeightOutput } from './winograd-weight-gradient';
export {
  packConvWeightsTaps, conv2dForwardTapsChunks, conv2dForwardTapsScratch, conv2dForwardTapsChunk,
  conv2dWeightTapsScratch, conv2dWeightTapsChunk,
} from './conv2d-taps';
export { turnConvWeightsChunks, turnConvWeightsChunk } from './turned-weights';
export {
  batchGemmChunks, channelMajorChunk, batchInnerChunk, batchOuterChunk, im2colBatchChunk, col2imBatchChunk, rowSums, biasRows, batchOutputChunk,
} from './conv2d-batch-gemm';
export {
  packWinograd4WeightsChunks, packWinograd4WeightsChunk,
  winograd4ForwardChunks, winograd4ForwardScratch, winograd4ForwardChunk,
} from './winograd4';
export {
  winograd4InputsFloats, winograd4InputsChunks, winograd4InputsChunk, winograd4FreshChunks, winograd4FreshScratch, winograd4FreshChunk,
} from './winograd4-fresh-weights';
export {
  winograd4WeightGradientsFloats, winograd4WeightInputsFloats, winograd4WeightTransformChunk,
  winograd4WeightScratch, winograd4WeightChunks, winograd4WeightChunk,
} from './winograd4-weight-gradient';
export { reluChunks, reluForwardChunk, reluBackwardChunk, addReluForwardChunk } from './relu';
export { maxPool2dChunks, maxPool2dForwardChunk, maxPool2dBackwardChunk } from './max-pool2d';
export { channelMomentsChunk, batchNorm2dForwardChunk, batchNorm2dBackwardChunk } from './batch-norm2d';
export { sgdChunks, sgdMomentumChunk } from './sgd';
export { adamChunks, adamChunk } from './adam';
