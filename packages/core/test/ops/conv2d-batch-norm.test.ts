import { afterAll, describe, expect, it } from 'vitest';
import {
  AdaptiveAvgPool2d, BatchNorm2d, Conv2d, crossEntropy, explainPlan, Flatten, getNumThreads, Linear, loadStateDict, MaxPool2d, type Module, ReLU, SGD,
  Sequential, setNumThreads, Tensor, traceKernels, zoo,
} from '../../src/index.js';
import { gradientBufferStats } from '../../src/gradient-buffers.js';
import { getBackend, wasmKernels } from '../../src/kernels/backend.js';
import { heldNormalizedBytes } from '../../src/kernels/wasm/conv2d-batch-norm.js';
import { loadTorchCases, relativeMaxError, type TorchCase } from '../helpers/fixtures.js';

// Conv2d → BatchNorm2d (→ ReLU (→ MaxPool2d)) runs as one op (conv2dBatchNorm) wherever a plan meets it, in
// training too: the same losses, gradients, weights and running statistics as PyTorch within the
// fixtures' tolerance, and bit for bit those of the layers run one by one, on one thread or two.

const defaultThreads = getNumThreads();
afterAll(() => setNumThreads(defaultThreads));
const threadCounts = getBackend() === 'wasm' ? [1, 2] : [1];

/** The fixture's models, built like PyTorch's (torch_cases/conv_bn_train.py). */
const models: Record<string, () => Module> = {
  sequential: () => new Sequential(
    new Conv2d(3, 4, 3, { padding: 1 }), new BatchNorm2d(4), new ReLU(),
    new Conv2d(4, 6, 3, { stride: 2, padding: 1, bias: false }), new BatchNorm2d(6, { momentum: 0.3 }),
    new Conv2d(6, 5, 1), new BatchNorm2d(5, { affine: false }), new ReLU(),
    new Flatten(), new Linear(5 * 4 * 4, 3),
  ),
  pooled: () => new Sequential(
    new Conv2d(3, 4, 3, { padding: 1 }), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
    new Conv2d(4, 6, 3, { padding: 1, bias: false }), new BatchNorm2d(6), new ReLU(), new MaxPool2d(3, { stride: 2, padding: 1 }),
    new Flatten(), new Linear(6 * 2 * 2, 3),
  ),
  residual: () => new Sequential(
    new Conv2d(3, 4, 3, { padding: 1, bias: false }), new BatchNorm2d(4), new ReLU(),
    new Sequential(
      new zoo.BasicBlock(4, 4, 1, null),
      new zoo.BasicBlock(4, 6, 2, new Sequential(new Conv2d(4, 6, 1, { stride: 2, bias: false }), new BatchNorm2d(6))),
    ),
    new AdaptiveAvgPool2d(1), new Flatten(), new Linear(6, 3),
  ),
};

/** What a training run gives: per step the loss, the gradients and the state after; then an eval output. */
interface Run {
  readonly losses: number[];
  readonly tensors: Map<string, Float32Array>;
  readonly evalOutput: Tensor;
  /** conv2dBatchNormForward calls in the first step. */
  readonly fusedCalls: number;
}

/** Trains the case's model from its initial state; `separate` hooks every layer so that nothing fuses. */
function train(c: TorchCase, separate: boolean): Run {
  const model = models[c.name]!();
  const state = new Map<string, Tensor>();
  for (const [name, t] of model.namedBuffers()) if (name.endsWith('num_batches_tracked')) state.set(name, t.clone());
  for (const [key, t] of Object.entries(c.tensors)) if (key.startsWith('initial:')) state.set(key.slice('initial:'.length), t);
  loadStateDict(model, state);
  if (separate) for (const [, m] of model.namedModules()) m.registerForwardHook(() => undefined);
  const x = c.tensors.input!;
  const labels = Int32Array.from(c.tensors.labels!.data);
  const optimizer = new SGD(model.parameters(), { lr: c.args.lr as number, momentum: c.args.momentum as number });
  const losses: number[] = [];
  const tensors = new Map<string, Float32Array>();
  let fusedCalls = 0;
  for (let step = 0; step < (c.args.steps as number); step++) {
    optimizer.zeroGrad();
    const { result: loss, calls } = traceKernels(() => crossEntropy(model.call(x), labels));
    if (step === 0) fusedCalls = calls.filter((k) => k.kernel === 'conv2dBatchNormForward').length;
    loss.backward();
    losses.push(loss.item());
    for (const [name, p] of model.namedParameters()) tensors.set(`grad${step}:${name}`, p.grad!.data.slice());
    optimizer.step();
    for (const [name, t] of [...model.namedParameters(), ...model.namedBuffers()]) {
      if (!name.endsWith('num_batches_tracked')) tensors.set(`after${step}:${name}`, t.data.slice());
    }
  }
  model.eval();
  return { losses, tensors, evalOutput: model.call(x), fusedCalls };
}

