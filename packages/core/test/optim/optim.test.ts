import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, crossEntropy, Linear, ReLU, RMSprop, SGD, Sequential, Tensor, type BaseHyper, type Optimizer, type Parameter, type ParamGroupSpec } from '../../src/index.js';
import { loadTorchCases, relativeMaxError, type TorchCase } from '../helpers/fixtures.js';

/** The fixture's MLP with PyTorch's initial weights. */
function fixtureModel(c: TorchCase): Sequential {
  const model = new Sequential(new Linear(4, 5), new ReLU(), new Linear(5, 3));
  for (const [name, p] of model.namedParameters()) p.data.set(c.tensors[`initial:${name}`]!.data);
  return model;
}

/** PyTorch's keyword arguments with convlab's names: weight_decay → weightDecay. */
const camel = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));

const makers = { sgd: SGD, adam: Adam, adamw: AdamW, rmsprop: RMSprop, adagrad: Adagrad } as const;

/** Builds the optimizer a fixture case names, translating PyTorch's option names. */
function makeOptimizer(c: TorchCase, params: Parameter[] | ParamGroupSpec<BaseHyper>[]): Optimizer {
  const Maker = makers[c.op as keyof typeof makers] as new (p: typeof params, o: Record<string, unknown>) => Optimizer;
  return new Maker(params, camel(c.args['options'] as Record<string, unknown>));
}

/** Steps `optimizer` with the gradients PyTorch recorded, checking the weights after every step. */
function replayRecordedSteps(c: TorchCase, model: Sequential, optimizer: Optimizer): void {
  for (let step = 0; step < (c.args['steps'] as number); step++) {
    optimizer.zeroGrad();
    for (const [name, p] of model.namedParameters()) p.grad = c.tensors[`grad${step}:${name}`]!.clone();
    optimizer.step();
    for (const [name, p] of model.namedParameters()) {
      expect(relativeMaxError(p, c.tensors[`after${step}:${name}`]!), `${name} after step ${step}`).toBeLessThan(2e-6);
    }
  }
}

describe('optimizers against torch.optim (gradients recorded by PyTorch)', () => {
  for (const c of loadTorchCases('optim')) {
    it(`${c.name}: ${c.args['steps']} steps`, () => {
      const model = fixtureModel(c);
      const optimizer = makeOptimizer(c, model.parameters());
      replayRecordedSteps(c, model, optimizer);
    });
  }
});

describe('optimizers against torch.optim (gradients computed by convlab)', () => {
  for (const c of loadTorchCases('optim')) {
    it(`${c.name}: ${c.args['steps']} training steps`, () => {
      const model = fixtureModel(c);
      const optimizer = makeOptimizer(c, model.parameters());
      const labels = Array.from(c.tensors['labels']!.data);
      for (let step = 0; step < (c.args['steps'] as number); step++) {
        optimizer.zeroGrad();
        crossEntropy(model.call(c.tensors['input']!), labels).backward();
        optimizer.step();
      }
      for (const [name, p] of model.namedParameters()) {
        expect(relativeMaxError(p, c.tensors[`after${(c.args['steps'] as number) - 1}:${name}`]!), name).toBeLessThan(1e-5);
      }
    });
  }
});

describe('SGD', () => {
  it('first momentum step copies the gradient into the buffer (no dampening), later steps dampen', () => {
    const layer = new Linear(1, 1, { bias: false });
    layer.weight.data[0] = 1;
    const sgd = new SGD([layer.weight], { lr: 0.1, momentum: 0.5, dampening: 0.5 });
    layer.weight.grad = Tensor.from([[2]]);
    sgd.step();
    expect(layer.weight.data[0]).toBeCloseTo(1 - 0.1 * 2, 7);
    layer.weight.grad = Tensor.from([[2]]);
    sgd.step();
    expect(layer.weight.data[0]).toBeCloseTo(0.8 - 0.1 * (0.5 * 2 + 0.5 * 2), 7);
  });

  it('skips parameters without a gradient and zeroGrad clears them', () => {
    const a = new Linear(2, 1);
    const before = a.bias!.data.slice();
    const sgd = new SGD(a.parameters(), { lr: 1 });
    a.weight.grad = Tensor.from([[1, 1]]);
    sgd.step();
    expect(a.bias!.data).toEqual(before);
    sgd.zeroGrad();
    expect(a.weight.grad).toBeNull();
  });

  it('rejects bad options with the argument named', () => {
    const ps = new Linear(2, 1).parameters();
    expect(() => new SGD(ps, { lr: -1 })).toThrow('SGD: lr must be a finite number ≥ 0, got -1');
    expect(() => new SGD(ps, { lr: 0.1, nesterov: true })).toThrow('SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0, dampening 0');
    expect(() => new SGD(ps, { lr: 0.1, momentum: 1.5 })).toThrow('SGD: momentum must be in [0, 1), got 1.5');
    expect(() => new SGD([], { lr: 0.1 })).toThrow('SGD: got an empty parameter list');
  });
});

