import { afterAll, describe, expect, it } from 'vitest';
import { Conv2d, conv2d, getNumThreads, linear, loadStateDict, Linear, noGrad, setBackend, setNumThreads, SGD, Tensor, traceKernels } from '../../src/index.js';
import { wasmKernels } from '../../src/kernels/backend.js';
import { gemm as gemmReference } from '../../src/kernels/gemm.js';
import { gemm } from '../../src/kernels/dispatch.js';
import { VALUES_FORM, WeightCache } from '../../src/kernels/wasm/weight-cache.js';

// Weights kept in WebAssembly memory between calls: the runtime's persistent blocks, the cache
// keyed by Tensor.version, and the ops that use it (conv2d, conv2dBlock, linear).

setBackend('wasm');
const defaultThreads = getNumThreads();
afterAll(() => setNumThreads(defaultThreads));
const kernels = wasmKernels()!;
const { runtime } = kernels;

const reals = (length: number, seed: number): Float32Array => Float32Array.from({ length }, (_, i) => Math.sin(i * 0.377 + seed * 1.1));
/** Integers in [−5, 5]: products and sums exact in float32 whatever the order. */
const ints = (length: number, seed: number): Float32Array => Float32Array.from({ length }, (_, i) => ((i * 7 + seed * 13 + ((i * i) % 5)) % 11) - 5);

describe('WasmRuntime persistent blocks', () => {
  it('survive reset, leave holes that are reused first fit, and give the arena back its bytes', () => {
    runtime.reset();
    const before = runtime.keptBytes;
    const a = runtime.keep(100);
    const b = runtime.keep(64);
    expect(b - a).toBe(128);
    expect(runtime.keptBytes - before).toBe(192);
    runtime.write(a, Float32Array.of(1, 2, 3));
    runtime.reset();
    expect(runtime.alloc(4)).toBe(b + 64);
    runtime.reset();
    const back = new Float32Array(3);
    runtime.read(a, back);
    expect(Array.from(back)).toEqual([1, 2, 3]);
    runtime.release(a);
    expect(runtime.keep(64)).toBe(a);
    runtime.release(a);
    runtime.release(b);
    expect(runtime.keptBytes).toBe(before);
    expect(runtime.alloc(4)).toBe(a);
    expect(() => runtime.keep(4)).toThrow('WasmRuntime.keep: the arena is in use; keep blocks right after reset()');
    runtime.reset();
    expect(() => runtime.release(a)).toThrow(`WasmRuntime.release: no persistent block at ${a}`);
  });
});

describe('WeightCache', () => {
  it('fills an entry once per version and form, and drops the least recently used past its limit', () => {
    const cache = new WeightCache(runtime, 3 * 64);
    const v1 = new Float32Array(4);
    const v2 = new Float32Array(4);
    const fills: string[] = [];
    const get = (values: Float32Array, version: number, form: string): number => {
      runtime.reset();
      return cache.lookup(values, version, form, 64, () => fills.push(`${values === v1 ? 'v1' : 'v2'} ${version} ${form}`));
    };
    const first = get(v1, 1, 'a');
    expect(get(v1, 1, 'a')).toBe(first);
    get(v1, 1, 'b');
    get(v1, 2, 'a');
    get(v2, 1, 'a');
    expect(cache.bytes).toBe(3 * 64);
    get(v1, 2, 'a');
    get(v2, 2, 'a');
    expect(get(v1, 1, 'b')).toBeGreaterThan(0);
    get(v2, 1, 'b');
    expect(fills).toEqual(['v1 1 a', 'v1 1 b', 'v1 2 a', 'v2 1 a', 'v2 2 a', 'v2 1 b']);
    expect(cache.bytes).toBe(3 * 64);
    get(v1, 2, 'a');
    expect(fills.at(-1)).toBe('v1 2 a');
    expect(cache.bytes).toBe(3 * 64);
    runtime.reset();
    expect(cache.lookup(v1, 3, 'big', 4 * 64, () => fills.push('big'))).toBe(-1);
    cache.clear();
    expect(cache.bytes).toBe(0);
  });

  it('serves a mirrored copy of the values while its owner\'s version stays, and none after a change or a drop', () => {
    const cache = new WeightCache(runtime, 2 * 64);
    const values = Float32Array.of(1, 2, 3);
    const owner = { version: 7 };
    expect(cache.mirrored(values)).toBe(-1);
    runtime.reset();
    const at = cache.lookup(values, 5, VALUES_FORM, 64, (a) => runtime.write(a, values));
    expect(cache.mirrored(values)).toBe(-1);
    cache.mirror(values, owner);
    expect(cache.mirrored(values)).toBe(at);
    runtime.reset();
    expect(cache.lookup(values, 7, VALUES_FORM, 64, () => {
      throw new Error('a current copy is not filled again');
    })).toBe(at);
    owner.version = 8;
    expect(cache.mirrored(values)).toBe(-1);
    owner.version = 7;
    runtime.reset();
    cache.lookup(new Float32Array(4), 1, 'a', 64, () => {});
    runtime.reset();
    cache.lookup(new Float32Array(4), 1, 'b', 64, () => {});
    expect(cache.mirrored(values)).toBe(-1);
    cache.clear();
  });
});