describe('Conv2d → BatchNorm2d (→ ReLU (→ MaxPool2d)) fused in training', () => {
  const cases = loadTorchCases('conv_bn_train');
  it('has the sequential, the residual and the pooled case', () => expect(cases.map((c) => c.name)).toEqual(['sequential', 'residual', 'pooled']));

  for (const threads of threadCounts) {
    it.each(cases.map((c) => [c.name, c] as const))(`${threads} thread(s): %s trains as PyTorch does`, (_, c) => {
      setNumThreads(threads);
      const run = train(c, false);
      // sequential: conv+bn+relu, conv+bn, conv+bn+relu; residual: the stem, two per block, the
      // downsample; pooled: two conv+bn+relu+maxPool.
      expect(run.fusedCalls).toBe({ sequential: 3, residual: 6, pooled: 2 }[c.name]);
      run.losses.forEach((loss, step) => expect(Math.abs(loss - c.tensors[`loss${step}`]!.data[0]!), `loss ${step}`).toBeLessThan(1e-5));
      for (const [key, values] of run.tensors) {
        const expected = c.tensors[key]!;
        expect(relativeMaxError(new Tensor(values, expected.shape), expected), key).toBeLessThan(1e-4);
      }
      expect(run.tensors.size).toBe(Object.keys(c.tensors).filter((k) => k.startsWith('grad') || k.startsWith('after')).length);
      expect(relativeMaxError(run.evalOutput, c.tensors.eval_output!)).toBeLessThan(1e-4);
    });
  }

  it.each(cases.map((c) => [c.name, c] as const))('%s: bit for bit the layers run one by one, and the same on one thread or two', (_, c) => {
    const runs = threadCounts.map((threads) => {
      setNumThreads(threads);
      return { fused: train(c, false), separate: train(c, true) };
    });
    const bits = (run: Run): unknown[] => [run.losses, [...run.tensors], Array.from(run.evalOutput.data)];
    expect(runs[0]!.separate.fusedCalls).toBe(0);
    for (const { fused, separate } of runs) expect(bits(fused)).toEqual(bits(separate));
    for (const { fused } of runs.slice(1)) expect(bits(fused)).toEqual(bits(runs[0]!.fused));
  });

  it.runIf(getBackend() === 'wasm')('is bit for bit the layers one by one on two threads where the work is shared', () => {
    const x = Tensor.from(Array.from({ length: 16 * 16 * 64 * 64 }, (_, i) => Math.sin(i * 0.37)), [16, 16, 64, 64]);
    const labels = Int32Array.from({ length: 16 }, (_, i) => i % 4);
    const step = (threads: number, separate: boolean): { bits: unknown[]; threads: number[] } => {
      setNumThreads(threads);
      const model = new Sequential(new Conv2d(16, 16, 3, { padding: 1 }), new BatchNorm2d(16), new ReLU(), new AdaptiveAvgPool2d(2), new Flatten(), new Linear(64, 4));
      for (const p of model.parameters()) p.data.forEach((_, i, a) => (a[i] = Math.cos(i * 0.71 + a.length) * 0.2));
      if (separate) for (const [, m] of model.namedModules()) m.registerForwardHook(() => undefined);
      const { result: loss, calls: forward } = traceKernels(() => crossEntropy(model.call(x), labels));
      const { calls: backward } = traceKernels(() => loss.backward());
      const calls = [...forward, ...backward];
      const kernels = new Set(['conv2dBatchNormForward', 'batchNormForward', 'batchNorm2dBackward', 'conv2dBatchNormBackward']);
      const bits = [loss.item(), ...model.parameters().map((p) => Array.from(p.grad!.data)), ...model.namedBuffers().map(([, b]) => Array.from(b.data))];
      return { bits, threads: calls.filter((k) => kernels.has(k.kernel)).map((k) => k.threads) };
    };
    const one = step(1, false);
    const two = step(2, false);
    expect(two.threads).toEqual([2, 2]);
    expect(two.bits).toEqual(one.bits);
    expect(step(2, true).bits).toEqual(one.bits);
  });

  it.runIf(getBackend() === 'wasm')('computes a first layer\'s x̂ again in the backward, bit for bit the layers one by one on one thread or two', () => {
    // CIFAR's first layer at a smaller batch: 27 taps per output, so x̂ is not kept.
    const x = Tensor.from(Array.from({ length: 16 * 3 * 32 * 32 }, (_, i) => Math.sin(i * 0.37)), [16, 3, 32, 32]);
    const labels = Int32Array.from({ length: 16 }, (_, i) => i % 4);
    const step = (threads: number, separate: boolean, pool: boolean): { bits: unknown[]; paths: string[] } => {
      setNumThreads(threads);
      const model = new Sequential(
        new Conv2d(3, 16, 3, { padding: 1 }), new BatchNorm2d(16), new ReLU(), ...(pool ? [new MaxPool2d(2)] : []),
        new AdaptiveAvgPool2d(2), new Flatten(), new Linear(64, 4),
      );
      for (const p of model.parameters()) p.data.forEach((_, i, a) => (a[i] = Math.cos(i * 0.71 + a.length) * 0.2));
      if (separate) for (const [, m] of model.namedModules()) m.registerForwardHook(() => undefined);
      const { result: loss, calls: forward } = traceKernels(() => crossEntropy(model.call(x), labels));
      const { calls: backward } = traceKernels(() => loss.backward());
      const bits = [loss.item(), ...model.parameters().map((p) => Array.from(p.grad!.data)), ...model.namedBuffers().map(([, b]) => Array.from(b.data))];
      return { bits, paths: [...forward, ...backward].filter((k) => k.kernel.startsWith('conv2d')).map((k) => `${k.kernel} ${k.path} ×${k.threads}`) };
    };
    for (const pool of [false, true]) {
      const one = step(1, false, pool);
      const two = step(2, false, pool);
      expect(two.paths).toEqual(['conv2dBatchNormForward direct, x̂ held ×2', 'conv2dBatchNormBackward weight direct, x̂ held ×2']);
      expect(two.bits).toEqual(one.bits);
      expect(step(2, true, pool).bits).toEqual(one.bits);
    }
  });

  it.runIf(getBackend() === 'wasm')('computes a first layer\'s x̂ again for a second backward of the same graph, and holds no memory after backwards', () => {
    const x = Tensor.from(Array.from({ length: 4 * 3 * 16 * 16 }, (_, i) => Math.sin(i * 0.37)), [4, 3, 16, 16]);
    const labels = Int32Array.from([0, 1, 2, 3]);
    const kept = (): number => heldNormalizedBytes(wasmKernels()!);
    const run = (separate: boolean): { grads: number[][]; paths: string[]; keptAfter: number[] } => {
      setNumThreads(1);
      const model = new Sequential(new Conv2d(3, 8, 3, { padding: 1 }), new BatchNorm2d(8), new ReLU(), new Flatten(), new Linear(8 * 16 * 16, 4));
      for (const p of model.parameters()) p.data.forEach((_, i, a) => (a[i] = Math.cos(i * 0.71 + a.length) * 0.2));
      if (separate) for (const [, m] of model.namedModules()) m.registerForwardHook(() => undefined);
      const before = kept();
      const loss = crossEntropy(model.call(x), labels);
      const keptAfter = [kept() - before];
      const paths: string[] = [];
      for (let i = 0; i < 2; i++) {
        const { calls } = traceKernels(() => loss.backward());
        paths.push(...calls.filter((k) => k.kernel.startsWith('conv2d')).map((k) => k.path!));
        keptAfter.push(kept() - before);
      }
      return { grads: model.parameters().map((p) => Array.from(p.grad!.data)), paths, keptAfter };
    };
    const fused = run(false);
    expect(fused.paths).toEqual(['weight direct, x̂ held', 'weight direct, x̂ recomputed']);
    // x̂ and the ReLU's output, 4·8·16·16 floats each, held from the forward to the first backward.
    expect(fused.keptAfter).toEqual([2 * 4 * 8 * 16 * 16 * 4, 0, 0]);
    expect(fused.grads).toEqual(run(true).grads);
  });

  it.runIf(getBackend() === 'wasm')('reads x̂ out into an array once 128 MiB are held by forwards whose backward has not run', () => {
    setNumThreads(1);
    const x = Tensor.from(Array.from({ length: 16 * 3 * 64 * 64 }, (_, i) => Math.sin(i * 0.37)), [16, 3, 64, 64]);
    const labels = Int32Array.from({ length: 16 }, (_, i) => i % 4);
    const model = (separate: boolean): Module => {
      const m = new Sequential(new Conv2d(3, 64, 3, { padding: 1 }), new BatchNorm2d(64), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(64, 4));
      for (const p of m.parameters()) p.data.forEach((_, i, a) => (a[i] = Math.cos(i * 0.71 + a.length) * 0.2));
      if (separate) for (const [, layer] of m.namedModules()) layer.registerForwardHook(() => undefined);
      return m;
    };
    // Each forward holds x̂ and the ReLU's output: 2 · 16·64·64·64 floats, 32 MiB; the fifth finds no
    // room (nor do earlier ones when graphs of other tests, not yet collected, hold some).
    const block = 2 * 16 * 64 * 64 * 64 * 4;
    const before = heldNormalizedBytes(wasmKernels()!);
    const fused = [0, 1, 2, 3, 4].map(() => model(false));
    const losses = fused.map((m) => crossEntropy(m.call(x), labels));
    expect(heldNormalizedBytes(wasmKernels()!)).toBe(before + Math.floor((128 * 2 ** 20 - before) / block) * block);
    const { calls } = traceKernels(() => losses[4]!.backward());
    expect(calls.filter((k) => k.kernel === 'conv2dBatchNormBackward').map((k) => k.path)).toEqual(['weight direct']);
    for (const loss of losses.slice(0, 4)) loss.backward();
    expect(heldNormalizedBytes(wasmKernels()!)).toBe(before);
    const separate = model(true);
    crossEntropy(separate.call(x), labels).backward();
    for (const m of fused) expect(m.parameters().map((p) => Array.from(p.grad!.data))).toEqual(separate.parameters().map((p) => Array.from(p.grad!.data)));
  });

  it('steady fused training takes every gradient buffer from the pool (scratch and batch norm\'s input gradient recycled)', () => {
    // First layers (no input gradient), so that only the fused op's own buffers are counted.
    const x = Tensor.from(Array.from({ length: 6 * 3 * 8 * 8 }, (_, i) => Math.sin(i)), [6, 3, 8, 8]);
    const labels = Int32Array.from([0, 1, 2, 0, 1, 2]);
    for (const pool of [true, false]) {
      const model = new Sequential(
        new Conv2d(3, 4, 3, { padding: 1 }), new BatchNorm2d(4), new ReLU(), ...(pool ? [new MaxPool2d(2)] : []), new Flatten(), new Linear(pool ? 64 : 256, 3),
      );
      const optimizer = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
      const step = (): void => {
        optimizer.zeroGrad({ setToNone: false });
        crossEntropy(model.call(x), labels).backward();
        optimizer.step();
      };
      step();
      step();
      const before = gradientBufferStats().created;
      step();
      step();
      expect(gradientBufferStats().created).toBe(before);
    }
  });

  it('names the batch norm layer when its channels do not match the conv', () => {
    const seq = new Sequential(new Conv2d(3, 4, 3), new BatchNorm2d(5), new ReLU());
    expect(() => seq.call(Tensor.zeros([2, 3, 6, 6]))).toThrow('BatchNorm2d(5): expected input with 5 channels, got 4 (input shape [2,4,4,4])');
  });

  it('is in the plan of ResNet-18\'s stem (its blocks: plan.test.ts)', () => {
    expect(explainPlan(zoo.resnet18()).split('\n')[1]).toBe(
      '  conv1 Conv2d + bn1 BatchNorm2d + relu ReLU + maxpool MaxPool2d: fused conv2d+batchNorm2d+relu+maxPool2d',
    );
  });
});
