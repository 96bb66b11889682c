import { afterAll, describe, expect, it } from 'vitest';
import { getNumThreads, setBackend, setNumThreads } from '../../src/index.js';
import * as reference from '../../src/kernels/batch-norm2d.js';
import { batchNorm2dBackward, batchNormForward } from '../../src/kernels/dispatch.js';

// The WebAssembly batch norm does the reference's float64 arithmetic in the same order, channel by
// channel (the element-wise passes two lanes at a time): equal bit for bit, on one thread or two,
// on real-valued data, with and without the ReLU after it.

const reals = (length: number, seed: number): Float32Array => Float32Array.from({ length }, (_, i) => Math.sin(i * 0.377 + seed * 1.1) * (1 + seed));

/** True when every array of `a` holds exactly the bits of the same-named array of `b` (fast on millions of values). */
function sameBits(a: Record<string, Float32Array | Float64Array>, b: Record<string, Float32Array | Float64Array>): boolean {
  const bytes = (v: Float32Array | Float64Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return Object.keys(b).every((key) => a[key] !== undefined && a[key].length === b[key]!.length && bytes(a[key]).equals(bytes(b[key]!)));
}

setBackend('wasm');
const defaultThreads = getNumThreads();
afterAll(() => setNumThreads(defaultThreads));

/** The arguments of a batch-norm forward over `[n, c, hw]`, output arrays fresh; in eval the statistics given. */
function forwardArgs(
  n: number, c: number, hw: number, training: boolean, gamma: Float32Array | null, beta: Float32Array | null, relu: boolean,
): reference.BatchNormForwardArgs {
  const mean = training ? new Float64Array(c) : Float64Array.from(reals(c, 5));
  const variance = training ? new Float64Array(c) : Float64Array.from(reals(c, 6), (v) => v * v);
  return {
    n, c, hw, training, eps: 1e-5, mean, variance, invStd: new Float64Array(c), gamma, beta, relu,
    xHat: new Float32Array(n * c * hw), y: new Float32Array(n * c * hw),
  };
}

describe('wasm batch norm', () => {
  // Small, odd-sized, and large enough (32×16×2048 = 2²⁰ values) to be shared between threads.
  const shapes = [[2, 3, 5], [1, 1, 7], [4, 6, 9], [32, 16, 2048]] as const;
  for (const threads of [1, 2]) {
    it.each(shapes.map((s) => [...s]))(`${threads} thread(s): n %i c %i hw %i gives the reference's bits`, (n, c, hw) => {
      setNumThreads(threads);
      const x = reals(n * c * hw, 1);
      const gamma = reals(c, 2);
      const beta = reals(c, 3);
      const dy = reals(x.length, 4);
      for (const training of [true, false]) {
        for (const [g, b] of [[gamma, beta], [null, null]] as const) {
          for (const relu of [false, true]) {
            const wasm = forwardArgs(n, c, hw, training, g, b, relu);
            const ts = forwardArgs(n, c, hw, training, g, b, relu);
            batchNormForward(x, wasm);
            reference.batchNormForward(x, ts);
            const written = ({ mean, variance, invStd, xHat, y }: reference.BatchNormForwardArgs): Record<string, Float32Array | Float64Array> =>
              ({ mean, variance, invStd, xHat, y });
            expect(sameBits(written(wasm), written(ts))).toBe(true);
            const { invStd, xHat, y } = wasm;
            if (relu) expect(y.every((v) => !(v < 0))).toBe(true);
            const reluOut = relu ? y : null;
            const grads = batchNorm2dBackward(dy, xHat, reluOut, n, c, hw, invStd, g, training);
            expect(sameBits(grads, reference.batchNorm2dBackward(dy, xHat, reluOut, n, c, hw, invStd, g, training))).toBe(true);
          }
        }
      }
    });
  }

  it('masks the gradient where the ReLU output is ≤ 0 (−0 included) and passes it where NaN, as reluBackward', () => {
    const reluOut = Float32Array.of(1, 0, -0, NaN, 2, 0.5);
    const dy = Float32Array.of(1, 2, 3, 4, 5, 6);
    const xHat = Float32Array.of(0.5, -1, -2, 0, 1, 0.25);
    const invStd = Float64Array.of(2);
    const { gx, sumG, sumGXHat } = batchNorm2dBackward(dy, xHat, reluOut, 1, 1, 6, invStd, null, false);
    expect(Array.from(gx)).toEqual([2, 0, 0, 8, 10, 12]);
    expect(Array.from(sumG)).toEqual([1 + 4 + 5 + 6]);
    expect(Array.from(sumGXHat)).toEqual([0.5 + 0 + 5 + 1.5]);
  });
});
