import { describe, expect, it } from 'vitest';
import { Adam, AdamW, crossEntropy, Linear, ReLU, SGD, Sequential, Tensor, type Optimizer, type Parameter } from '../../src/index.js';
import { loadTorchCases, relativeMaxError, type TorchCase } from '../helpers/fixtures.js';

/** The fixture's MLP with PyTorch's initial weights. */
function fixtureModel(c: TorchCase): Sequential {
  const model = new Sequential(new Linear(4, 5), new ReLU(), new Linear(5, 3));
  for (const [name, p] of model.namedParameters()) p.data.set(c.tensors[`initial:${name}`]!.data);
  return model;
}

/** Builds the optimizer a fixture case names, translating PyTorch's option names. */
function makeOptimizer(c: TorchCase, params: Parameter[]): Optimizer {
  const o = c.args['options'] as Record<string, number | boolean | [number, number]>;
  const common = { lr: o['lr'] as number, weightDecay: o['weight_decay'] as number | undefined };
  if (c.op === 'sgd') {
    return new SGD(params, { ...common, momentum: o['momentum'] as number | undefined, dampening: o['dampening'] as number | undefined, nesterov: o['nesterov'] as boolean | undefined });
  }
  const adam = { ...common, betas: o['betas'] as [number, number] | undefined, eps: o['eps'] as number | undefined, amsgrad: o['amsgrad'] as boolean | undefined };
  return c.op === 'adam' ? new Adam(params, adam) : new AdamW(params, adam);
}

describe('optimizers against torch.optim (gradients recorded by PyTorch)', () => {
  for (const c of loadTorchCases('optim')) {
    it(`${c.name}: ${c.args['steps']} steps`, () => {
      const model = fixtureModel(c);
      const optimizer = makeOptimizer(c, model.parameters());
      for (let step = 0; step < (c.args['steps'] as number); step++) {
        optimizer.zeroGrad();
        for (const [name, p] of model.namedParameters()) p.grad = c.tensors[`grad${step}:${name}`]!.clone();
        optimizer.step();
        for (const [name, p] of model.namedParameters()) {
          expect(relativeMaxError(p, c.tensors[`after${step}:${name}`]!), `${name} after step ${step}`).toBeLessThan(2e-6);
        }
      }
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
