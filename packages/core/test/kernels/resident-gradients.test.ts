import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BatchNorm2d, Conv2d, conv2d, crossEntropy, loadStateDict, noGrad, stateDict, Flatten, getNumThreads, Linear, manualSeed, type Module, ReLU, Sequential, setNumThreads, SGD, Tensor,
} from '../../src/index.js';
import { getBackend, wasmKernels } from '../../src/kernels/backend.js';
import { RESIDENT_GRADIENT_BYTES } from '../../src/kernels/wasm/resident-gradients.js';
import { RESIDENT_PARAMETER_MIN, residentParameters } from '../../src/kernels/wasm/resident-parameters.js';
import { firstDifference, wave } from '../helpers/bits.js';

// The weight gradients of convolutions stay in WebAssembly memory (ResidentGradients): the conv's
// backward writes them there, `.grad` holds a view of them and SGD's kernel reads them in place.
// Large parameters keep their values there too (residentParameterValues). Everything must come out
// bit for bit as with them turned off (read out into plain arrays and copied back in), on one
// thread or two, and a `.grad` read by the user must keep its values.

const wasm = getBackend() === 'wasm';
const defaultThreads = getNumThreads();
afterAll(() => {
  setNumThreads(defaultThreads);
  if (wasm) wasmKernels()!.gradients.limit = RESIDENT_GRADIENT_BYTES;
  residentParameters.min = RESIDENT_PARAMETER_MIN;
});

/**
 * A net whose convolutions take each weight-gradient path: the 7×7 stride-2 stem (taps), 3×3
 * stride 1 on 8×8 (winograd) with batch norm fused, 3×3 stride 2 (im2col), 3×3 on 4×4 positions
 * with 64 channels (batch-gemm), a plain conv without batch norm and one with 5 channels (edges).
 */
function net(): { model: Module; convs: Conv2d[] } {
  manualSeed(5);
  const convs = [
    new Conv2d(3, 16, 7, { stride: 2, padding: 3 }), new Conv2d(16, 16, 3, { padding: 1 }), new Conv2d(16, 64, 3, { stride: 2, padding: 1 }),
    new Conv2d(64, 64, 3, { padding: 1 }), new Conv2d(64, 5, 3, { padding: 1, bias: true }),
  ];
  const model = new Sequential(
    convs[0]!, new BatchNorm2d(16), new ReLU(), convs[1]!, new BatchNorm2d(16), new ReLU(), convs[2]!, new BatchNorm2d(64), new ReLU(),
    convs[3]!, new BatchNorm2d(64), new ReLU(), convs[4]!, new ReLU(), new Flatten(), new Linear(5 * 4 * 4, 10),
  );
  return { model, convs };
}

/**
 * `steps` SGD steps of {@link net} on a fixed batch with resident gradients and parameters on or
 * off; the weights after each step, and how many parameters had a resident gradient and values.
 */
function train(resident: boolean, threads: number, steps: number): { weights: Float32Array[][]; residentGrads: number; residentValues: number } {
  setNumThreads(threads);
  const kernels = wasmKernels()!;
  kernels.gradients.limit = resident ? RESIDENT_GRADIENT_BYTES : 0;
  residentParameters.min = resident ? RESIDENT_PARAMETER_MIN : Infinity;
  const { model } = net();
  const residentValues = model.parameters().filter((p) => kernels.runtime.addressOf(p.readValues()) >= 0).length;
  const optimizer = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const x = new Tensor(wave(4 * 3 * 16 * 16, 1, 1), [4, 3, 16, 16]);
  const weights: Float32Array[][] = [];
  let residentGrads = 0;
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    crossEntropy(model.call(x), [1, 3, 5, 7]).backward();
    residentGrads = model.parameters().filter((p) => kernels.runtime.addressOf(p.peekGrad()!.readValues()) >= 0).length;
    optimizer.step();
    weights.push(model.parameters().map((p) => p.readValues().slice()));
  }
  return { weights, residentGrads, residentValues };
}

