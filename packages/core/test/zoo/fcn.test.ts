import { describe, expect, it } from 'vitest';
import { Tensor, crossEntropy, noGrad, summary, withoutWeights, zoo } from '../../src/index.js';
import { loadTorchCases } from '../helpers/fixtures.js';

interface FcnReference {
  params: number;
  stateDict: [string, number[]][];
  outShapes: Record<string, number[]>;
}

const reference = loadTorchCases('zoo_fcn')[0]!.args as unknown as FcnReference;

describe('fcnResnet50 (torchvision fcn_resnet50, no auxiliary classifier)', () => {
  const model = withoutWeights(() => zoo.fcnResnet50());

  it("has torchvision's parameter count and state-dict names and shapes", () => {
    expect(model.parameters().reduce((s, p) => s + p.size, 0)).toBe(reference.params);
    expect(reference.params).toBe(32_957_013);
    const ours = [...model.namedParameters(), ...model.namedBuffers()].map(([name, t]) => [name, [...t.shape]]);
    expect(new Map(ours)).toEqual(new Map(reference.stateDict));
  });

  it("gives the input's H×W back in its summary, for any input size", () => {
    for (const [size, out] of Object.entries(reference.outShapes)) {
      const [h, w] = JSON.parse(size) as [number, number];
      const s = summary(model, [3, h, w]);
      expect(s.rows.at(-1)!.outputShape).toEqual(out.slice(1));
      expect(s.totals.params).toBe(reference.params);
    }
    const rows = summary(model, [3, 224, 224], { depth: 2 }).rows.map((r) => [r.name, r.outputShape]);
    expect(summary(model, [3, 224, 224], { depth: 1 }).rows.map((r) => [r.name, r.outputShape])).toEqual([
      ['backbone', [2048, 28, 28]],
      ['classifier', [21, 28, 28]],
      ['upsample', [21, 224, 224]],
    ]);
    expect(rows.find(([n]) => n === 'backbone.layer3')![1]).toEqual([1024, 28, 28]);
    expect(rows.at(-1)).toEqual(['upsample', [21, 224, 224]]);
  });

  it('runs forward and backward on a small image, with per-pixel cross-entropy', () => {
    const small = zoo.fcnResnet50({ numClasses: 3 });
    const x = Tensor.full([1, 3, 20, 28], 0.5);
    const labels = Tensor.from(Array.from({ length: 20 * 28 }, (_, i) => i % 3), [1, 20, 28]);
    const scores = small.call(x);
    expect(scores.shape).toEqual([1, 3, 20, 28]);
    crossEntropy(scores, labels).backward();
    expect(small.classifier.layers[4]!.parameters()[0]!.grad!.shape).toEqual([3, 512, 1, 1]);
    small.eval();
    expect(noGrad(() => small.call(x)).shape).toEqual([1, 3, 20, 28]);
    expect(() => zoo.fcnResnet50({ num_classes: 3 } as never)).toThrow('fcnResnet50: unknown option num_classes, did you mean numClasses?');
  });
});
