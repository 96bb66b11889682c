import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR, Linear, SGD, StepLR } from '../../src/index.js';
import { loadTorchCases } from '../helpers/fixtures.js';

describe('learning-rate schedules against torch.optim.lr_scheduler', () => {
  for (const c of loadTorchCases('lr_scheduler')) {
    it(c.name, () => {
      const options = c.args['options'] as Record<string, number>;
      const optimizer = new SGD(new Linear(1, 1).parameters(), { lr: c.args['baseLr'] as number });
      const scheduler = c.op === 'StepLR'
        ? new StepLR(optimizer, { stepSize: options['step_size']!, gamma: options['gamma']! })
        : new CosineAnnealingLR(optimizer, { tMax: options['T_max']!, etaMin: options['eta_min']! });
      const lrs: number[] = [];
      for (let e = 0; e < (c.args['lrs'] as number[]).length; e++) {
        lrs.push(optimizer.lr);
        scheduler.step();
      }
      (c.args['lrs'] as number[]).forEach((expected, e) => expect(lrs[e], `epoch ${e}`).toBeCloseTo(expected, 12));
    });
  }

  it('rejects a non-integer step size', () => {
    const optimizer = new SGD(new Linear(1, 1).parameters(), { lr: 0.1 });
    expect(() => new StepLR(optimizer, { stepSize: 0.5 })).toThrow('StepLR: stepSize must be a positive integer, got 0.5');
  });
});
