import { describe, expect, it } from 'vitest';
import { ConvlabError, gelu, Tensor } from '../../src/index.js';
import { loadTorchCases, relativeMaxError } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);

describe('gelu matches PyTorch', () => {
  const cases = loadTorchCases('gelu');
  it('has the exact and the tanh form, three shapes each', () => {
    expect(cases.map((c) => c.args.approximate)).toEqual(['none', 'none', 'none', 'tanh', 'tanh', 'tanh']);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const x = leaf(c.tensors.x!);
    const y = gelu(x, c.args.approximate as 'none' | 'tanh');
    expect(relativeMaxError(y, c.tensors.out!)).toBeLessThanOrEqual(1e-5);
    y.backward(c.tensors.grad_out!);
    expect(relativeMaxError(x.grad!, c.tensors.grad_x!)).toBeLessThanOrEqual(1e-5);
  });
});

describe('gelu', () => {
  it('is x·Φ(x) to float32 precision: 0 at 0, Φ(1) = 0.841345 at 1, tiny and negative far left', () => {
    const y = gelu(Tensor.from([0, 1, -1, -6, 6]));
    const exact = [0, 0.8413447460685429, -0.15865525393145707, -6 * 9.865876450377e-10, 6];
    exact.forEach((v, i) => expect(Math.abs(y.data[i]! - v), `x[${i}]`).toBeLessThanOrEqual(2.5e-7 * Math.abs(v)));
  });
  it('has slope 1/2 at 0 in both forms', () => {
    for (const approximate of ['none', 'tanh'] as const) {
      const x = Tensor.from([0], [1], true);
      gelu(x, approximate).backward(Tensor.from([1]));
      expect(x.grad!.data[0]).toBe(0.5);
    }
  });
  it('passes a gradient check in both forms', () => {
    const x = Tensor.from(Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * 3), [2, 3, 4]);
    expect(gradCheck(([v]) => gelu(v!), [x])).toBeLessThan(1e-2);
    expect(gradCheck(([v]) => gelu(v!, 'tanh'), [x])).toBeLessThan(1e-2);
  });
  it('rejects an unknown approximation, naming it', () => {
    expect(() => gelu(Tensor.from([1]), 'erf' as 'none')).toThrow(ConvlabError);
    expect(() => gelu(Tensor.from([1]), 'erf' as 'none')).toThrow(`gelu: approximate must be 'none' or 'tanh', got "erf"`);
  });
});
