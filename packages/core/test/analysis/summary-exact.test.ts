import { describe, expect, it } from 'vitest';
import { Conv2d, Linear, Flatten, Sequential, summary, withoutWeights } from '../../src/index.js';

describe('summary counts exactly or refuses (issue 16 item 9)', () => {
  it('refuses a layer whose MACs or memory pass 2^53 instead of printing inexact numbers', () => {
    const model = withoutWeights(() => new Sequential(new Conv2d(1, 64, 3, { padding: 1 })));
    expect(() => summary(model, [1, 2 ** 25, 2 ** 25])).toThrow(
      `summary: 0 (Conv2d): its MACs (${64 * 9 * 2 ** 50}) are above 2^53 and cannot be counted exactly; use a smaller input`,
    );
  });

  it('refuses a model whose parameter count passes 2^53', () => {
    const model = withoutWeights(() => new Sequential(new Flatten(), new Linear(2 ** 27, 2 ** 27), new Linear(2 ** 27, 2 ** 27)));
    expect(() => summary(model, [2 ** 27])).toThrow(`summary: 1 (Linear): its parameters (${2 ** 54}) are above 2^53 and cannot be counted exactly; use a smaller input`);
  });

  it('still counts large but exact models', () => {
    const model = withoutWeights(() => new Sequential(new Conv2d(1, 8, 3, { padding: 1 })));
    const s = summary(model, [1, 2 ** 20, 2 ** 20]);
    expect(s.rows[0]!.macs).toBe(8 * 9 * 2 ** 40);
    expect(s.totals.macs).toBe(8 * 9 * 2 ** 40);
  });
});
