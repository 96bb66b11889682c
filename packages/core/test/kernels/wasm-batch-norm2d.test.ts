import { afterAll, describe, expect, it } from 'vitest';
import { getNumThreads, setBackend, setNumThreads } from '../../src/index.js';
import * as reference from '../../src/kernels/batch-norm2d.js';
import { batchNorm2dBackward, batchNorm2dForward, channelMoments } from '../../src/kernels/dispatch.js';

// The WebAssembly batch norm does the reference's float64 arithmetic in the same order, channel by
// channel: equal bit for bit, on one thread or two, on real-valued data.

const reals = (length: number, seed: number): Float32Array => Float32Array.from({ length }, (_, i) => Math.sin(i * 0.377 + seed * 1.1) * (1 + seed));

/** True when every array of `a` holds exactly the bits of the same-named array of `b` (fast on millions of values). */
function sameBits(a: Record<string, Float32Array | Float64Array>, b: Record<string, Float32Array | Float64Array>): boolean {
  const bytes = (v: Float32Array | Float64Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return Object.keys(b).every((key) => a[key] !== undefined && a[key].length === b[key]!.length && bytes(a[key]).equals(bytes(b[key]!)));
}

setBackend('wasm');
const defaultThreads = getNumThreads();
afterAll(() => setNumThreads(defaultThreads));

describe('wasm batch norm', () => {
  // Small, odd-sized, and large enough (32×16×2048 = 2²⁰ values) to be shared between threads.
  const shapes = [[2, 3, 5], [1, 1, 7], [4, 6, 9], [32, 16, 2048]] as const;
  for (const threads of [1, 2]) {
    it.each(shapes.map((s) => [...s]))(`${threads} thread(s): n %i c %i hw %i gives the reference's bits`, (n, c, hw) => {
      setNumThreads(threads);
      const x = reals(n * c * hw, 1);
      const gamma = reals(c, 2);
      const beta = reals(c, 3);
      const [mean, variance, meanRef, varianceRef] = [0, 1, 2, 3].map(() => new Float64Array(c)) as [Float64Array, Float64Array, Float64Array, Float64Array];
      channelMoments(x, n, c, hw, mean, variance);
      reference.channelMoments(x, n, c, hw, meanRef, varianceRef);
      expect(sameBits({ mean, variance }, { mean: meanRef, variance: varianceRef })).toBe(true);
      const invStd = variance.map((s) => 1 / Math.sqrt(s + 1e-5));
      for (const [g, b] of [[gamma, beta], [null, null]] as const) {
        const forward = batchNorm2dForward(x, n, c, hw, mean, invStd, g, b);
        expect(sameBits(forward, reference.batchNorm2dForward(x, n, c, hw, mean, invStd, g, b))).toBe(true);
        const dy = reals(x.length, 4);
        for (const training of [true, false]) {
          const grads = batchNorm2dBackward(dy, forward.xHat, n, c, hw, invStd, g, training);
          expect(sameBits(grads, reference.batchNorm2dBackward(dy, forward.xHat, n, c, hw, invStd, g, training))).toBe(true);
        }
      }
    });
  }
});
