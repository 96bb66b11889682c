import { describe, expect, it } from 'vitest';
import { add, getNumThreads, relu, setBackend, setNumThreads, Tensor, zoo, manualSeed, type Module } from '../../src/index.js';
import { getBackend } from '../../src/kernels/backend.js';
import { addRelu } from '../../src/ops/add-relu.js';

describe('addRelu', () => {
  it('gives relu(add(a, b)) bit for bit, NaN and −0 kept, and the same gradients', () => {
    const av = [1.5, -2, 0.1, Number.NaN, -0, 3e-39, 1e30, -1e-8];
    const bv = [0.25, 1, -0.1, 1, -0, -1e-39, 1e30, 1e-8];
    const make = (): [Tensor, Tensor] => [Tensor.from(av, [2, 4], true), Tensor.from(bv, [2, 4], true)];
    const [a1, b1] = make();
    const [a2, b2] = make();
    const fused = addRelu(a1, b1);
    const separate = relu(add(a2, b2));
    expect(Array.from(fused.data).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(separate.data).map((v) => Object.is(v, -0) ? '-0' : v));
    const g = Tensor.from([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
    fused.mul(g).sum().backward();
    separate.mul(g).sum().backward();
    expect(Array.from(a1.grad!.data)).toEqual(Array.from(a2.grad!.data));
    expect(Array.from(b1.grad!.data)).toEqual(Array.from(b2.grad!.data));
    expect(Array.from(a1.grad!.data)).toEqual([1, 0, 0, 4, 0, 6, 7, 0]);
  });

  it('refuses tensors of different shapes, naming them', () => {
    expect(() => addRelu(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]), 'layer1.0.add')).toThrow('layer1.0.add: expected two tensors of the same shape, got [2,3] and [3,2]');
  });

  it('ends ResNet blocks in training: the same loss gradients bit for bit as the unfused add and ReLU', () => {
    const grads = (hooked: boolean): number[][] => {
      manualSeed(9);
      const block = new zoo.BasicBlock(4, 4, 1, null);
      const handles = hooked ? block.namedModules().map(([, m]: [string, Module]) => m.registerForwardHook(() => undefined)) : [];
      const x = new Tensor(Float32Array.from({ length: 2 * 4 * 5 * 5 }, (_, i) => Math.sin(i * 0.3)), [2, 4, 5, 5], true);
      block.call(x).sum().backward();
      handles.forEach((h) => h.remove());
      return [x.grad!, ...block.parameters().map((p) => p.grad!)].map((t) => Array.from(t.data));
    };
    expect(grads(false)).toEqual(grads(true));
  });

  it.runIf(getBackend() === 'wasm')('is the TypeScript loop bit for bit on the WebAssembly kernels, across chunks and threads', () => {
    // Two chunks of 2¹⁶ and a tail of 3, with NaN, ±0 and subnormal sums sprinkled in.
    const n = (1 << 17) + 3;
    const special = [Number.NaN, -0, 0, 3e-39, -3e-39];
    const av = Float32Array.from({ length: n }, (_, i) => (i % 97 === 0 ? special[(i / 97) % 5]! : Math.sin(i * 0.31)));
    const bv = Float32Array.from({ length: n }, (_, i) => (i % 89 === 0 ? special[(i / 89) % 5]! : Math.cos(i * 0.17)));
    const g = Float32Array.from({ length: n }, (_, i) => i % 13 - 6);
    const run = (): Uint32Array[] => {
      const [a, b] = [new Tensor(av.slice(), [n], true), new Tensor(bv.slice(), [n], true)];
      const y = addRelu(a, b);
      y.backward(new Tensor(g, [n]));
      return [y.readValues(), a.grad!.readValues(), b.grad!.readValues()].map((v) => new Uint32Array(v.buffer, v.byteOffset, v.length));
    };
    const threads = getNumThreads();
    try {
      setBackend('ts');
      const reference = run();
      setBackend('wasm');
      for (const t of [1, 2]) {
        setNumThreads(t);
        const got = run();
        got.forEach((v, k) => {
          const differs = v.findIndex((bits, i) => bits !== reference[k]![i] && !(Number.isNaN(av[i]! + bv[i]!) && k === 0));
          expect(differs, `${['y', 'a.grad', 'b.grad'][k]} on ${t} threads`).toBe(-1);
        });
      }
    } finally {
      setBackend('wasm');
      setNumThreads(threads);
    }
  });
});