describe('Adam', () => {
  it('first step moves every weight by lr·sign(g) (bias correction makes m̂/√v̂ = ±1)', () => {
    const layer = new Linear(3, 1, { bias: false });
    const before = layer.weight.data.slice();
    const adam = new Adam([layer.weight], { lr: 0.01 });
    layer.weight.grad = Tensor.from([[3, -0.5, 1e-3]]);
    adam.step();
    const moved = Array.from(layer.weight.data, (w, i) => w - before[i]!);
    expect(moved[0]).toBeCloseTo(-0.01, 6);
    expect(moved[1]).toBeCloseTo(0.01, 6);
    expect(moved[2]).toBeCloseTo(-0.01 * (1e-3 / (1e-3 + 1e-8)), 6);
  });

  it('rejects betas outside [0, 1)', () => {
    expect(() => new AdamW(new Linear(2, 1).parameters(), { betas: [0.9, 1] })).toThrow('AdamW: betas[1] must be in [0, 1), got 1');
  });
});

describe('parameter groups against torch.optim', () => {
  for (const c of loadTorchCases('optim_groups')) {
    it(`${c.name}: ${c.args['steps']} steps, group hyperparameters like param_groups`, () => {
      const model = fixtureModel(c);
      const layers = [model.layers[0]!, model.layers[2]!];
      const groups = (c.args['groups'] as Record<string, unknown>[]).map((g, i) => ({ params: layers[i]!.parameters(), ...camel(g) }));
      const optimizer = makeOptimizer(c, groups);
      const expected = (c.args['paramGroups'] as Record<string, unknown>[]).map(camel);
      expect(
        optimizer.paramGroups.map(({ params: _, ...h }) => h)
      ).toEqual(expected.map((g) => Object.fromEntries(Object.keys(optimizer.paramGroups[0]!).filter((k) => k !== 'params').map((k) => [k, g[k]]))));
      replayRecordedSteps(c, model, optimizer);
    });
  }
});

describe('optimizer state dicts', () => {
  /** Trains `steps` steps of the fixture MLP with gradients recorded by PyTorch. */
  const cases = [...loadTorchCases('optim'), ...loadTorchCases('optim_groups')];
  for (const c of cases) {
    it(`${c.name}: saving after 2 steps and resuming in a fresh optimizer gives the same weights, bit for bit`, () => {
      const build = (): [Sequential, Optimizer] => {
        const model = fixtureModel(c);
        const groups = c.args['groups'] as Record<string, unknown>[] | undefined;
        const params = groups === undefined ? model.parameters() : groups.map((g, i) => ({ params: model.layers[2 * i]!.parameters(), ...camel(g) }));
        return [model, makeOptimizer(c, params)];
      };
      const run = (model: Sequential, optimizer: Optimizer, from: number, to: number): void => {
        for (let step = from; step < to; step++) {
          optimizer.zeroGrad();
          for (const [name, p] of model.namedParameters()) p.grad = c.tensors[`grad${step}:${name}`]!.clone();
          optimizer.step();
        }
      };
      const [straight, o1] = build();
      run(straight, o1, 0, 4);
      const [first, o2] = build();
      run(first, o2, 0, 2);
      const saved = JSON.parse(JSON.stringify(o2.stateDict(), (_, v: unknown) => (v instanceof Float32Array ? { f32: Array.from(v) } : v)), (_, v: { f32?: number[] }) =>
        v !== null && typeof v === 'object' && 'f32' in v ? Float32Array.from(v.f32!) : v) as ReturnType<Optimizer['stateDict']>;
      const [resumed, o3] = build();
      for (const [name, p] of resumed.namedParameters()) p.data.set(first.namedParameters().find(([n]) => n === name)![1].data);
      o3.loadStateDict(saved);
      run(resumed, o3, 2, 4);
      for (const [name, p] of resumed.namedParameters()) expect(Array.from(p.data), name).toEqual(Array.from(straight.namedParameters().find(([n]) => n === name)![1].data));
    });
  }

  it('holds PyTorch-shaped data: per-parameter state by position, groups with hyperparameters and positions', () => {
    const model = new Sequential(new Linear(2, 2), new ReLU(), new Linear(2, 1));
    const adam = new Adam([{ params: model.layers[0]!.parameters(), lr: 0.1 }, { params: model.layers[2]!.parameters() }]);
    for (const p of model.parameters()) p.grad = Tensor.full(p.shape, 1);
    adam.step();
    const dict = adam.stateDict();
    expect(dict.paramGroups).toEqual([
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, params: [0, 1] },
      { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, params: [2, 3] },
    ]);
    expect(Object.keys(dict.state)).toEqual(['0', '1', '2', '3']);
    expect(dict.state[3]!['step']).toBe(1);
    expect(Array.from(dict.state[3]!['expAvg'] as Float32Array)).toEqual([Math.fround(0.1)]);
    expect(() => new Adam(model.parameters()).loadStateDict(dict)).toThrow('Adam.loadStateDict: the state has 2 parameter groups, this optimizer 1');
    expect(() => new SGD([{ params: model.layers[0]!.parameters() }, { params: model.layers[2]!.parameters() }], { lr: 1 }).loadStateDict(dict)).toThrow(
      'SGD.loadStateDict: parameter group 0 of the state has no momentum',
    );
  });
});

