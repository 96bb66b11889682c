import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d, Conv2d, Flatten, FlowModule, gradCam, GlobalAvgPool2d, Linear, manualSeed, MaxPool2d, type Module, ReLU, residual,
  saliency, Sequential, Tensor, zoo, type Flow,
} from '../../src/index.js';
import { relativeMaxError } from '../helpers/fixtures.js';
import { lenetWithFixtureWeights } from './lenet-fixture.js';

/** The model's logit for `target` on `x`, with `layer`'s output changed in place by `edit` (if given). */
function logit(model: Module, x: Tensor, target: number, layer?: Module, edit?: (a: Float32Array) => void): number {
  const handle = layer?.registerForwardHook((_m, _i, out) => edit!(out.data));
  try {
    return model.call(x).data[target]!;
  } finally {
    handle?.remove();
  }
}

/**
 * Grad-CAM's α_k by central differences: shifting all of channel k of the layer's output by ±ε
 * changes the score by ±ε·Σ_ij ∂s/∂A_kij = ±ε·h·w·α_k.
 */
function alphaByDifferences(model: Module, x: Tensor, target: number, layer: Module, shape: readonly number[], eps: number): number[] {
  const [, k, h, w] = shape as [number, number, number, number];
  return Array.from({ length: k }, (_, ch) => {
    const shift = (d: number) => (a: Float32Array): void => { for (let i = ch * h * w; i < (ch + 1) * h * w; i++) a[i] += d; };
    return (logit(model, x, target, layer, shift(eps)) - logit(model, x, target, layer, shift(-eps))) / (2 * eps * h * w);
  });
}

/** ReLU(Σ_k α_k A_k) computed from `alpha` and the layer's output. */
function camFrom(alpha: readonly number[], a: Tensor): number[] {
  const [, k, h, w] = a.shape as [number, number, number, number];
  return Array.from({ length: h * w }, (_, i) => Math.max(0, alpha.reduce((s, al, ch) => s + al * a.data[ch * h * w + i]!, 0)));
}

function outputOf(model: Module, layer: Module, x: Tensor): Tensor {
  let captured: Tensor | null = null;
  const handle = layer.registerForwardHook((_m, _i, out) => { captured = out; });
  model.call(x);
  handle.remove();
  return captured!;
}

