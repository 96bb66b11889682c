import { describe, expect, it } from 'vitest';
import { BatchNorm2d, Conv2d, loadStateDict, MaxPool2d, noGrad, ReLU, Sequential, traceKernels, zoo, type Module, type Tensor } from '../../src/index.js';
import { loadTorchCases, relativeMaxError } from '../helpers/fixtures.js';

const cases = new Map(loadTorchCases('zoo_forward').map((c) => [c.name, c]));

const downsample = (inPlanes: number, out: number): Sequential => new Sequential(new Conv2d(inPlanes, out, 1, { stride: 2, bias: false }), new BatchNorm2d(out));

/**
 * Loads torchvision's state into `block` (names must match exactly) and compares both modes'
 * outputs; returns the kernels eval mode called (where batch norms fold into their convs).
 */
function check(name: string, block: Module): string[] {
  const c = cases.get(name)!;
  const state = new Map(Object.entries(c.tensors).filter(([k]) => k.startsWith('state.')).map(([k, t]): [string, Tensor] => [k.slice(6), t]));
  loadStateDict(block, state);
  return noGrad(() => {
    const { result, calls } = traceKernels(() => block.eval().call(c.tensors['x']!));
    expect(relativeMaxError(result, c.tensors['out_eval']!)).toBeLessThan(1e-5);
    expect(relativeMaxError(block.train().call(c.tensors['x']!), c.tensors['out_train']!)).toBeLessThan(1e-5);
    return calls.map((k) => k.kernel);
  });
}

describe('residual and Inception blocks run like torchvision 0.14', () => {
  it('BasicBlock with a strided downsample shortcut (odd input size), its batch norms folded in eval mode', () => {
    const kernels = check('basic block 8->16 stride 2 with downsample', new zoo.BasicBlock(8, 16, 2, downsample(8, 16)));
    expect(kernels.filter((k) => k.startsWith('conv2d'))).toEqual(['conv2dBlockForward', 'conv2dBlockForward', 'conv2dBlockForward']);
    expect(kernels.filter((k) => k.startsWith('batchNorm'))).toEqual([]);
  });

  it('Conv2d with bias → BatchNorm2d → ReLU → MaxPool2d folded into one conv block in eval mode', () => {
    const model = new Sequential(new Conv2d(3, 8, 3, { padding: 1 }), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2));
    expect(check('conv with bias, batch norm, relu, max pool', model)).toEqual(['conv2dBlockForward']);
  });

  it('strided Conv2d → BatchNorm2d without affine parameters, folded in eval mode', () => {
    const model = new Sequential(new Conv2d(4, 6, 3, { stride: 2 }), new BatchNorm2d(6, { affine: false, eps: 1e-3 }));
    expect(check('strided conv with bias, batch norm without affine', model)).toEqual(['conv2dBlockForward']);
  });

  it('BasicBlock with the identity shortcut', () => {
    check('basic block 16->16 identity shortcut', new zoo.BasicBlock(16, 16, 1, null));
  });

  it('Bottleneck with the stride on its 3×3 conv', () => {
    check('bottleneck 16->32 stride 2 with downsample', new zoo.Bottleneck(16, 8, 2, downsample(16, 32)));
  });

  it('Inception: four branches stacked along the channels', () => {
    check('inception 8 -> 4+6+3+5', new zoo.Inception(8, 4, 3, 6, 2, 3, 5));
  });
});
