import { describe, expect, it, vi } from 'vitest';
import '../../src/kernels/dispatch.js';
import { getBackend } from '../../src/kernels/backend.js';
import { defineKernel, kernelNames, NOT_HANDLED } from '../../src/kernels/registry.js';

describe('the kernel registry', () => {
  it('holds every kernel the ops call, with a WebAssembly implementation where one exists', () => {
    const names = kernelNames();
    expect(names.filter((k) => k.wasm).map((k) => k.name)).toEqual([
      'gemm', 'conv2dForward', 'conv2dBlockForward', 'conv2dBackward', 'reluForward', 'reluBackward', 'maxPool2dForward', 'maxPool2dBackward',
      'channelMoments', 'batchNorm2dForward', 'batchNorm2dBackward',
    ]);
    expect(names.filter((k) => !k.wasm).map((k) => k.name)).toEqual(expect.arrayContaining([
      'sigmoidForward', 'sigmoidBackward', 'tanhForward', 'tanhBackward', 'leakyReluForward', 'leakyReluBackward', 'multiplyForward', 'mapUnary', 'mapBinary', 'scatterSum', 'gather',
      'avgPool2dForward', 'avgPool2dBackward', 'planeMeanForward', 'planeMeanBackward',
      'softmaxForward', 'softmaxBackward', 'logSoftmaxForward', 'logSoftmaxBackward',
      'addBiasRows', 'sumBiasRows',
    ]));
    expect(new Set(names.map((k) => k.name)).size).toBe(names.length);
  });

  it('runs the reference when a call has no work or the WebAssembly implementation returns NOT_HANDLED', () => {
    const reference = vi.fn((x: Float32Array) => x.length * 10);
    const declines = vi.fn(() => NOT_HANDLED);
    const double = defineKernel({ name: 'testDeclines', work: (x: Float32Array) => x.length, reference, wasm: declines });
    expect(double(new Float32Array(0))).toBe(0);
    expect(declines).not.toHaveBeenCalled();
    expect(double(new Float32Array(3))).toBe(30);
    expect(declines).toHaveBeenCalledTimes(getBackend() === 'wasm' ? 1 : 0);
    const takes = defineKernel({ name: 'testTakes', work: (x: Float32Array) => x.length, reference, wasm: (_k, x: Float32Array) => -x.length });
    expect(takes(new Float32Array(3))).toBe(getBackend() === 'wasm' ? -3 : 30);
  });
});
