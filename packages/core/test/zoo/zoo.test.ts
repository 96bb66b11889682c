import { describe, expect, it } from 'vitest';
import { ConvlabError, summary, withoutWeights, zoo, type Module } from '../../src/index.js';
import { loadTorchCases } from '../helpers/fixtures.js';

/** What tests/fixtures/torch_cases/zoo.py records for one model. */
interface ZooReference {
  input: [number, number, number];
  totalParams: number;
  trainableParams: number;
  parameters: [string, number[]][];
  layers: [string, string, number[]][];
  macs: number;
}

const references = new Map(loadTorchCases('zoo').map((c) => [c.name, c.args as unknown as ZooReference]));

/** Fixture name → the convlab model (built without weights). */
const builders: Record<string, () => Module> = {
  lenet5: () => zoo.lenet5(),
  lenetCaffe: () => zoo.lenetCaffe(),
  alexnet: () => zoo.alexnet(),
  vgg11: () => zoo.vgg11(),
  vgg16: () => zoo.vgg16(),
  vgg16bn: () => zoo.vgg16bn(),
  resnet18: () => zoo.resnet18(),
  resnet34: () => zoo.resnet34(),
  resnet50: () => zoo.resnet50(),
  nin: () => zoo.nin(),
  googlenet: () => zoo.googlenet(),
  'resnet18-cifar': () => zoo.resnet18({ numClasses: 10 }),
  'vgg16-448': () => zoo.vgg16(),
};

describe('zoo models against torchvision 0.14 and the Caffe/PyTorch references', () => {
  it('covers every catalog entry', () => {
    expect(zoo.names).toEqual(['lenet5', 'lenetCaffe', 'alexnet', 'vgg11', 'vgg16', 'vgg16bn', 'resnet18', 'resnet34', 'resnet50', 'nin', 'googlenet', 'fcnResnet50']);
    // fcnResnet50's torchvision reference is its own fixture (zoo_fcn), checked in fcn.test.ts.
    const classifiers = zoo.names.filter((name) => zoo.catalog[name].task === 'classification');
    expect(classifiers).toEqual(zoo.names.slice(0, -1));
    for (const name of classifiers) expect(references.has(name)).toBe(true);
    expect([...references.keys()].sort()).toEqual(Object.keys(builders).sort());
  });

  for (const [name, build] of Object.entries(builders)) {
    it(`${name}: parameter names, shapes and count; every layer's output shape; MACs`, () => {
      const ref = references.get(name)!;
      const model = withoutWeights(build);
      expect(model.namedParameters().map(([n, p]) => [n, [...p.shape]])).toEqual(ref.parameters);
      const s = summary(model, ref.input);
      expect(s.totals.params).toBe(ref.totalParams);
      expect(s.totals.trainable).toBe(ref.trainableParams);
      expect(s.totals.macs).toBe(ref.macs);
      // PyTorch's hooks see modules only; convlab also lists the flatten, ReLU and pooling modules
      // that torchvision or the tutorial call as functions, and residual sums.
      const torchNames = new Set(ref.layers.map(([n]) => n));
      const rows = s.rows.filter((r) => torchNames.has(r.name)).map((r) => [r.name, r.type, r.outputShape]);
      expect(rows).toEqual(ref.layers);
    });
  }

  it('reproduces the published counts (exercises A.5, E.1, A.2)', () => {
    const params = (m: Module): number => summary(m, [3, 224, 224]).totals.params;
    const vgg = withoutWeights(() => zoo.vgg16());
    expect(params(vgg)).toBe(138_357_544);
    const fc = vgg.classifier.parameters().reduce((n, p) => n + p.size, 0);
    expect(fc).toBe(123_642_856);
    expect(fc / params(vgg)).toBeCloseTo(0.8936, 4);
    expect(summary(withoutWeights(() => zoo.lenet5()), [1, 32, 32]).totals.params).toBe(61_706);
    const caffe = summary(withoutWeights(() => zoo.lenetCaffe()), [1, 28, 28]);
    expect(caffe.totals.params).toBe(431_080);
    expect(caffe.rows.find((r) => r.name === 'ip1')).toMatchObject({ inputShape: [800], params: 400_500 });
  });

  it('takes numClasses and inChannels', () => {
    const lenet = withoutWeights(() => zoo.lenet5({ numClasses: 5, inChannels: 3 }));
    expect(lenet.conv1.weight.shape).toEqual([6, 3, 5, 5]);
    expect(lenet.fc3.weight.shape).toEqual([5, 84]);
    const resnet = withoutWeights(() => zoo.resnet50({ numClasses: 10, inChannels: 1 }));
    expect(resnet.conv1.weight.shape).toEqual([64, 1, 7, 7]);
    expect(resnet.fc.weight.shape).toEqual([10, 2048]);
    const nin = withoutWeights(() => zoo.nin({ numClasses: 10 }));
    expect(summary(nin, [3, 224, 224]).rows.at(-1)).toMatchObject({ name: 'avgpool', outputShape: [10] });
    expect(withoutWeights(() => zoo.vgg16bn({ numClasses: 7 })).classifier.layers[6]!.toString()).toBe('Linear(in_features=4096, out_features=7, bias=True)');
    expect(withoutWeights(() => zoo.alexnet({ inChannels: 1 })).features.layers[0]!.toString()).toBe('Conv2d(1, 64, kernel_size=(11, 11), stride=(4, 4), padding=(2, 2))');
  });

  it('byName builds a model with its input shape, and names the zoo for an unknown model', () => {
    const { model, inputShape } = withoutWeights(() => zoo.byName('lenetCaffe'));
    expect(model).toBeInstanceOf(zoo.LeNetCaffe);
    expect(inputShape).toEqual([1, 28, 28]);
    expect(withoutWeights(() => zoo.byName('resnet50')).inputShape).toEqual([3, 224, 224]);
    expect(() => zoo.byName('vgg19')).toThrow(ConvlabError);
    expect(() => zoo.byName('vgg19')).toThrow("zoo: unknown model 'vgg19'; the zoo has lenet5, lenetCaffe, alexnet, vgg11, vgg16, vgg16bn, resnet18, resnet34, resnet50, nin, googlenet, fcnResnet50");
    expect(() => zoo.byName('toString')).toThrow("unknown model 'toString'");
  });

  it('builds with fresh weights outside withoutWeights', () => {
    const model = zoo.lenet5();
    expect(model.parameters().every((p) => !p.isMeta)).toBe(true);
    expect(model.conv1.weight.data.some((v) => v !== 0)).toBe(true);
  });
});
