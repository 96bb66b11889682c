import { describe, expect, it } from 'vitest';
import { captureActivations, Dropout, Flatten, Linear, manualSeed, Module, ReLU, Sequential, Tensor } from '../../src/index.js';

/** A block that calls the same ReLU twice, as torchvision's BasicBlock does. */
class TwiceRelu extends Module {
  fc1 = new Linear(3, 3);
  relu = new ReLU();
  fc2 = new Linear(3, 2);
  forward(x: Tensor): Tensor {
    return this.relu.call(this.fc2.call(this.relu.call(this.fc1.call(x))));
  }
}

describe('captureActivations', () => {
  it('returns every sub-module output by PyTorch name, in execution order', () => {
    manualSeed(1);
    const model = new Sequential(new Flatten(), new Linear(4, 3), new ReLU(), new Sequential(new Linear(3, 2), new ReLU()));
    const input = Tensor.from([1, -2, 3, 0.5, 0, 1, -1, 2], [2, 1, 2, 2]);
    const acts = captureActivations(model, input);
    expect([...acts.keys()]).toEqual(['0', '1', '2', '3.0', '3.1', '3']);
    expect(acts.get('0')!.shape).toEqual([2, 4]);
    expect(acts.get('1')!.shape).toEqual([2, 3]);
    expect(acts.get('2')!.data).toEqual(acts.get('1')!.data.map((v) => Math.max(v, 0)));
    expect(acts.get('3')!.data).toEqual(model.call(input).data);
    expect(acts.get('3')!.requiresGrad).toBe(false);
  });

  it('names repeated calls of one module name, name#2', () => {
    manualSeed(1);
    const acts = captureActivations(new TwiceRelu(), Tensor.from([[1, 2, 3]]));
    expect([...acts.keys()]).toEqual(['fc1', 'relu', 'fc2', 'relu#2']);
    expect(acts.get('relu#2')!.shape).toEqual([1, 2]);
  });

  it('leaves the model unchanged: hooks removed, modes restored, eval-mode forward (no dropout)', () => {
    manualSeed(1);
    const model = new Sequential(new Linear(2, 50), new Dropout(0.5));
    const input = Tensor.from([[1, 1]]);
    const acts = captureActivations(model, input);
    expect(acts.get('1')!.data).toEqual(acts.get('0')!.data);
    expect(model.training && model.layers[1]!.training).toBe(true);
    model.eval();
    let extra = 0;
    model.layers[0]!.registerForwardHook(() => extra++);
    model.call(input);
    expect(extra).toBe(1);
    expect(acts.size).toBe(2);
  });
});