describe('ops with weights kept between calls', () => {
  it('conv2d reuses the packed weights while the version stays and repacks after every kind of change', () => {
    for (const [kernel, size] of [[3, 10], [1, 10], [3, 5]] as const) {
      const w = new Tensor(reals(48 * 32 * kernel * kernel, 2), [48, 32, kernel, kernel], true);
      const input = new Tensor(reals(2 * 32 * size * size, 3), [2, 32, size, size]);
      const run = (): Float32Array => noGrad(() => conv2d(input, w, null, { padding: kernel >> 1 })).data;
      const copy = (): Float32Array => noGrad(() => conv2d(input, new Tensor(w.readValues().slice(), w.shape), null, { padding: kernel >> 1 })).data;
      const version = w.version;
      const y1 = run();
      expect(w.version).toBe(version);
      expect(Array.from(run())).toEqual(Array.from(y1));
      expect(Array.from(copy())).toEqual(Array.from(y1));
      w.data[0] = 7;
      const y2 = run();
      expect(Array.from(y2)).not.toEqual(Array.from(y1));
      expect(Array.from(y2)).toEqual(Array.from(copy()));
      const kept = w.data;
      kept[1] = -3;
      w.markModified();
      expect(Array.from(run())).toEqual(Array.from(copy()));
    }
  });

  it('sees writes through an array handed out earlier, without markModified (finite differences by hand)', () => {
    const layer = new Linear(40, 3);
    const input = new Tensor(reals(40, 5), [1, 40]);
    const w = layer.weight.data; // handed out once, then written in a loop, as a notebook's finite differences do
    const out = (): number[] => Array.from(noGrad(() => layer.call(input)).data);
    const expected = (): number[] => Array.from(noGrad(() => linear(input, new Tensor(w.slice(), [3, 40]), layer.bias)).data);
    const base = out();
    expect(base).toEqual(expected());
    w[0]! += 0.5;
    const nudged = out();
    expect(nudged).not.toEqual(base);
    expect(nudged).toEqual(expected());
    w[0]! -= 0.5;
    expect(out()).toEqual(base);
    const v = layer.weight.version;
    expect(layer.weight.version).not.toBe(v); // a handed-out array may change at any time: a new stamp at every look
    const kernel = new Tensor(reals(8 * 8 * 9, 6), [8, 8, 3, 3]);
    const image = new Tensor(reals(8 * 8 * 8, 7), [1, 8, 8, 8]);
    const kept = kernel.data;
    const convOut = (): number[] => Array.from(noGrad(() => conv2d(image, kernel, null, { padding: 1 })).data);
    const first = convOut();
    kept[4] = 10;
    const second = convOut();
    expect(second).not.toEqual(first);
    expect(second).toEqual(Array.from(noGrad(() => conv2d(image, new Tensor(kept.slice(), kernel.shape), null, { padding: 1 })).data));
  });

  it('keeps a weight never handed out across calls: its version moves only with convlab\'s own writers', () => {
    const layer = new Linear(40, 3);
    const v0 = layer.weight.version;
    expect(layer.weight.version).toBe(v0);
    noGrad(() => layer.call(new Tensor(reals(40, 8), [1, 40])));
    expect(layer.weight.version).toBe(v0);
    layer.call(new Tensor(reals(40, 8), [1, 40])).sum().backward();
    new SGD(layer.parameters(), { lr: 0.1 }).step();
    const v1 = layer.weight.version;
    expect(v1).toBeGreaterThan(v0);
    expect(layer.weight.version).toBe(v1);
  });

  it('sees optimizer steps and loadStateDict', () => {
    const layer = new Linear(40, 3);
    const input = new Tensor(reals(40, 4), [1, 40]);
    const out = (): number[] => Array.from(noGrad(() => layer.call(input)).data);
    const before = out();
    const loss = layer.call(input).sum();
    loss.backward();
    new SGD(layer.parameters(), { lr: 0.5 }).step();
    const stepped = out();
    expect(stepped).not.toEqual(before);
    expect(stepped).toEqual(Array.from(noGrad(() => linear(input, new Tensor(layer.weight.data.slice(), [3, 40]), layer.bias)).data));
    loadStateDict(layer, new Map([['weight', Tensor.zeros([3, 40])], ['bias', Tensor.full([3], 2)]]));
    expect(out()).toEqual([2, 2, 2]);
  });

  it('linear at batch 1–3 (dot products) matches the reference exactly on integers and is the same on 1 and 2 threads', () => {
    for (const [m, n, k] of [[1, 70, 1000], [3, 33, 17], [2, 4096, 600]] as const) {
      const a = ints(m * k, 1);
      const b = ints(n * k, 2);
      const expected = new Float32Array(m * n);
      gemmReference({ m, n, k, a, b, transB: true, c: expected });
      const outs = [1, 2].map((threads) => {
        setNumThreads(threads);
        const c = new Float32Array(m * n);
        gemm({ m, n, k, a, b, transB: true, c, bVersion: 1 + n });
        return Array.from(c);
      });
      expect(outs[0]).toEqual(Array.from(expected));
      expect(outs[1]).toEqual(outs[0]);
    }
  });

  it('linear at batch 1 agrees with the reference to rounding on real values', () => {
    const w = new Tensor(reals(300 * 2000, 5), [300, 2000]);
    const input = new Tensor(reals(2000, 6), [1, 2000]);
    const y = noGrad(() => linear(input, w)).data;
    const expected = new Float32Array(300);
    gemmReference({ m: 1, n: 300, k: 2000, a: input.data, b: w.data, transB: true, c: expected });
    const scale = expected.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
    expect(y.reduce((s, v, i) => Math.max(s, Math.abs(v - expected[i]!)), 0) / scale).toBeLessThan(1e-5);
  });

  it('keeps the Winograd-transformed weights of an inference conv, and transforms them again after an optimizer step and a .data write', () => {
    const layer = new Conv2d(32, 40, 3, { padding: 1 });
    const input = new Tensor(reals(32 * 7 * 7, 9), [1, 32, 7, 7]);
    const infer = (): { y: number[]; paths: (string | undefined)[] } => {
      const { result, calls } = traceKernels(() => noGrad(() => layer.call(input)));
      return { y: Array.from(result.data), paths: calls.map((c) => c.path) };
    };
    const copy = (): number[] => Array.from(noGrad(() => conv2d(input, new Tensor(layer.weight.readValues().slice(), layer.weight.shape), layer.bias, { padding: 1 })).data);
    const held = kernels.weights.bytes;
    const first = infer();
    // F(2×2) on the 7×7 map pays only with the transformed weights kept: 16 floats per pair of channels.
    expect(first.paths).toEqual(['winograd']);
    expect(kernels.weights.bytes - held).toBe(16 * 40 * 32 * 4);
    expect(infer()).toEqual(first);
    expect(kernels.weights.bytes - held).toBe(16 * 40 * 32 * 4);
    expect(copy()).toEqual(first.y);
    // Training: the weights get a gradient, so they are not kept and the transform is not assumed paid.
    const { result: trained, calls } = traceKernels(() => layer.call(input));
    expect(calls.map((c) => c.path)).toEqual(['direct']);
    trained.sum().backward();
    new SGD(layer.parameters(), { lr: 0.1 }).step();
    const stepped = infer();
    expect(stepped.paths).toEqual(['winograd']);
    expect(stepped.y).not.toEqual(first.y);
    expect(stepped.y).toEqual(copy());
    layer.weight.data[5]! += 1;
    const written = infer();
    expect(written.y).not.toEqual(stepped.y);
    expect(written.y).toEqual(copy());
  });
});
