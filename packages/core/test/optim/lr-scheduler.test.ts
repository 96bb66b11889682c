import { describe, expect, it } from 'vitest';
import {
  Adam,
  CosineAnnealingLR,
  DataLoader,
  Flatten,
  ImageDataset,
  Sequential,
  fit,
  ExponentialLR,
  LinearLR,
  Linear,
  MultiStepLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SGD,
  StepLR,
  type LRScheduler,
} from '../../src/index.js';
import { loadTorchCases } from '../helpers/fixtures.js';

const camel = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k === 'T_max' ? 'tMax' : k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));

const schedulers = { StepLR, MultiStepLR, ExponentialLR, LinearLR, CosineAnnealingLR, OneCycleLR } as const;

/** The fixtures' optimizer: two groups (lr 0.1 and 0.02), SGD with momentum 0.9. */
const twoGroups = (): SGD =>
  new SGD([{ params: new Linear(1, 1).parameters() }, { params: new Linear(1, 1).parameters(), lr: 0.02 }], { lr: 0.1, momentum: 0.9 });

describe('learning-rate schedules against torch.optim.lr_scheduler (two parameter groups)', () => {
  const cases = loadTorchCases('lr_scheduler');
  it('covers every schedule', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set([...Object.keys(schedulers), 'ReduceLROnPlateau']));
  });

  for (const c of cases.filter((k) => k.op !== 'ReduceLROnPlateau')) {
    it(c.name, () => {
      const optimizer = twoGroups();
      const Make = schedulers[c.op as keyof typeof schedulers] as new (o: SGD, options: Record<string, unknown>) => LRScheduler;
      const scheduler = new Make(optimizer, camel(c.args['options'] as Record<string, unknown>));
      const lrs: number[][] = [];
      const momenta: number[] = [];
      for (let e = 0; e < (c.args['lrs'] as number[]).length; e++) {
        lrs.push(optimizer.paramGroups.map((g) => g.lr));
        momenta.push(optimizer.paramGroups[0]!.momentum);
        if (e < (c.args['lrs'] as number[]).length - 1 || c.op !== 'OneCycleLR') scheduler.step();
      }
      (c.args['lrs'] as number[]).forEach((expected, e) => expect(lrs[e]![0], `epoch ${e}`).toBeCloseTo(expected, 12));
      (c.args['lrs1'] as number[]).forEach((expected, e) => expect(lrs[e]![1], `group 1 epoch ${e}`).toBeCloseTo(expected, 12));
      (c.args['momenta'] as number[]).forEach((expected, e) => expect(momenta[e], `momentum epoch ${e}`).toBeCloseTo(expected, 12));
    });
  }

  for (const c of cases.filter((k) => k.op === 'ReduceLROnPlateau')) {
    it(c.name, () => {
      const optimizer = twoGroups();
      const plateau = new ReduceLROnPlateau(optimizer, camel(c.args['options'] as Record<string, unknown>));
      (c.args['metrics'] as number[]).forEach((m, e) => {
        plateau.step(m);
        expect(optimizer.paramGroups[0]!.lr, `epoch ${e}`).toBeCloseTo((c.args['lrs'] as number[])[e]!, 12);
        expect(optimizer.paramGroups[1]!.lr, `group 1 epoch ${e}`).toBeCloseTo((c.args['lrs1'] as number[])[e]!, 12);
      });
    });
  }
});

