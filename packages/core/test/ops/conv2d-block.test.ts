import { describe, expect, it } from 'vitest';
import { ConvlabError, Tensor, conv2d, maxPool2d, noGrad, relu, type ConvPadding, type IntPair } from '../../src/index.js';
import { conv2dBlock } from '../../src/ops/conv2d-block.js';
import { loadTorchCases, relativeMaxError } from '../helpers/fixtures.js';

const wave = (shape: number[], phase: number, scale = 1): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return Tensor.from(Array.from({ length: n }, (_, i) => Math.sin(i * 0.77 + phase) * scale), shape);
};

/** True when a and b hold the same shape and the same float32 bit patterns. */
const sameBits = (a: Tensor, b: Tensor): boolean =>
  a.shape.join() === b.shape.join() && Buffer.compare(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength), Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength)) === 0;

describe('conv2dBlock on the PyTorch conv fixtures', () => {
  const cases = loadTorchCases('conv_pool_conv2d');
  it.each(cases.map((c) => [c.name, c] as const))('%s: relu(conv) and maxPool(relu(conv)) as PyTorch, bit for bit as the separate ops', (_, c) => {
    const options = {
      stride: c.args.stride as IntPair,
      padding: c.args.padding as ConvPadding,
      dilation: c.args.dilation as IntPair,
      groups: c.args.groups as number,
    };
    const { x, weight } = c.tensors;
    const bias = c.tensors.bias ?? null;
    const expected = relu(c.tensors.out!);
    noGrad(() => {
      const fused = conv2dBlock(x!, weight!, bias, options, { relu: true, maxPool: null });
      expect(relativeMaxError(fused, expected)).toBeLessThanOrEqual(1e-4);
      expect(sameBits(fused, relu(conv2d(x!, weight!, bias, options)))).toBe(true);
      const [, , h, w] = expected.shape;
      if (h! >= 2 && w! >= 2) {
        const pool = { kernelSize: 2 };
        const pooled = conv2dBlock(x!, weight!, bias, options, { relu: true, maxPool: pool });
        expect(relativeMaxError(pooled, maxPool2d(expected, pool))).toBeLessThanOrEqual(1e-4);
        expect(sameBits(pooled, maxPool2d(relu(conv2d(x!, weight!, bias, options)), pool))).toBe(true);
      }
    });
  });
});

describe('conv2dBlock', () => {
  it('equals conv2d → relu → maxPool2d bit for bit on LeNet-sized batches split across threads', () => {
    const x = wave([64, 6, 14, 14], 0);
    const w = wave([16, 6, 5, 5], 1, 0.2);
    const b = wave([16], 2);
    const pool = { kernelSize: 2 };
    const fused = conv2dBlock(x, w, b, {}, { relu: true, maxPool: pool });
    expect(fused.shape).toEqual([64, 16, 5, 5]);
    expect(sameBits(fused, maxPool2d(relu(conv2d(x, w, b)), pool))).toBe(true);
    // Strided and padded (the im2col path), pooled 3×3 stride 2 with padding and ceil mode.
    const options = { stride: 2, padding: 1 };
    const pool3 = { kernelSize: 3, stride: 2, padding: 1, ceilMode: true };
    const strided = conv2dBlock(x, w, null, options, { relu: true, maxPool: pool3 });
    expect(strided.shape).toEqual([64, 16, 4, 4]);
    expect(sameBits(strided, maxPool2d(relu(conv2d(x, w, null, options)), pool3))).toBe(true);
  });

  it('pools without a ReLU (Caffe LeNet: conv → max pool)', () => {
    const x = wave([8, 1, 28, 28], 0);
    const w = wave([20, 1, 5, 5], 3, 0.3);
    const b = Tensor.full([20], -3);
    const fused = conv2dBlock(x, w, b, {}, { relu: false, maxPool: { kernelSize: 2 } });
    expect(fused.shape).toEqual([8, 20, 12, 12]);
    expect(sameBits(fused, maxPool2d(conv2d(x, w, b), { kernelSize: 2 }))).toBe(true);
    expect(fused.data.some((v) => v < 0)).toBe(true);
  });

  it('refuses to pool where a gradient would be recorded, and is free to under noGrad', () => {
    const x = wave([1, 1, 6, 6], 0);
    const w = new Tensor(wave([2, 1, 3, 3], 1).data, [2, 1, 3, 3], true);
    const pooled = { relu: true, maxPool: { kernelSize: 2 } };
    expect(() => conv2dBlock(x, w, null, {}, pooled)).toThrow(
      'conv2d: a conv2dBlock with pooling records no gradients: call it inside noGrad(), or pool with maxPool2d when training',
    );
    const y = noGrad(() => conv2dBlock(x, w, null, {}, pooled));
    expect(y.requiresGrad).toBe(false);
    expect(y.shape).toEqual([1, 2, 2, 2]);
    expect(conv2dBlock(x, w, null, {}, { relu: true, maxPool: null }).requiresGrad).toBe(true);
  });

  it('gives the gradients of relu(conv2d(…)) bit for bit without pooling, on the PyTorch conv fixtures', () => {
    const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
    for (const c of loadTorchCases('conv_pool_conv2d')) {
      const options = { stride: c.args.stride as IntPair, padding: c.args.padding as ConvPadding, dilation: c.args.dilation as IntPair, groups: c.args.groups as number };
      const grads = (fused: boolean): Tensor[] => {
        const x = leaf(c.tensors.x!);
        const w = leaf(c.tensors.weight!);
        const b = c.tensors.bias === undefined ? null : leaf(c.tensors.bias);
        const y = fused ? conv2dBlock(x, w, b, options, { relu: true, maxPool: null }) : relu(conv2d(x, w, b, options));
        y.backward(c.tensors.grad_out!);
        return [y, x.grad!, w.grad!, ...(b === null ? [] : [b.grad!])];
      };
      const [fusedGrads, separate] = [grads(true), grads(false)];
      expect(fusedGrads.map((t, i) => sameBits(t, separate[i]!)), c.name).toEqual(separate.map(() => true));
      expect(fusedGrads[1]!.data.some((v) => v !== 0), c.name).toBe(fusedGrads[0]!.data.some((v) => v > 0));
    }
  });

  it('reports bad shapes naming the layer that has them', () => {
    const x = wave([2, 3, 6, 6], 0);
    const w = wave([4, 3, 3, 3], 1);
    const names = { conv: 'Conv2d(3→4, kernelSize 3)', pool: 'MaxPool2d(kernelSize 5)' };
    expect(() => conv2dBlock(x, w, wave([3], 0), {}, { relu: true, maxPool: null }, names)).toThrow(
      'Conv2d(3→4, kernelSize 3): expected a bias of shape [4], got [3]',
    );
    let error: unknown;
    try {
      conv2dBlock(x, w, null, {}, { relu: true, maxPool: { kernelSize: 5 } }, names);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConvlabError);
    expect((error as Error).message).toBe('MaxPool2d(kernelSize 5): kernel 5×5 is larger than the padded input 4×4 (input shape [2,4,4,4])');
  });
});
