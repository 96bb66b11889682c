import { afterAll, describe, expect, it } from 'vitest';
import {
  Adam, type AdamOptions, AdamW, Conv2d, conv2d, getNumThreads, type Optimizer, Parameter, setBackend, setNumThreads, SGD, type SGDOptions, Tensor, traceKernels,
} from '../../src/index.js';
import { getBackend } from '../../src/kernels/backend.js';
import { firstDifference, wave } from '../helpers/bits.js';

// SGD's momentum steps and Adam's steps run as WebAssembly kernels on large parameters, their
// buffers kept in WebAssembly memory: the weights and buffers must be the TypeScript loops' bit for
// bit, on one thread or two, and the state must still come out (stateDict) and go in (loadStateDict).

const wasm = getBackend() === 'wasm';
const defaultThreads = getNumThreads();
afterAll(() => {
  setBackend(wasm ? 'wasm' : 'ts');
  setNumThreads(defaultThreads);
});

/** Sizes: below the kernel's threshold (2¹⁴), at it, and two chunks of 2¹⁶ plus a tail of 3. */
const sizes = [100, 1 << 14, (1 << 17) + 3];

const buffer = (dict: ReturnType<SGD['stateDict']>, k: number, name = 'momentumBuffer'): Float32Array => dict.state[k]![name] as Float32Array;

/** Fresh parameters of `sizes`, the same values every call. */
const params = (): Parameter[] => sizes.map((n, k) => new Parameter(wave(n, k, 0.5), [n]));

/** Sets each parameter's gradient for step `step` (the same values every run). */
function setGrads(ps: readonly Parameter[], step: number): void {
  ps.forEach((p, k) => {
    p.grad = new Tensor(wave(p.size, 10 * step + k + 3, 0.01), [p.size]);
  });
}

/** Runs `steps` steps of SGD with `options` (or of the optimizer `make` builds) on `backend` with `threads`; returns the weights and the state. */
function run(options: Partial<SGDOptions>, backend: 'wasm' | 'ts', threads: number, steps: number, make = (ps: Parameter[]): Optimizer => new SGD(ps, { lr: 0.01, ...options })) {
  setBackend(backend);
  if (backend === 'wasm') setNumThreads(threads);
  const ps = params();
  const optimizer = make(ps);
  for (let step = 0; step < steps; step++) {
    setGrads(ps, step);
    optimizer.step();
  }
  return { weights: ps.map((p) => p.readValues().slice()), state: optimizer.stateDict(), optimizer, ps };
}

const cases: Partial<SGDOptions>[] = [
  { momentum: 0.9 },
  { momentum: 0.9, dampening: 0.1, weightDecay: 1e-3 },
  { momentum: 0.85, nesterov: true, weightDecay: 5e-4 },
];