describe('schedules', () => {
  const sgd = (): SGD => new SGD(new Linear(1, 1).parameters(), { lr: 0.1 });

  it('OneCycleLR cycles Adam\'s β1 and stops at totalSteps', () => {
    const adam = new Adam(new Linear(1, 1).parameters(), { lr: 1 });
    const s = new OneCycleLR(adam, { maxLr: 0.4, totalSteps: 4, pctStart: 0.5, annealStrategy: 'linear' });
    expect([adam.lr, adam.paramGroups[0]!.betas]).toEqual([0.4 / 25, [0.95, 0.999]]);
    s.step();
    expect([adam.lr, adam.paramGroups[0]!.betas]).toEqual([0.4, [0.85, 0.999]]);
    for (let i = 0; i < 3; i++) s.step();
    expect(adam.lr).toBeCloseTo(0.4 / 25 / 1e4, 15);
    expect(() => s.step()).toThrow('OneCycleLR: stepped 5 times, beyond totalSteps 4');
  });

  it('resumes from a state dict: the same learning rates as an uninterrupted run', () => {
    const straight = sgd();
    const a = new CosineAnnealingLR(straight, { tMax: 7, etaMin: 0.01 });
    const first = sgd();
    const b = new CosineAnnealingLR(first, { tMax: 7, etaMin: 0.01 });
    for (let e = 0; e < 3; e++) {
      a.step();
      b.step();
    }
    const saved = { optimizer: first.stateDict(), scheduler: b.stateDict() };
    const resumed = sgd();
    const c = new CosineAnnealingLR(resumed, { tMax: 7, etaMin: 0.01 });
    resumed.loadStateDict(saved.optimizer);
    c.loadStateDict(saved.scheduler);
    expect(c.epoch).toBe(3);
    for (let e = 0; e < 5; e++) {
      a.step();
      c.step();
      expect(resumed.lr).toBe(straight.lr);
    }
    const plateau = new ReduceLROnPlateau(sgd(), { patience: 0 });
    plateau.step(1);
    plateau.step(2);
    const copy = new ReduceLROnPlateau(sgd(), { patience: 0 });
    copy.loadStateDict(plateau.stateDict());
    expect(copy.stateDict()).toEqual({ epoch: 2, best: 1, numBadEpochs: 0, cooldownCounter: 0 });
  });

  it('reject bad values at construction and bad learning rates when stepping', () => {
    expect(() => new StepLR(sgd(), { stepSize: 0.5 })).toThrow('StepLR: stepSize must be a positive integer, got 0.5');
    expect(() => new CosineAnnealingLR(sgd(), { tMax: 5, etaMin: NaN })).toThrow('CosineAnnealingLR: etaMin must be a finite number ≥ 0, got NaN');
    expect(() => new CosineAnnealingLR(sgd(), { tMax: 5, etaMin: -1 })).toThrow('CosineAnnealingLR: etaMin must be a finite number ≥ 0, got -1');
    expect(() => new CosineAnnealingLR(sgd(), { T_max: 5 } as never)).toThrow('CosineAnnealingLR: unknown option T_max, did you mean tMax?');
    expect(() => new ExponentialLR(sgd(), { gamma: -0.5 })).toThrow('ExponentialLR: gamma must be a finite number > 0, got -0.5');
    expect(() => new MultiStepLR(sgd(), { milestones: [3, 0] })).toThrow('MultiStepLR: milestones[1] must be a positive integer, got 0');
    expect(() => new LinearLR(sgd(), { startFactor: 0 })).toThrow('LinearLR: startFactor must be in (0, 1], got 0');
    expect(() => new OneCycleLR(sgd(), { maxLr: 0.1 })).toThrow('OneCycleLR: needs totalSteps, or epochs and stepsPerEpoch (positive integers), got epochs undefined, stepsPerEpoch undefined');
    expect(() => new ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow('ReduceLROnPlateau: factor must be in [0, 1), got 1');
    const optimizer = sgd();
    optimizer.lr = NaN;
    expect(() => new StepLR(optimizer, { stepSize: 2 })).toThrow("StepLR: the optimizer's lr must be a finite number ≥ 0, got NaN");
    const o2 = sgd();
    const s = new StepLR(o2, { stepSize: 1, gamma: 1e308 });
    s.step();
    expect(() => s.step()).toThrow('StepLR: the learning rate of epoch 2 would be Infinity; a learning rate must be a finite number ≥ 0');
  });
});

describe('fit with ReduceLROnPlateau', () => {
  it('steps it with the epoch loss (the training loss without validation)', () => {
    const data = new ImageDataset(Float32Array.from({ length: 16 }, (_, i) => (i % 5) / 5), Int32Array.from([0, 1, 0, 1]), [1, 2, 2]);
    const model = new Sequential(new Flatten(), new Linear(4, 2));
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    // 'max' on a falling loss: every epoch after the first is a bad one, and patience 0 reduces at once.
    const plateau = new ReduceLROnPlateau(optimizer, { mode: 'max', patience: 0, factor: 0.5 });
    const history = fit(model, { train: new DataLoader(data, { batchSize: 4 }), optimizer, scheduler: plateau, epochs: 3 });
    expect(history.epochs.map((e) => e.lr)).toEqual([0.1, 0.1, 0.05]);
    expect(plateau.epoch).toBe(3);
    expect(optimizer.lr).toBe(0.025);
  });
});
