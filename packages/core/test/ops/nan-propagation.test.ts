import { describe, expect, it } from 'vitest';
import { DataLoader, evaluate, fit, ImageDataset, maxPool2d, noGrad, predict, relu, SGD, Tensor, zoo } from '../../src/index.js';
import { conv2dBlock } from '../../src/ops/conv2d-block.js';

// PyTorch 1.13: torch.relu([nan, -0., 1., -1.]) = [nan, -0., 1., 0.] with gradient [1, 0, 1, 0];
// max_pool2d keeps a NaN in its window and sends the window's gradient to it.
describe('NaN propagates as in PyTorch', () => {
  it('through relu, forward and backward (−0 stays −0)', () => {
    const x = Tensor.from([Number.NaN, -0, 1, -1], [4], true);
    const y = relu(x);
    expect(Array.from(y.data)).toEqual([Number.NaN, -0, 1, 0]);
    expect(Object.is(y.data[1], -0)).toBe(true);
    y.backward(Tensor.full([4], 1));
    expect(Array.from(x.grad!.data)).toEqual([1, 0, 1, 0]);
  });

  it('through max pooling, whichever tap holds the NaN', () => {
    for (const at of [0, 1, 2, 3]) {
      const values = [1, 5, 7, 2];
      values[at] = Number.NaN;
      const x = Tensor.from(values, [1, 1, 2, 2], true);
      const y = maxPool2d(x, { kernelSize: 2 });
      expect(Number.isNaN(y.data[0])).toBe(true);
      y.backward(Tensor.full([1, 1, 1, 1], 1));
      expect(Array.from(x.grad!.data)).toEqual([0, 1, 2, 3].map((i) => (i === at ? 1 : 0)));
    }
  });

  it('through the fused conv → ReLU → max-pool block, with and without pooling', () => {
    const x = Tensor.from(Array.from({ length: 2 * 36 }, (_, i) => (i === 7 ? Number.NaN : Math.sin(i))), [2, 1, 6, 6]);
    const w = Tensor.from(Array.from({ length: 4 * 9 }, (_, i) => Math.cos(i)), [4, 1, 3, 3]);
    const pooled = noGrad(() => conv2dBlock(x, w, null, {}, { relu: true, maxPool: { kernelSize: 2 } }));
    const separate = noGrad(() => maxPool2d(relu(conv2dNoFuse(x, w)), { kernelSize: 2 }));
    expect(Array.from(pooled.data)).toEqual(Array.from(separate.data));
    expect(pooled.data.filter(Number.isNaN).length).toBeGreaterThan(0);
    const unpooled = noGrad(() => conv2dBlock(x, w, null, {}, { relu: true, maxPool: null }));
    // The NaN at (row 1, col 1) of the first image reaches the 2×2 outputs whose 3×3 windows hold it, in each of 4 channels.
    expect(unpooled.data.filter(Number.isNaN).length).toBe(4 * 4);
  });

  it('to a LeNet-5 on all-NaN images: predict gives NaN, evaluate a NaN loss, fit stops', () => {
    const model = zoo.lenet5();
    const nan = Tensor.full([2, 1, 32, 32], Number.NaN);
    expect(Array.from(predict(model, nan).data).every(Number.isNaN)).toBe(true);
    const data = new ImageDataset(new Float32Array(4 * 32 * 32).fill(Number.NaN), Int32Array.from([0, 1, 2, 3]), [1, 32, 32]);
    expect(Number.isNaN(evaluate(model, new DataLoader(data, { batchSize: 2 })).loss)).toBe(true);
    for (const p of model.conv1.parameters()) p.requiresGrad = false;
    const history = fit(model, { train: new DataLoader(data, { batchSize: 2 }), optimizer: new SGD(model.parameters().filter((p) => p.requiresGrad), { lr: 0.01 }) });
    expect(history.stopped).toMatchObject({ reason: 'non-finite-loss', epoch: 1, batch: 1 });
  });
});

function conv2dNoFuse(x: Tensor, w: Tensor): Tensor {
  return conv2dBlock(x, w, null, {}, { relu: false, maxPool: null });
}
