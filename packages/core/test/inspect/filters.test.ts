import { describe, expect, it } from 'vitest';
import { Conv2d, filters, manualSeed, ReLU, Sequential } from '../../src/index.js';

describe('filters', () => {
  it("returns each output channel's kernel with the layer's range", () => {
    manualSeed(1);
    const model = new Sequential(new Conv2d(3, 4, [2, 3]), new ReLU(), new Conv2d(4, 2, 3, { groups: 2 }));
    const f = filters(model, '0');
    const w = (model.layers[0] as Conv2d).weight.data;
    expect(f.outChannels).toBe(4);
    expect(f.inChannels).toBe(3);
    expect(f.kernelSize).toEqual([2, 3]);
    expect(f.rgb).toBe(true);
    expect(f.filters.map((t) => t.shape)).toEqual([[3, 2, 3], [3, 2, 3], [3, 2, 3], [3, 2, 3]]);
    expect([...f.filters[2]!.data]).toEqual([...w.subarray(36, 54)]);
    expect(f.min).toBe(Math.min(...w));
    expect(f.max).toBe(Math.max(...w));
    f.filters[0]!.data[0] = 99;
    expect(w[0]).not.toBe(99);
    const grouped = filters(model, '2');
    expect(grouped.inChannels).toBe(2);
    expect(grouped.rgb).toBe(false);
  });

  it('names a layer that is not a convolution', () => {
    expect(() => filters(new Sequential(new Conv2d(1, 1, 1), new ReLU()), '1')).toThrow("filters(layer '1'): expected a Conv2d layer, got ReLU");
  });
});