describe.runIf(wasm)('SGD momentum on the WebAssembly kernels', () => {
  for (const options of cases) {
    it(`${JSON.stringify(options)}: weights and momentum buffers bit for bit the TypeScript loops', on 1 and 2 threads`, () => {
      const reference = run(options, 'ts', 1, 4);
      for (const threads of [1, 2]) {
        const got = run(options, 'wasm', threads, 4);
        got.weights.forEach((w, k) => expect(firstDifference(w, reference.weights[k]!), `weights ${k}, ${threads} threads`).toBe(-1));
        for (const k of [0, 1, 2]) {
          expect(firstDifference(buffer(got.state, k), buffer(reference.state, k)), `buffer ${k}, ${threads} threads`).toBe(-1);
        }
      }
    });
  }

  it('takes the large parameters on wasm and leaves the small one to the loop', () => {
    setBackend('wasm');
    const ps = params();
    const optimizer = new SGD(ps, { lr: 0.01, momentum: 0.9 });
    setGrads(ps, 0);
    optimizer.step();
    setGrads(ps, 1);
    const { calls } = traceKernels(() => optimizer.step());
    expect(calls.filter((c) => c.kernel === 'sgdMomentumStep').map((c) => c.backend)).toEqual(['ts', 'wasm', 'wasm']);
  });

  it('gives its state out as plain copies and takes it back: training resumes exactly', () => {
    const options = { momentum: 0.9, weightDecay: 1e-3 };
    const straight = run(options, 'wasm', 2, 5);
    const first = run(options, 'wasm', 2, 3);
    const saved = first.optimizer.stateDict();
    const copy = buffer(saved, 2);
    expect(copy.buffer).toBeInstanceOf(ArrayBuffer);
    expect(copy.length).toBe(sizes[2]);
    const resumed = new SGD(first.ps, { lr: 0.01, ...options });
    resumed.loadStateDict(saved);
    for (let step = 3; step < 5; step++) {
      setGrads(first.ps, step);
      resumed.step();
    }
    first.ps.forEach((p, k) => expect(firstDifference(p.readValues(), straight.weights[k]!), `weights ${k}`).toBe(-1));
    expect(firstDifference(buffer(resumed.stateDict(), 2), buffer(straight.state, 2))).toBe(-1);
    // The saved copy did not move with the training that went on.
    expect(firstDifference(copy, buffer(first.state, 2))).toBe(-1);
  });

  it('leaves the new weights in WebAssembly memory for the convs, which see any later change of them', () => {
    setBackend('wasm');
    // 64·32·3·3 = 18432 weights: above the kernel's threshold. Each output is compared with the
    // conv of a fresh copy of the weights (copied into WebAssembly memory for the call).
    const x = new Tensor(wave(2 * 32 * 9 * 9, 7, 1), [2, 32, 9, 9]);
    const conv = new Conv2d(32, 64, 3, { padding: 1 });
    conv.weight.writeValues().set(wave(conv.weight.size, 1, 0.05));
    const optimizer = new SGD(conv.parameters(), { lr: 0.1, momentum: 0.9 });
    const check = (what: string): void => {
      const fresh = new Tensor(conv.weight.readValues().slice(), conv.weight.shape, true);
      const expected = conv2d(x, fresh, conv.bias, { padding: 1 }).readValues();
      expect(firstDifference(conv.call(x).readValues(), expected), what).toBe(-1);
    };
    for (let step = 0; step < 3; step++) {
      optimizer.zeroGrad();
      conv.call(x).sum().backward();
      const { calls } = traceKernels(() => optimizer.step());
      expect(calls.find((c) => c.kernel === 'sgdMomentumStep')?.backend).toBe(step === 0 ? undefined : 'wasm');
      check(`after step ${step}`);
    }
    conv.weight.writeValues()[6] = -2;
    check('after an internal write');
    conv.weight.data[5] = 3;
    check('after a write through .data');
  });
});

const adamCases: [string, (ps: Parameter[]) => Optimizer][] = [
  ['Adam', (ps) => new Adam(ps, { lr: 0.01 })],
  ['Adam with weightDecay 1e-2, betas [0.8, 0.99]', (ps) => new Adam(ps, { lr: 0.01, weightDecay: 1e-2, betas: [0.8, 0.99] } satisfies Partial<AdamOptions>)],
  ['AdamW', (ps) => new AdamW(ps, { lr: 0.01 })],
  ['AdamW with AMSGrad (the loop)', (ps) => new AdamW(ps, { lr: 0.01, amsgrad: true })],
];

describe.runIf(wasm)('Adam on the WebAssembly kernels', () => {
  for (const [name, make] of adamCases) {
    it(`${name}: weights and moment estimates bit for bit the TypeScript loop's, on 1 and 2 threads`, () => {
      const reference = run({}, 'ts', 1, 4, make);
      for (const threads of [1, 2]) {
        const got = run({}, 'wasm', threads, 4, make);
        got.weights.forEach((w, k) => expect(firstDifference(w, reference.weights[k]!), `weights ${k}, ${threads} threads`).toBe(-1));
        for (const k of [0, 1, 2]) {
          for (const moment of ['expAvg', 'expAvgSq']) {
            expect(firstDifference(buffer(got.state, k, moment), buffer(reference.state, k, moment)), `${moment} ${k}, ${threads} threads`).toBe(-1);
          }
        }
      }
    });
  }

  it('takes the large parameters on wasm, and resumes exactly from a state dict', () => {
    setBackend('wasm');
    const make = (ps: Parameter[]): Optimizer => new AdamW(ps, { lr: 0.01 });
    const straight = run({}, 'wasm', 2, 5, make);
    const first = run({}, 'wasm', 2, 3, make);
    const resumed = make(first.ps);
    resumed.loadStateDict(first.optimizer.stateDict());
    setGrads(first.ps, 3);
    const { calls } = traceKernels(() => resumed.step());
    expect(calls.filter((c) => c.kernel === 'adamStep').map((c) => c.backend)).toEqual(['ts', 'wasm', 'wasm']);
    setGrads(first.ps, 4);
    resumed.step();
    first.ps.forEach((p, k) => expect(firstDifference(p.readValues(), straight.weights[k]!), `weights ${k}`).toBe(-1));
  });
});
