import { describe, expect, it, vi } from 'vitest';
import '../../src/kernels/dispatch.js';
import { getBackend } from '../../src/kernels/backend.js';
import { conv2dBackward, conv2dForward, reluForward } from '../../src/kernels/dispatch.js';
import { defineKernel, kernelNames, NOT_HANDLED, traceKernels } from '../../src/kernels/registry.js';
import { conv2dGeometry } from '../../src/shape/conv-geometry.js';
import { getNumThreads } from '../../src/kernels/backend.js';

describe('the kernel registry', () => {
  it('holds every kernel the ops call, with a WebAssembly implementation where one exists', () => {
    const names = kernelNames();
    expect(names.filter((k) => k.wasm).map((k) => k.name)).toEqual([
      'gemm', 'conv2dForward', 'conv2dBlockForward', 'conv2dBackward', 'reluForward', 'reluBackward', 'addReluForward', 'optimizerBuffer', 'sgdMomentumStep', 'adamStep',
      'maxPool2dForward', 'maxPool2dBackward',
      'batchNormForward', 'batchNorm2dBackward', 'conv2dBatchNormForward', 'conv2dBatchNormBackward',
    ]);
    expect(names.filter((k) => !k.wasm).map((k) => k.name)).toEqual(expect.arrayContaining([
      'sigmoidForward', 'sigmoidBackward', 'tanhForward', 'tanhBackward', 'leakyReluForward', 'leakyReluBackward', 'multiplyForward', 'mapUnary', 'mapBinary', 'scatterSum', 'gather',
      'avgPool2dForward', 'avgPool2dBackward', 'planeMeanForward', 'planeMeanBackward',
      'softmaxForward', 'softmaxBackward', 'logSoftmaxForward', 'logSoftmaxBackward',
      'addBiasRows', 'sumBiasRows',
      'pointwiseLossForward', 'pointwiseLossBackward', 'lossSum', 'crossEntropyForward', 'crossEntropyBackward', 'nllLossForward', 'nllLossBackward',
      'catForward', 'catBackward', 'resampleForward', 'resampleBackward',
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

  it('traces the calls made inside traceKernels: kernel, backend, threads, time and, for convs, path, shape and multiply-adds', () => {
    const wasm = getBackend() === 'wasm';
    const wide = conv2dGeometry([2, 32, 16, 16], [32, 32, 3, 3], { padding: 1 }, 'wide');
    const strided = conv2dGeometry([1, 3, 9, 9], [4, 3, 1, 1], { stride: 2 }, 'strided');
    const x = new Float32Array(2 * 32 * 16 * 16).fill(1);
    const w = new Float32Array(32 * 32 * 9).fill(0.5);
    reluForward(new Float32Array(4), new Float32Array(4));
    const { result, calls } = traceKernels(() => {
      const y = new Float32Array(x.length);
      conv2dForward(x, w, null, wide, y);
      conv2dForward(new Float32Array(3 * 81), new Float32Array(12), null, strided, new Float32Array(4 * 25));
      conv2dBackward(y, x, w, wide, { input: true, weight: true, bias: false });
      const inner = traceKernels(() => reluForward(new Float32Array(4), new Float32Array(4)));
      expect(inner.calls).toEqual([{ kernel: 'reluForward', backend: wasm ? 'wasm' : 'ts', threads: 1, ms: expect.any(Number) }]);
      return y[0];
    });
    expect(result).toBe(64); // the corner output: 2×2 taps inside the image × 32 channels × 0.5
    const threads = wasm ? getNumThreads() : 1;
    const backend = wasm ? 'wasm' : 'ts';
    const ms = expect.any(Number);
    // Multiply-adds of the direct convolution: N·C_out·H_out·W_out·C_in·k², once per gradient asked for.
    const wideMacs = 2 * 32 * 16 * 16 * 32 * 9;
    expect(calls).toEqual([
      { kernel: 'conv2dForward', backend, threads, path: wasm ? 'winograd4x4' : 'im2col-gemm', shape: 'x [2,32,16,16] w [32,32,3,3] padding 1', multiplyAdds: wideMacs, ms },
      { kernel: 'conv2dForward', backend, threads: 1, path: 'im2col-gemm', shape: 'x [1,3,9,9] w [4,3,1,1] stride 2', multiplyAdds: 4 * 5 * 5 * 3, ms },
      {
        kernel: 'conv2dBackward', backend, threads, path: wasm ? 'input winograd4x4, weight winograd4x4' : 'input col2im-gemm, weight im2col-gemm',
        shape: 'x [2,32,16,16] w [32,32,3,3] padding 1', multiplyAdds: 2 * wideMacs, ms,
      },
    ]);
    for (const call of calls) expect(call.ms).toBeGreaterThan(0);
  });
});
