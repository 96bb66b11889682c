import { describe, expect, it } from 'vitest';
import { Conv2d, F, Flatten, fullyConvolutional, gelu, GELU, Linear, nn, Sequential, summary, Tensor } from '../../src/index.js';

describe('GELU', () => {
  it('runs the gelu op, exact by default, and prints like PyTorch', () => {
    const x = Tensor.from([-2, -0.5, 0, 0.5, 2]);
    expect(Array.from(new GELU().call(x).data)).toEqual(Array.from(gelu(x).data));
    expect(Array.from(new GELU('tanh').call(x).data)).toEqual(Array.from(gelu(x, 'tanh').data));
    expect(String(new GELU())).toBe("GELU(approximate='none')");
    expect(String(new GELU('tanh'))).toBe("GELU(approximate='tanh')");
    expect([nn.GELU, F.gelu]).toEqual([GELU, gelu]);
  });

  it('is element-wise to summary() and kept in a fully convolutional head', () => {
    const model = new Sequential(new Conv2d(1, 2, 3), new GELU(), new Flatten(), new Linear(2 * 4 * 4, 3), new GELU());
    const row = summary(model, [1, 6, 6]).rows[1]!;
    expect([row.type, row.outputShape, row.macs, row.receptiveField?.size]).toEqual(['GELU', [2, 4, 4], 0, [3, 3]]);
    const fcn = fullyConvolutional(model, [1, 6, 6]);
    expect(fcn.call(Tensor.zeros([1, 1, 8, 8])).shape).toEqual([1, 3, 3, 3]);
  });
});
