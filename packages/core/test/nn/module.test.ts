import { describe, expect, it } from 'vitest';
import { Linear, Module, Parameter, ReLU, Sequential, Tanh, Tensor, manualSeed, withoutWeights } from '../../src/index.js';
import { loadTorchCases } from '../helpers/fixtures.js';
import { Head, Net } from './models.js';

const names = loadTorchCases('modules').find((c) => c.op === 'names')!.args as {
  parameters: [string, number[]][];
  buffers: [string, number[]][];
  parameter_count: number;
  modules: string[];
};
const entries = (list: [string, Tensor][]): [string, number[]][] => list.map(([n, t]) => [n, [...t.shape]]);
const parameterCount = (m: Module): number => m.parameters().reduce((n, p) => n + p.size, 0);

describe('parameter and buffer names match PyTorch', () => {
  const net = new Net();
  it('names parameters conv1.weight, features.2.weight, classifier.2.bias … in PyTorch order with PyTorch shapes', () => {
    expect(entries(net.namedParameters())).toEqual(names.parameters);
    expect(net.namedParameters()[0]![0]).toBe('conv1.weight');
    expect(net.parameters().every((p) => p instanceof Parameter)).toBe(true);
  });
  it('names buffers bn1.running_mean … and skips the parameters of a non-affine batch norm', () => {
    expect(entries(net.namedBuffers())).toEqual(names.buffers);
  });
  it('lists modules depth first with dotted names', () => {
    expect(net.namedModules().map(([n]) => n)).toEqual(names.modules);
  });
  it('counts parameters like PyTorch (1130 for Net; in·out + out for Linear)', () => {
    expect(parameterCount(net)).toBe(names.parameter_count);
    expect(parameterCount(new Linear(800, 500))).toBe(400_500);
    expect(parameterCount(new Linear(3, 2, { bias: false }))).toBe(6);
  });
  it('lists a parameter shared by two layers once', () => {
    const fc = new Linear(4, 4);
    expect(parameterCount(new Sequential(fc, new ReLU(), fc))).toBe(20);
  });
});

describe('train() and eval()', () => {
  it('propagate to every descendant, and a child can be switched on its own', () => {
    const net = new Net();
    const modes = (): boolean[] => net.namedModules().map(([, m]) => m.training);
    expect(modes().every((t) => t)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(modes().every((t) => !t)).toBe(true);
    net.train();
    net.classifier.eval();
    expect(net.namedModules().filter(([, m]) => !m.training).map(([n]) => n)).toEqual([
      'classifier', 'classifier.0', 'classifier.1', 'classifier.2', 'classifier.3',
    ]);
    net.train(false);
    expect(modes().every((t) => !t)).toBe(true);
  });
});

describe('gradients', () => {
  const model = (): Sequential => {
    manualSeed(3);
    return new Sequential(new Linear(4, 3), new Tanh(), new Linear(3, 2));
  };
  const x = Tensor.from([[0.5, -1, 2, 0], [1, 1, -0.5, 0.25]]);
  const grads = (m: Module): number[][] => m.parameters().map((p) => Array.from(p.grad!.data));

  it('accumulate over backward passes until zeroGrad clears them', () => {
    const m = model();
    m.call(x).backward(Tensor.full([2, 2], 1));
    const once = grads(m);
    m.call(x).backward(Tensor.full([2, 2], 1));
    expect(grads(m)).toEqual(once.map((g) => g.map((v) => v * 2)));
    m.zeroGrad();
    expect(m.parameters().map((p) => p.grad)).toEqual([null, null, null, null]);
    m.call(x).backward(Tensor.full([2, 2], 1));
    expect(grads(m)).toEqual(once);
  });
});

describe('forward hooks', () => {
  it('run after each call with the module, its input and its output, in order, until removed', () => {
    const net = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    const seen: string[] = [];
    const handles = net.namedModules().map(([name, m]) =>
      m.registerForwardHook((module, input, output) => {
        expect(module).toBe(m);
        seen.push(`${name || 'root'} ${module.typeName} [${input.shape}]→[${output.shape}]`);
      }),
    );
    const y = net.call(Tensor.zeros([5, 4]));
    expect(y.shape).toEqual([5, 2]);
    expect(seen).toEqual(['0 Linear [5,4]→[5,3]', '1 ReLU [5,3]→[5,3]', '2 Linear [5,3]→[5,2]', 'root Sequential [5,4]→[5,2]']);
    handles.forEach((h) => h.remove());
    net.call(Tensor.zeros([1, 4]));
    expect(seen.length).toBe(4);
  });

  it('see the output object the caller gets', () => {
    const layer = new Linear(2, 2);
    let hooked: Tensor | null = null;
    layer.registerForwardHook((_, __, output) => { hooked = output; });
    expect(layer.call(Tensor.zeros([1, 2]))).toBe(hooked);
  });
});

describe('withoutWeights', () => {
  it('builds meta parameters and buffers with the real names, shapes and counts', () => {
    const net = withoutWeights(() => new Net());
    expect(net.parameters().every((p) => p.isMeta)).toBe(true);
    expect(net.namedBuffers().every(([, b]) => b.isMeta)).toBe(true);
    expect(entries(net.namedParameters())).toEqual(names.parameters);
    expect(entries(net.namedBuffers())).toEqual(names.buffers);
    expect(parameterCount(net)).toBe(names.parameter_count);
    expect(() => net.conv1.weight.data).toThrow('meta tensor');
  });

  it('allocates nothing for a huge layer and draws no random numbers', () => {
    manualSeed(5);
    const big = withoutWeights(() => new Linear(25088, 4096));
    expect(parameterCount(big)).toBe(25088 * 4096 + 4096);
    const after = new Linear(3, 2).weight.data;
    manualSeed(5);
    expect(new Linear(3, 2).weight.data).toEqual(after);
  });

  it('ends when its builder returns or throws', () => {
    expect(() => withoutWeights(() => { throw new Error('boom'); })).toThrow('boom');
    expect(new Head().fc1.weight.isMeta).toBe(false);
  });
});

describe('call()', () => {
  class Slip extends Module {
    fc = new Linear(4, 2);
    forward(): Tensor {
      // The course's `x = self.fc3` slip: the layer is returned instead of its output.
      return this.fc as unknown as Tensor;
    }
  }

  it('names the module whose forward returned a layer instead of a tensor', () => {
    expect(() => new Slip().call(Tensor.zeros([1, 4]))).toThrow(
      'Slip.forward: must return a Tensor, got the Linear module itself (a layer assigned instead of called? write x = layer.call(x))',
    );
  });
});