describe('saliency and Grad-CAM on LeNet-5 with PyTorch fixtures', () => {
  const { model, cases, image } = lenetWithFixtureWeights();
  model.eval();

  it.each(cases.map((c) => [c.name, c] as const))('saliency equals PyTorch: %s', (_name, c) => {
    const s = saliency(model, image, { target: c.args.target as number });
    expect(s.target).toBe(c.args.target);
    expect(s.score).toBeCloseTo(c.tensors.logits!.data[s.target]!, 5);
    expect(s.grad.shape).toEqual([1, 32, 32]);
    expect(relativeMaxError(s.grad, c.tensors.grad!)).toBeLessThanOrEqual(1e-5);
    expect(relativeMaxError(s.map, c.tensors.map!)).toBeLessThanOrEqual(1e-5);
  });

  it('saliency targets the predicted class by default', () => {
    expect(saliency(model, image).target).toBe(cases[0]!.args.predicted);
    expect(gradCam(model, image, { layer: 'conv2' }).target).toBe(cases[0]!.args.predicted);
  });

  for (const layer of ['conv1', 'relu1', 'pool1', 'conv2', 'relu2', 'pool2']) {
    it.each(cases.map((c) => [c.name, c] as const))(`Grad-CAM on ${layer} equals PyTorch: %s`, (_name, c) => {
      const g = gradCam(model, image, { layer, target: c.args.target as number });
      expect(g.layer).toBe(layer);
      expect(g.weights.length).toBe(c.tensors[`${layer}:alpha`]!.size);
      expect(relativeMaxError(Tensor.from(g.weights, [g.weights.length]), c.tensors[`${layer}:alpha`]!)).toBeLessThanOrEqual(1e-5);
      expect(relativeMaxError(g.cam, c.tensors[`${layer}:cam`]!)).toBeLessThanOrEqual(1e-5);
      expect(g.upsampled.shape).toEqual([32, 32]);
      expect(relativeMaxError(g.upsampled, c.tensors[`${layer}:upsampled`]!)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('saliency equals central differences of the logit', () => {
    const target = cases[1]!.args.target as number;
    const s = saliency(model, image, { target });
    const x = new Tensor(image.data.slice(), [1, 1, 32, 32]);
    const eps = 1e-2;
    for (const i of [0, 100, 300, 527, 528, 700, 1023]) {
      const at = (d: number): number => { const y = x.clone(); y.data[i] += d; return logit(model, y, target); };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      expect(Math.abs(numeric - s.grad.data[i]!)).toBeLessThanOrEqual(2e-3 * Math.max(1, Math.abs(numeric)));
    }
  });

  it('Grad-CAM weights equal central differences on conv2 and pool1', () => {
    const target = cases[1]!.args.target as number;
    const x = new Tensor(image.data.slice(), [1, 1, 32, 32]);
    for (const name of ['conv2', 'pool1'] as const) {
      const layer = model[name];
      const g = gradCam(model, image, { layer: name, target });
      const a = outputOf(model, layer, x);
      const numeric = alphaByDifferences(model, x, target, layer, a.shape, 2e-3);
      numeric.forEach((v, k) => expect(Math.abs(v - g.weights[k]!)).toBeLessThanOrEqual(2e-4 + 2e-3 * Math.abs(v)));
      camFrom(numeric, a).forEach((v, i) => expect(g.cam.data[i]!).toBeCloseTo(v, 3));
    }
  });

  it('leaves the model as it was: parameters require gradients, no .grad, training mode', () => {
    const fresh = lenetWithFixtureWeights().model;
    fresh.train();
    saliency(fresh, image);
    gradCam(fresh, image, { layer: 'conv1' });
    expect(fresh.parameters().every((p) => p.requiresGrad && p.grad === null)).toBe(true);
    expect(fresh.namedModules().every(([, m]) => m.training)).toBe(true);
  });

  it('names the layer and what was wrong', () => {
    expect(() => gradCam(model, image, { layer: 'conv9' })).toThrow("gradCam(layer 'conv9'): the model has no layer 'conv9' (layers: conv1, " +
      "relu1, pool1, conv2, relu2, pool2, flatten, fc1, relu3, fc2, relu4, fc3)");
    expect(() => gradCam(model, image, { layer: 'fc1' })).toThrow("gradCam(layer 'fc1'): layer 'fc1' (Linear) outputs [1,120], not feature maps [1,C,H,W]");
    expect(() => saliency(model, image, { target: 10 })).toThrow('saliency: target must be a class index in [0, 9], got 10');
    expect(() => saliency(model, Tensor.zeros([2, 1, 32, 32]))).toThrow('saliency: expected one image of shape [C,H,W] or [1,C,H,W], got [2,1,32,32]');
  });
});

/** A small residual network (a Flow model) with batch norm. */
class TinyResNet extends FlowModule {
  stem = new Conv2d(3, 8, 3, { padding: 1 });
  bn = new BatchNorm2d(8);
  relu = new ReLU();
  conv = new Conv2d(8, 8, 3, { padding: 1 });
  pool = new MaxPool2d(2);
  gap = new GlobalAvgPool2d();
  fc = new Linear(8, 4);
  flow(): Flow {
    return [this.stem, this.bn, residual([this.conv, new Sequential()]), this.pool, this.gap, this.fc];
  }
}

describe('Grad-CAM on Flow models', () => {
  it('a residual block: weights equal central differences', () => {
    manualSeed(3);
    const model = new TinyResNet();
    for (const [, b] of model.namedBuffers()) b.data.fill(0.5);
    model.eval();
    const x = Tensor.from(Array.from({ length: 3 * 8 * 8 }, (_, i) => Math.sin(i * 0.7)), [1, 3, 8, 8]);
    for (const name of ['bn', 'conv', 'pool'] as const) {
      const g = gradCam(model, x, { layer: name, target: 2 });
      const a = outputOf(model, model[name], x);
      const numeric = alphaByDifferences(model, x, 2, model[name], a.shape, 2e-3);
      numeric.forEach((v, k) => expect(Math.abs(v - g.weights[k]!)).toBeLessThanOrEqual(2e-4 + 2e-3 * Math.abs(v)));
      camFrom(numeric, a).forEach((v, i) => expect(g.cam.data[i]!).toBeCloseTo(v, 3));
      expect(g.upsampled.shape).toEqual([8, 8]);
    }
  });

  it("ResNet-18: Grad-CAM of a residual block by name ('layer3'); a module that runs twice is refused", () => {
    manualSeed(5);
    const model = zoo.resnet18({ numClasses: 5 });
    const x = Tensor.from(Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.cos(i * 0.013)), [1, 3, 32, 32]);
    const block = gradCam(model, x, { layer: 'layer3', target: 1 });
    expect(block.cam.shape).toEqual([2, 2]);
    expect(block.weights.length).toBe(256);
    expect(block.upsampled.shape).toEqual([32, 32]);
    expect(block.weights.some((w) => w !== 0)).toBe(true);
    expect(() => gradCam(model, x, { layer: 'layer1.0.relu' })).toThrow("gradCam(layer 'layer1.0.relu'): layer 'layer1.0.relu' ran 2 times in one forward pass; choose a layer that runs once");
  });
});

describe('Grad-CAM on Sequential models', () => {
  it('weights equal central differences', () => {
    manualSeed(9);
    const model = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Conv2d(4, 6, 3), new ReLU(), new Flatten(), new Linear(6 * 2 * 2, 3));
    const x = Tensor.from(Array.from({ length: 100 }, (_, i) => Math.sin(i)), [1, 1, 10, 10]);
    const layer = model.layers[3]!;
    const g = gradCam(model, x, { layer: '3', target: 0 });
    const numeric = alphaByDifferences(model, x, 0, layer, [1, 6, 2, 2], 2e-3);
    numeric.forEach((v, k) => expect(Math.abs(v - g.weights[k]!)).toBeLessThanOrEqual(2e-4 + 2e-3 * Math.abs(v)));
  });
});
