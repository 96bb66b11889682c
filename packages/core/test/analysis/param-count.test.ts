import { describe, expect, it } from 'vitest';
import { convParams, ConvlabError, fcParams, Linear, Conv2d, withoutWeights } from '../../src/index.js';

const count = (m: { parameters(): { size: number }[] }): number => m.parameters().reduce((n, p) => n + p.size, 0);

describe('parameter counts for the exercises', () => {
  it('fcParams: every input unit to every output unit, plus one bias per output', () => {
    expect(fcParams([3, 256, 256], 1000)).toBe(196_609_000); // B.5
    expect(fcParams([50, 4, 4], 500)).toBe(400_500); // A.2
    expect(fcParams([512, 7, 7], 4096)).toBe(102_764_544); // A.4, VGG-16 fc6
    expect(fcParams([1000, 1000], [1000, 1000], { bias: false })).toBe(1e12); // B.10
    expect(fcParams([2, 3, 4], [5, 6, 7], { bias: false })).toBe(2 * 3 * 4 * 5 * 6 * 7);
    expect(fcParams(800, 500)).toBe(count(withoutWeights(() => new Linear(800, 500))));
  });

  it('convParams: independent of the image size', () => {
    expect(convParams(3, 10, 3)).toBe(280); // B.6
    expect(convParams(1, 100, 10)).toBe(10_100); // B.10: 10,000 weights + 100 biases
    expect(convParams(3, 4, [3, 5], { bias: false })).toBe(180);
    expect(convParams(8, 16, 3, { groups: 8 })).toBe(16 * 1 * 9 + 16);
    expect(convParams(8, 16, [3, 5], { groups: 8, bias: false })).toBe(count(withoutWeights(() => new Conv2d(8, 16, [3, 5], { groups: 8, bias: false }))));
  });

  it('rejects impossible layers', () => {
    expect(() => fcParams([3, 0], 10)).toThrow(ConvlabError);
    expect(() => fcParams([3, 0], 10)).toThrow('fcParams: inputShape must be a positive integer or a shape of them, got [3,0]');
    expect(() => convParams(3, 4, 3, { groups: 2 })).toThrow('convParams: groups 2 must divide inChannels 3 and outChannels 4');
    expect(() => convParams(3, 4, 0)).toThrow('convParams: kernelSize must be ≥ 1, got 0');
  });
});