describe.runIf(wasm)('resident weight gradients and parameters', () => {
  it('training comes out bit for bit as with gradients read out into plain arrays, on 1 and 2 threads', () => {
    const reference = train(false, 1, 4);
    expect([reference.residentGrads, reference.residentValues]).toEqual([0, 0]);
    for (const threads of [1, 2]) {
      const got = train(true, threads, 4);
      // The weights of the 5 convolutions (not their bias, nor batch norm's or the Linear's
      // parameters); of those, the 64→64 conv's 36,864 values are ≥ 2¹⁴ (the others are smaller).
      expect(got.residentGrads).toBe(5);
      expect(got.residentValues).toBe(1);
      got.weights.forEach((ws, step) => ws.forEach((w, k) => expect(firstDifference(w, reference.weights[step]![k]!), `step ${step}, parameter ${k}, ${threads} threads`).toBe(-1)));
    }
  });

  it('a .grad read keeps its values through zeroGrad and later steps; one not read is reused', () => {
    setNumThreads(2);
    wasmKernels()!.gradients.limit = RESIDENT_GRADIENT_BYTES;
    const { model, convs } = net();
    const conv = convs[3]!;
    const optimizer = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const x = new Tensor(wave(4 * 3 * 16 * 16, 2, 1), [4, 3, 16, 16]);
    const step = (): void => {
      optimizer.zeroGrad();
      crossEntropy(model.call(x), [0, 2, 4, 6]).backward();
      optimizer.step();
    };
    step();
    const unread = conv.weight.peekGrad()!.readValues();
    step();
    // Not read through .grad: the next step's gradient is written into the same array.
    expect(conv.weight.peekGrad()!.readValues()).toBe(unread);
    const held = conv.weight.grad!;
    const values = held.data.slice();
    for (let i = 0; i < 3; i++) step();
    expect(firstDifference(held.data, values)).toBe(-1);
    expect(conv.weight.peekGrad()!.readValues()).not.toBe(held.data);
    expect(firstDifference(conv.weight.grad!.data, values)).not.toBe(-1);
  });

  it('zeroGrad({ setToNone: false }) zeroes a resident .grad in place and the next backward adds into it', () => {
    setNumThreads(1);
    wasmKernels()!.gradients.limit = RESIDENT_GRADIENT_BYTES;
    const { model, convs } = net();
    const conv = convs[0]!;
    const x = new Tensor(wave(4 * 3 * 16 * 16, 3, 1), [4, 3, 16, 16]);
    const backward = (): void => crossEntropy(model.call(x), [1, 1, 2, 2]).backward();
    backward();
    const once = conv.weight.grad!;
    const first = once.data.slice();
    expect(wasmKernels()!.runtime.addressOf(once.data)).toBeGreaterThanOrEqual(0);
    model.zeroGrad({ setToNone: false });
    expect(once.data.every((v) => v === 0)).toBe(true);
    backward();
    backward();
    expect(conv.weight.grad).toBe(once);
    expect(firstDifference(once.data, first.map((v) => Math.fround(v + v)))).toBe(-1);
  });

  it('a resident parameter is read where it lies: writes through .data and loadStateDict are seen by the next forward', () => {
    setNumThreads(2);
    residentParameters.min = RESIDENT_PARAMETER_MIN;
    const conv = new Conv2d(64, 64, 3, { padding: 1 });
    expect(wasmKernels()!.runtime.addressOf(conv.weight.readValues())).toBeGreaterThanOrEqual(0);
    const x = new Tensor(wave(2 * 64 * 6 * 6, 4, 1), [2, 64, 6, 6]);
    const fresh = (): Float32Array => conv2dOf(x, conv.weight.readValues().slice(), conv.bias!.readValues().slice());
    conv.call(x);
    conv.weight.data[7] = 2.5;
    expect(firstDifference(conv.call(x).readValues(), fresh())).toBe(-1);
    const state = stateDict(conv);
    const saved = Float32Array.from(state.get('weight')!.readValues(), (v) => -v);
    expect(state.get('weight')!.readValues().buffer).toBeInstanceOf(ArrayBuffer);
    state.set('weight', new Tensor(saved, conv.weight.shape));
    loadStateDict(conv, state);
    expect(firstDifference(conv.weight.readValues(), saved)).toBe(-1);
    expect(firstDifference(conv.call(x).readValues(), fresh())).toBe(-1);
  });

  it('Linear layers and inference convs read resident weights in place: the same bits as plain arrays, and writes are seen', () => {
    setNumThreads(2);
    const x = new Tensor(wave(6 * 256, 5, 1), [6, 256]);
    const images = new Tensor(wave(2 * 64 * 6 * 6, 6, 1), [2, 64, 6, 6]);
    const run = (resident: boolean): Float32Array[] => {
      residentParameters.min = resident ? RESIDENT_PARAMETER_MIN : Infinity;
      manualSeed(9);
      const fc = new Linear(256, 128);
      const conv = new Conv2d(64, 64, 3, { padding: 1 });
      expect(wasmKernels()!.runtime.addressOf(fc.weight.readValues()) >= 0).toBe(resident);
      const outputs: Float32Array[] = [];
      for (let i = 0; i < 2; i++) {
        fc.zeroGrad();
        const y = fc.call(x);
        y.mul(y).sum().backward();
        outputs.push(y.readValues().slice(), fc.weight.peekGrad()!.readValues().slice());
        outputs.push(noGrad(() => conv.call(images)).readValues().slice());
        fc.weight.data[3] = i + 0.5;
        conv.weight.data[11] = -i - 0.25;
      }
      return outputs;
    };
    const plain = run(false);
    run(true).forEach((values, k) => expect(firstDifference(values, plain[k]!), `output ${k}`).toBe(-1));
  });
});

// Threads of a fresh process (Linux's /proc/self/task), after building a layer with a resident
// weight and after its first forward: the resident values need the runtime's memory only, so that
// building a model starts no worker threads; the first kernel call does.
describe.runIf(wasm && existsSync('/proc/self/task'))('a resident parameter in a fresh process', () => {
  it('is made without starting worker threads; the first forward starts them', () => {
    const index = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const script = `import(${JSON.stringify(index)}).then((c) => {
      const threads = () => require('node:fs').readdirSync('/proc/self/task').length;
      const before = threads();
      const fc = new c.Linear(256, 128);
      const built = threads();
      fc.call(new c.Tensor(new Float32Array(4 * 256), [4, 256]));
      process.stdout.write(JSON.stringify([before, built, threads(), fc.weight.data.buffer instanceof SharedArrayBuffer]));
    })`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, CONVLAB_THREADS: '2', CONVLAB_BACKEND: 'wasm' } });
    const [before, built, called, resident] = JSON.parse(run.stdout) as [number, number, number, boolean];
    expect(resident).toBe(true);
    expect(built).toBe(before);
    if (availableParallelism() >= 2) expect(called).toBe(before + 1);
  });
});

/** conv2d of x with a fresh (plain-array) copy of the weights and bias, 3×3 padding 1. */
function conv2dOf(x: Tensor, weight: Float32Array, bias: Float32Array): Float32Array {
  return conv2d(x, new Tensor(weight, [64, 64, 3, 3]), new Tensor(bias, [64]), { padding: 1 }).readValues();
}
