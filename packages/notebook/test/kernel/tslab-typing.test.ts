import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';

// The tslab kernel's own compiler (tslab/dist/converter: TypeScript with its settings: ES2022,
// module ESNext, Node10 resolution, not strict) checks notebook-style code that reads tensor
// values with at/tolist and uses the PyTorch-shaped namespaces, with no cast and no `!`.
const require = createRequire(import.meta.url);
const { createConverter } = require('tslab/dist/converter') as {
  createConverter: () => { convert: (prevDecl: string, src: string) => { diagnostics: { messageText: string; start: { line: number } }[] }; close: () => void };
};

const converter = createConverter();
afterAll(() => converter.close());

/** Compiles `src` as one notebook cell; returns the messages of its diagnostics with their line. */
function diagnostics(src: string): string[] {
  return converter.convert('', src).diagnostics.map((d) => `line ${d.start.line + 1}: ${d.messageText}`);
}

/** `true` only when A and B are the same type, so `const _: Same<…> = true` fails to compile otherwise. */
const prelude = `
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
`;

describe('notebook code under the tslab kernel compiler', () => {
  it('reads values with at/tolist and uses nn, F, optim and data without casts', () => {
    const cell = `${prelude}
import { tensor, zeros, randn, arange, manualSeed, Tensor, nn, F, optim, data } from '@convlab/core';
manualSeed(0);
const x = tensor([[1, 2, 3], [4, 5, 6]]);
const rows = x.tolist();
const typedRows: Same<typeof rows, number[][]> = true;
const first: number = x.tolist()[1][2] + x.at(0, -1) + x.sum().item();
const images = randn([2, 3, 4, 4]);
const pixel: number = images.at(0, 1, 3, 2);
const cube: number[][][][] = images.tolist();
const vector: number[] = arange(6).tolist();
const flat: number[] = images.flatten().tolist();
const grid: number[][] = images.reshape([6, -1]).tolist();
const scalar: number = tensor(2.5).tolist();
const fromModel = new nn.Linear(3, 2).call(x);
const viaShape: number[][] = fromModel.reshape([2, 2]).tolist();
const w = zeros([3, 2], { requiresGrad: true });
const loss = F.mseLoss(x.matmul(w), zeros([2, 2]));
loss.backward();
const g: number = w.grad.at(2, 1);
const conv = new nn.Conv2d(3, 6, 3, { padding: 1 });
const y = F.relu(conv.call(images));
const { values, indices } = y.max(1);
const best: number = indices.at(0, 0, 0) + values.at(1, 3, 3);
const opt = new optim.SGD(conv.parameters(), { lr: 0.1 });
const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 1 });
const loaderType: typeof data.DataLoader = data.DataLoader;
const unused: Tensor[] = [x, y];
console.log(first, pixel, cube, vector, flat, grid, scalar, viaShape, g, best, sched, loaderType, unused, typedRows);
`;
    expect(diagnostics(cell)).toEqual([]);
  });

  it('catches a wrong reading (the check can fail)', () => {
    const cell = `${prelude}
import { tensor } from '@convlab/core';
const rows: number[][][] = tensor([[1, 2], [3, 4]]).tolist();
const text: string = tensor([1, 2]).at(0);
`;
    expect(diagnostics(cell)).toEqual([
      "line 5: Type 'number[][]' is not assignable to type 'number[][][]'.",
      "line 5: Type 'number[]' is not assignable to type 'number[][]'.",
      "line 5: Type 'number' is not assignable to type 'number[]'.",
      "line 6: Type 'number' is not assignable to type 'string'.",
    ]);
  });
});
