import { afterEach, describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d, add, AvgPool2d, avgPool2d, BatchNorm2d, cat, Conv2d, conv2d, ConvlabError, crossEntropy, decodeSafetensors, Dropout,
  encodeSafetensors, Flatten, flatten, Generator, LeakyReLU, leakyRelu, Linear, linear, logSoftmax, MaxPool2d, maxPool2d, mse, parseIdx,
  relu, sigmoid, softmax, Tensor, type Module, type Pool2dOptions,
} from '../src/index.js';

/**
 * Seeded, bounded fuzzing of the public API: random shapes and options into ops and layers, random
 * and mutated bytes into the IDX and safetensors readers. Every call must give a result or throw a
 * ConvlabError: never another exception, a hang or a crash.
 */
const SEED = 16;
const CASES = 400;

/** What went wrong, one entry per op or reader and kind of exception (the test expects none). */
const failures = new Map<string, string>();

/** Runs `call`; records anything thrown that is not a ConvlabError in {@link failures}. */
function resultOrConvlabError(label: string, call: () => unknown): 'ok' | 'refused' | 'failed' {
  try {
    call();
    return 'ok';
  } catch (error) {
    if (error instanceof ConvlabError) return 'refused';
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const key = `${label.split(' ')[0]} ${error instanceof Error ? error.name : typeof error}`;
    if (!failures.has(key)) failures.set(key, `${label}: threw ${what}`);
    return 'failed';
  }
}

class Random {
  private readonly g: Generator;
  constructor(seed: number) { this.g = new Generator(seed); }
  int(lo: number, hi: number): number { return lo + this.g.int(hi - lo + 1); }
  pick<T>(items: readonly T[]): T { return items[this.g.int(items.length)]!; }
  chance(p: number): boolean { return this.g.uniform() < p; }
  /** A dimension: usually small, sometimes 0, negative, fractional, NaN or huge. */
  dim(): number { return this.chance(0.9) ? this.int(1, 6) : this.pick([0, -1, 1.5, Number.NaN, 2 ** 31, Infinity]); }
  shape(rank = this.int(0, 5)): number[] { return Array.from({ length: rank }, () => this.dim()); }
  /** An option value: usually sensible, sometimes hostile. */
  value(): unknown { return this.chance(0.7) ? this.int(0, 4) : this.pick([-1, 0.5, Number.NaN, Infinity, 2 ** 40, '2', null, [1], [1, 2, 3], [0, 1], {}, true]); }
  tensor(shape: number[] = this.shape()): Tensor {
    const valid = shape.every((d) => Number.isInteger(d) && d >= 0) && shape.reduce((a, b) => a * b, 1) <= 4096;
    if (!valid) return Tensor.meta([1]);
    const t = Tensor.zeros(shape);
    for (let i = 0; i < t.size; i++) t.data[i] = this.chance(0.05) ? this.pick([Number.NaN, Infinity, -Infinity]) : this.g.normal();
    return t;
  }
}

type Fuzzed = (r: Random) => unknown;

const OPS: readonly [string, Fuzzed][] = [
  ['relu', (r) => relu(r.tensor())],
  ['sigmoid', (r) => sigmoid(r.tensor())],
  ['leakyRelu', (r) => leakyRelu(r.tensor(), r.value() as number)],
  ['softmax', (r) => softmax(r.tensor(), r.value() as number)],
  ['logSoftmax', (r) => logSoftmax(r.tensor(), r.value() as number)],
  ['flatten', (r) => flatten(r.tensor(), r.value() as number, r.value() as number)],
  ['add', (r) => add(r.tensor(), r.tensor())],
  ['cat', (r) => cat([r.tensor(), r.tensor()], r.value() as number)],
  ['linear', (r) => linear(r.tensor(r.shape(2)), r.tensor(r.shape(2)), r.chance(0.5) ? null : r.tensor(r.shape(1)))],
  [
    'conv2d',
    (r) => conv2d(r.tensor(r.shape(4)), r.tensor(r.shape(4)), r.chance(0.5) ? null : r.tensor(r.shape(1)), { stride: r.value(), padding: r.value(), dilation: r.value(), groups: r.value() } as never),
  ],
  ['maxPool2d', (r) => maxPool2d(r.tensor(r.shape(4)), { kernelSize: r.value(), stride: r.value(), padding: r.value(), ceilMode: r.chance(0.5) } as Pool2dOptions)],
  ['avgPool2d', (r) => avgPool2d(r.tensor(r.shape(4)), { kernelSize: r.value(), stride: r.value(), padding: r.value() } as never)],
  ['adaptiveAvgPool2d', (r) => adaptiveAvgPool2d(r.tensor(r.shape(4)), r.value() as number)],
  ['crossEntropy', (r) => crossEntropy(r.tensor(r.shape(2)), Int32Array.from({ length: r.int(0, 4) }, () => r.int(-1, 5)))],
  ['mse', (r) => mse(r.tensor(), r.tensor())],
];

