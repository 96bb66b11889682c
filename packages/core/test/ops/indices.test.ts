import { describe, expect, it } from 'vitest';
import { argmax, argmin, crossEntropy, gather, max, maxPool2dWithIndices, min, Tensor } from '../../src/index.js';
import { gradCheck } from '../helpers/gradcheck.js';

// convlab's tensors have no dtype: indices come as float32 tensors holding exact integers
// (exact up to 2^24), and every op that takes indices reads them from such tensors.
describe('index tensors (float32 holding exact integers) go straight into the ops that take indices', () => {
  const x = Tensor.from([[3, -1, 7, 7], [0, 5, -2, 4], [2, 2, 2, -8]]);

  it('argmax, argmin and max/min indices are whole numbers, the first position on ties', () => {
    expect(argmax(x, 1).tolist()).toEqual([2, 1, 0]);
    expect(argmin(x, 0, true).tolist()).toEqual([[1, 0, 1, 2]]);
    expect(argmax(x).item()).toBe(2);
    const { values, indices } = min(x, -1, true);
    expect([values.tolist(), indices.tolist()]).toEqual([[[-1], [-2], [-8]], [[1], [2], [3]]]);
    expect(indices.data).toBeInstanceOf(Float32Array);
  });

  it('gather picks the values max reports, from its keepdim indices', () => {
    const { values, indices } = max(x, 1, true);
    expect(gather(x, 1, indices).tolist()).toEqual(values.tolist());
    expect(x.gather(0, argmin(x, 0, true)).tolist()).toEqual(min(x, 0, true).values.tolist());
  });

  it('indexSelect, select and at take them too', () => {
    const rows = argmax(x, 0);
    expect(rows.tolist()).toEqual([0, 1, 0, 0]);
    expect(x.indexSelect(0, rows).tolist()).toEqual([[3, -1, 7, 7], [0, 5, -2, 4], [3, -1, 7, 7], [3, -1, 7, 7]]);
    expect(x.flatten().indexSelect(0, argmax(x)).tolist()).toEqual([7]);
    expect(x.select(1, argmax(x, 1).at(1)).tolist()).toEqual([-1, 5, 2]);
    const [r, c] = [Math.floor(argmin(x).item() / 4), argmin(x).item() % 4];
    expect(x.at(r, c)).toBe(-8);
    const predicted = argmax(x, 1);
    expect(crossEntropy(x, predicted).item()).toBe(crossEntropy(x, [2, 1, 0]).item());
  });

  it("max pooling's indices are flat positions in each input plane, as PyTorch's", () => {
    const image = Tensor.from([[[[1, 9, 2, 3], [4, 5, 8, 6], [0, 7, 1, 1], [2, 3, 4, 10]]]]);
    const [pooled, indices] = maxPool2dWithIndices(image, { kernelSize: 2 });
    expect(indices.tolist()).toEqual([[[[1, 6], [9, 15]]]]);
    expect(gather(image.flatten(2), 2, indices.flatten(2)).reshape([1, 1, 2, 2]).tolist()).toEqual(pooled.tolist());
  });

  it('gather: gradient into the picked positions, and errors that name the argument', () => {
    const index = Tensor.from([[0, 0], [2, 1], [1, 2]]);
    expect(gradCheck(([a]) => gather(a!, 1, index), [Tensor.from([[0.5, -1, 2], [1.5, 0.25, -0.75], [3, 1, -2]])])).toBeLessThan(1e-2);
    const leaf = Tensor.zeros([2, 3], true);
    gather(leaf, 1, Tensor.from([[2, 2], [0, 1]])).sum().backward();
    expect(leaf.grad!.tolist()).toEqual([[0, 0, 2], [1, 1, 0]]);
    expect(() => gather(x, 1, Tensor.from([0, 1]))).toThrow("gather: index must have the input's rank 2, got shape [2] for input shape [3,4]");
    expect(() => gather(x, 1, Tensor.from([[0], [1], [2], [3]]))).toThrow('gather: index shape [4,1] is larger than the input\'s [3,4] in dim 0 (only dim 1 may differ)');
    expect(() => gather(x, 1, Tensor.from([[4]]))).toThrow('gather: index 4 is out of range for dim 1 of size 4 (input shape [3,4])');
    expect(() => gather(x, 0, Tensor.from([[0.5]]))).toThrow('gather: index 0.5 is out of range for dim 0 of size 3 (input shape [3,4])');
    expect(() => gather(x, 2, Tensor.from([[0]]))).toThrow('gather: dim 2 is out of range for a 2-D tensor (expected -2..1)');
  });
});
