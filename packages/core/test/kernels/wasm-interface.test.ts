import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the build scripts, without type declarations
import { generateInterfaceSource } from '../../scripts/wasm-interface.mjs';
import { chunkKernels, CONV_SHAPE_FIELDS, POOL_SHAPE_FIELDS } from '../../src/kernels/wasm/interface.js';
import { WasmRuntime } from '../../src/kernels/wasm/runtime.js';

describe('the WebAssembly interface', () => {
  it('is generated from the AssemblyScript sources and up to date', () => {
    const committed = readFileSync(join(__dirname, '../../src/kernels/wasm/interface.ts'), 'utf8');
    expect((generateInterfaceSource as () => string)()).toBe(committed);
  });

  it('lists the chunked kernels and the shape records field by field', () => {
    expect(chunkKernels).toEqual([
      'gemmChunk', 'packAChunk', 'packBChunk', 'gemmPackedChunk', 'rowDotsChunk', 'conv2dForwardChunk', 'im2colColumnsChunk', 'padImagesChunk',
      'conv2dForwardDirectChunk', 'conv2dBackwardInputChunk', 'conv2dBackwardWeightChunk',
      'conv2dWeightDirectChunk', 'packWinogradWeightsChunk', 'winogradForwardChunk', 'interleaveChunk', 'winogradWeightChunk',
      'conv2dForwardTapsChunk', 'conv2dWeightTapsChunk', 'turnConvWeightsChunk',
      'channelMajorChunk', 'batchInnerChunk', 'batchOuterChunk', 'im2colBatchChunk', 'col2imBatchChunk', 'batchOutputChunk',
      'packWinograd4WeightsChunk', 'winograd4ForwardChunk',
      'winograd4InputsChunk', 'winograd4FreshChunk', 'winograd4WeightTransformChunk', 'winograd4WeightChunk',
      'reluForwardChunk', 'reluBackwardChunk', 'addReluForwardChunk', 'maxPool2dForwardChunk', 'maxPool2dBackwardChunk',
      'channelMomentsChunk', 'batchNorm2dForwardChunk', 'batchNorm2dBackwardChunk', 'sgdMomentumChunk', 'adamChunk',
    ]);
    expect(CONV_SHAPE_FIELDS).toHaveLength(16);
    expect(POOL_SHAPE_FIELDS).toEqual(['batch', 'channels', 'inH', 'inW', 'outH', 'outW', 'kH', 'kW', 'strideH', 'strideW', 'padH', 'padW', 'dilationH', 'dilationW']);
    const runtime = WasmRuntime.create();
    if (runtime === null) return;
    for (const name of chunkKernels) expect(typeof runtime.exports[name], name).toBe('function');
  });

  it('writes a record in field order, by name', () => {
    const runtime = WasmRuntime.create();
    if (runtime === null) return;
    const at = runtime.writeRecord(['b', 'a'] as const, { a: 1, b: 2 });
    const back = new Int32Array(2);
    runtime.readInts(at, back);
    expect(Array.from(back)).toEqual([2, 1]);
  });
});