describe('optimizer options and learning rates', () => {
  const ps = (): Parameter[] => new Linear(2, 1).parameters();
  it('rejects missing options, unknown and mistyped options, and bad groups, with the optimizer named', () => {
    expect(() => new SGD(ps())).toThrow('SGD: needs a learning rate: new SGD(model.parameters(), { lr: 0.01 }), or lr in every parameter group');
    expect(() => new SGD(ps(), { lr: 0.1, weight_decay: 0.5 } as never)).toThrow('SGD: unknown option weight_decay, did you mean weightDecay?');
    expect(() => new SGD(ps(), { lr: '0.1' } as never)).toThrow('SGD: option lr must be a number, got "0.1" (a string)');
    expect(() => new Adam(ps(), { betas: 0.9 } as never)).toThrow('Adam: option betas must be a pair [β1, β2], got 0.9');
    expect(() => new SGD(undefined as never, { lr: 0.1 })).toThrow('SGD: expected parameters (model.parameters()) or a list of parameter groups [{ params, … }], got undefined');
    expect(() => new SGD([{ params: ps(), lr: 0.1 }, { params: ps() }])).toThrow('SGD (param group 1): needs a learning rate');
    expect(() => new SGD([{ params: ps(), weight_decay: 0.1 } as never], { lr: 0.1 })).toThrow('SGD (param group 0): unknown option weight_decay, did you mean weightDecay?');
    expect(() => new SGD([{ param: ps() } as never], { lr: 0.1 })).toThrow('SGD: param group 0 must be an object { params, … }, got an object');
    const shared = ps();
    expect(() => new SGD([{ params: shared }, { params: shared }], { lr: 0.1 })).toThrow('SGD (param group 1): some parameters appear in more than one parameter group');
    expect(() => new RMSprop(ps(), { alpha: -1 })).toThrow('RMSprop: alpha must be a finite number ≥ 0, got -1');
    expect(() => new Adagrad(ps(), { lr_decay: 0.1 } as never)).toThrow('Adagrad: unknown option lr_decay, did you mean lrDecay?');
  });

  it('step() rejects a learning rate made NaN or negative after construction', () => {
    const layer = new Linear(2, 1);
    const sgd = new SGD(layer.parameters(), { lr: 0.1 });
    for (const p of layer.parameters()) p.grad = Tensor.full(p.shape, 1);
    const before = layer.weight.data.slice();
    sgd.lr = NaN;
    expect(() => sgd.step()).toThrow('SGD: lr must be a finite number ≥ 0, got NaN');
    expect(layer.weight.data).toEqual(before);
    const groups = new Adam([{ params: [layer.weight] }, { params: [layer.bias!] }]);
    groups.paramGroups[1]!.lr = -0.1;
    expect(() => groups.step()).toThrow('Adam (param group 1): lr must be a finite number ≥ 0, got -0.1');
  });

  it('a learning rate set on the optimizer applies to every group; groups keep their own otherwise', () => {
    const sgd = new SGD([{ params: ps() }, { params: ps(), lr: 0.5 }], { lr: 0.1 });
    expect(sgd.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
    sgd.lr = 0.01;
    expect(sgd.paramGroups.map((g) => g.lr)).toEqual([0.01, 0.01]);
  });
});
