import { describe, expect, it } from 'vitest';
import { ConvlabError, Generator, Tensor, dropout, manualSeed } from '../../src/index.js';
import { loadTorchCases } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

const leaf = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape, true);
const ramp = (n: number): Tensor => Tensor.from(Array.from({ length: n }, (_, i) => i + 1), [n]);

describe('dropout matches PyTorch', () => {
  const cases = loadTorchCases('elementwise').filter((c) => c.op === 'dropout');
  it('has eval, p = 0, p = 1 and random-mask cases', () => expect(cases.length).toBe(6));

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const p = c.args.p as number;
    const x = leaf(c.tensors.x!);
    const y = dropout(x, p, c.args.training as boolean, new Generator(3));
    y.backward(c.tensors.grad_out!);
    const [xv, yv, gv, gx] = [x.data, y.data, c.tensors.grad_out!.data, x.grad!.data];
    const [torchOut, torchGrad] = [c.tensors.out!.data, c.tensors.grad_x!.data];
    const active = (c.args.training as boolean) && p > 0;
    const scale = !active ? 1 : p === 1 ? 0 : Math.fround(1 / (1 - p));
    // Kept element i is x_i·scale (and its gradient g_i·scale), a dropped one is 0 (±0 alike).
    const rule = (value: number, kept: boolean, source: number): void => expect(value + 0).toBe(kept ? Math.fround(source * scale) : 0);
    let kept = 0;
    for (let i = 0; i < xv.length; i++) {
      // PyTorch's mask comes from its own generator; each element must follow the same rule.
      const torchKept = torchOut[i] !== 0;
      rule(torchOut[i]!, torchKept, xv[i]!);
      rule(torchGrad[i]!, torchKept, gv[i]!);
      const ours = yv[i] !== 0;
      kept += ours ? 1 : 0;
      rule(yv[i]!, ours, xv[i]!);
      rule(gx[i]!, ours, gv[i]!);
    }
    if (!active) expect(kept).toBe(xv.length);
    if (active && p === 1) expect(kept).toBe(0);
  });
});

describe('dropout', () => {
  it('returns its input unchanged in eval mode and for p = 0', () => {
    const x = ramp(5);
    expect(dropout(x, 0.5, false)).toBe(x);
    expect(dropout(x, 0, true)).toBe(x);
  });

  it('zeroes everything for p = 1, gradients included', () => {
    const x = new Tensor(ramp(6).data, [2, 3], true);
    const y = dropout(x, 1, true);
    expect(Array.from(y.data)).toEqual([0, 0, 0, 0, 0, 0]);
    y.backward(Tensor.full([2, 3], 1));
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('keeps each element with probability 1 − p, scaled by 1/(1 − p)', () => {
    const n = 20000;
    const y = dropout(Tensor.full([n], 1), 0.3, true, new Generator(11));
    const values = new Set(y.data);
    expect(values).toEqual(new Set([0, Math.fround(1 / 0.7)]));
    const dropped = y.data.filter((v) => v === 0).length / n;
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.015);
  });

  it('draws its mask from the seeded generator: same seed, same mask; other seed, other mask', () => {
    const x = ramp(64);
    const mask = (y: Tensor): string => Array.from(y.data, (v) => (v === 0 ? '0' : '1')).join('');
    expect(mask(dropout(x, 0.5, true, new Generator(5)))).toBe(mask(dropout(x, 0.5, true, new Generator(5))));
    expect(mask(dropout(x, 0.5, true, new Generator(5)))).not.toBe(mask(dropout(x, 0.5, true, new Generator(6))));
    manualSeed(42);
    const first = mask(dropout(x, 0.5, true));
    const second = mask(dropout(x, 0.5, true));
    manualSeed(42);
    expect(mask(dropout(x, 0.5, true))).toBe(first);
    expect(mask(dropout(x, 0.5, true))).toBe(second);
    expect(second).not.toBe(first);
  });

  it('passes a gradient check (fixed mask)', () => {
    const x = Tensor.from(Array.from({ length: 24 }, (_, i) => Math.sin(i)), [2, 3, 4]);
    expect(gradCheck(([a]) => dropout(a!, 0.4, true, new Generator(9)), [x])).toBeLessThan(1e-2);
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => dropout(ramp(2), 1.5, true)).toThrow(ConvlabError);
    expect(() => dropout(ramp(2), -0.1, true)).toThrow('dropout: p must be a probability in [0, 1], got -0.1');
    expect(() => dropout(ramp(2), Number.NaN, false)).toThrow('got NaN');
  });
});