const LAYERS: readonly [string, (r: Random) => Module][] = [
  ['Conv2d', (r) => new Conv2d(r.value() as number, r.value() as number, r.value() as number, { stride: r.value(), padding: r.value() } as never)],
  ['Linear', (r) => new Linear(r.value() as number, r.value() as number)],
  ['MaxPool2d', (r) => new MaxPool2d(r.value() as number, { stride: r.value() } as never)],
  ['AvgPool2d', (r) => new AvgPool2d(r.value() as number)],
  ['BatchNorm2d', (r) => new BatchNorm2d(r.value() as number)],
  ['Dropout', (r) => new Dropout(r.value() as number)],
  ['LeakyReLU', (r) => new LeakyReLU(r.value() as number)],
  ['Flatten', (r) => new Flatten(r.value() as number, r.value() as number)],
];

describe('fuzzing the public API (seeded, bounded)', () => {
  afterEach(() => {
    const found = [...failures.values()];
    failures.clear();
    expect(found).toEqual([]);
  });

  it(`${CASES} random calls of every op give a tensor or a ConvlabError`, () => {
    const r = new Random(SEED);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      for (const [name, call] of OPS) {
        const outcome = resultOrConvlabError(`${name} (case ${i})`, () => call(r));
        outcomes.set(`${name} ${outcome}`, (outcomes.get(`${name} ${outcome}`) ?? 0) + 1);
      }
    }
    // Every op both succeeds and refuses at least once: the inputs reach past the checks.
    for (const [name] of OPS) expect([outcomes.get(`${name} ok`) ?? 0, outcomes.get(`${name} refused`) ?? 0].every((n) => n > 0), name).toBe(true);
  });

  it(`${CASES} random layers, forward on random inputs, give a tensor or a ConvlabError`, () => {
    const r = new Random(SEED + 1);
    for (let i = 0; i < CASES; i++) {
      for (const [name, build] of LAYERS) {
        resultOrConvlabError(`${name} (case ${i})`, () => {
          const layer = build(r);
          if (r.chance(0.5)) layer.eval();
          return layer.call(r.tensor(r.shape(r.int(1, 4))));
        });
      }
    }
  });

  it('random and mutated bytes into the IDX reader give arrays or ConvlabErrors', () => {
    const r = new Random(SEED + 2);
    const valid = Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    for (let i = 0; i < 2 * CASES; i++) {
      const bytes = r.chance(0.5) ? Uint8Array.from({ length: r.int(0, 40) }, () => r.int(0, 255)) : mutate(r, valid);
      resultOrConvlabError(`parseIdx (case ${i})`, () => parseIdx(bytes, 'fuzz.idx'));
    }
  });

  it('random and mutated bytes into the safetensors reader give tensors or ConvlabErrors', () => {
    const r = new Random(SEED + 3);
    const valid = encodeSafetensors([['w', Tensor.from([1, 2, 3, 4], [2, 2])], ['b', Tensor.from([5])]], { format: 'pt' });
    const headers = ['{}', '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', '{"__metadata__":{"a":1}}', '{"w":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}',
      '{"w":{"dtype":"F32","shape":[9007199254740993],"data_offsets":[0,4]}}', '{"toString":{"dtype":"constructor","shape":[],"data_offsets":[0,0]}}', '[]', 'null', '{"w":null}'];
    for (let i = 0; i < 2 * CASES; i++) {
      let bytes: Uint8Array;
      if (r.chance(0.3)) bytes = Uint8Array.from({ length: r.int(0, 64) }, () => r.int(0, 255));
      else if (r.chance(0.5)) bytes = mutate(r, valid);
      else {
        const json = new TextEncoder().encode(r.pick(headers));
        bytes = new Uint8Array(8 + json.length + r.int(0, 20));
        new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
        bytes.set(json, 8);
      }
      resultOrConvlabError(`decodeSafetensors (case ${i})`, () => decodeSafetensors(bytes, 'fuzz.safetensors'));
    }
  });
});

/** `bytes` with a few bytes changed, cut short or extended. */
function mutate(r: Random, bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let k = r.int(1, 4); k > 0; k--) out[r.int(0, out.length - 1)] = r.pick([0, 1, 255, 0x7f, 0x80, r.int(0, 255)]);
  if (r.chance(0.2)) return out.subarray(0, r.int(0, out.length));
  if (r.chance(0.2)) return Uint8Array.from([...out, ...Array.from({ length: r.int(1, 8) }, () => r.int(0, 255))]);
  return out;
}
