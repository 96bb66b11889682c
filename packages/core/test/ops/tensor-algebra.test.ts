import { describe, expect, it } from 'vitest';
import {
  abs, add, arange, argmax, argmin, cat, chunk, clamp, div, eq, exp, expand, eye, F, flatten, gather, ge, gt, indexSelect, le, linspace, log,
  logsumexp, lt, matmul, max, maximum, mean, min, minimum, mul, narrow, ne, neg, norm, permute, pow, select, split, sqrt, squeeze,
  stack, std, sub, sum, t, Tensor, transpose, unsqueeze, variance, where, type Operand, type PadMode,
} from '../../src/index.js';
import { loadTorchCases, relativeMaxError, type TorchCase } from '../helpers/fixtures.js';
import { gradCheck } from '../helpers/gradcheck.js';

type Args = Record<string, unknown>;
type Run = (inputs: Tensor[], args: Args) => Tensor | Tensor[];

const binaries: Record<string, (a: Operand, b: Operand) => Tensor> = {
  add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge,
};

/** A binary op applied to the inputs, or to one input and the case's number (left or right). */
const binary = (op: string): Run => ([a, b], args) => {
  const fn = binaries[op]!;
  if (args.scalar === undefined) return fn(a!, b!);
  return args.side === 'left' ? fn(args.scalar as number, a!) : fn(a!, args.scalar as number);
};

const dimArg = (args: Args): number | number[] | undefined => (args.dim === null ? undefined : (args.dim as number | number[]));
const p = (args: Args): number => (args.p === 'inf' ? Infinity : (args.p as number));

const ops: Record<string, Run> = {
  ...Object.fromEntries(Object.keys(binaries).map((op) => [op, binary(op)])),
  neg: ([x]) => neg(x!),
  exp: ([x]) => exp(x!),
  log: ([x]) => log(x!),
  sqrt: ([x]) => sqrt(x!),
  abs: ([x]) => abs(x!),
  clamp: ([x], a) => clamp(x!, a.min as number | null, a.max as number | null),
  where: ([c, a, b]) => where(c!, a!, b!),
  sum: ([x], a) => sum(x!, dimArg(a), a.keepdim as boolean),
  mean: ([x], a) => mean(x!, dimArg(a), a.keepdim as boolean),
  var: ([x], a) => variance(x!, dimArg(a), a.unbiased as boolean, a.keepdim as boolean),
  std: ([x], a) => std(x!, dimArg(a), a.unbiased as boolean, a.keepdim as boolean),
  logsumexp: ([x], a) => logsumexp(x!, dimArg(a)!, a.keepdim as boolean),
  norm: ([x], a) => norm(x!, p(a), dimArg(a), a.keepdim as boolean),
  max: ([x], a) => (a.dim === undefined ? max(x!) : Object.values(max(x!, a.dim as number, a.keepdim as boolean))),
  min: ([x], a) => (a.dim === undefined ? min(x!) : Object.values(min(x!, a.dim as number, a.keepdim as boolean))),
  argmax: ([x], a) => argmax(x!, a.dim as number | undefined, (a.keepdim as boolean | undefined) ?? false),
  argmin: ([x], a) => argmin(x!, a.dim as number | undefined, (a.keepdim as boolean | undefined) ?? false),
  matmul: ([a, b]) => matmul(a!, b!),
  transpose: ([x], a) => transpose(x!, a.dim0 as number, a.dim1 as number),
  t: ([x]) => t(x!),
  permute: ([x], a) => permute(x!, a.dims as number[]),
  reshape: ([x], a) => x!.reshape(a.shape as number[]),
  flatten: ([x], a) => flatten(x!, a.start as number, a.end as number),
  squeeze: ([x], a) => squeeze(x!, (a.dim as number | null) ?? undefined),
  unsqueeze: ([x], a) => unsqueeze(x!, a.dim as number),
  expand: ([x], a) => expand(x!, a.sizes as number[]),
  cat: (xs, a) => cat(xs, a.dim as number),
  stack: (xs, a) => stack(xs, a.dim as number),
  split: ([x], a) => split(x!, a.size as number | number[], a.dim as number),
  chunk: ([x], a) => chunk(x!, a.chunks as number, a.dim as number),
  narrow: ([x], a) => narrow(x!, a.dim as number, a.start as number, a.length as number),
  select: ([x], a) => select(x!, a.dim as number, a.index as number),
  indexSelect: ([x], a) => indexSelect(x!, a.dim as number, a.index as number[]),
  pad: ([x], a) => F.pad(x!, a.pad as number[], a.mode as PadMode, a.value as number),
  gather: ([x, index], a) => gather(x!, a.dim as number, index!),
  arange: (_, a) => arange((a.start as number | undefined) ?? 0, a.end as number, (a.step as number | undefined) ?? 1),
  linspace: (_, a) => linspace(a.start as number, a.end as number, a.steps as number),
  eye: (_, a) => eye(a.n as number, a.m as number),
};

const list = (out: Tensor | Tensor[]): Tensor[] => (Array.isArray(out) ? out : [out]);
const inputsOf = (c: TorchCase): Tensor[] => Array.from({ length: (c.args.inputs as number | undefined) ?? 0 }, (_, i) => c.tensors[`in_${i}`]!);

/** Runs a case: the outputs, and the inputs' gradients for `Σ_i sum(out_i · grad_out_i)`. */
function runCase(c: TorchCase): { outs: Tensor[]; grads: (Tensor | null)[] } {
  const leaves = inputsOf(c).map((x, i) => new Tensor(x.data.slice(), x.shape, c.tensors[`grad_in_${i}`] !== undefined));
  const outs = list(ops[c.op]!(leaves, c.args));
  let objective: Tensor | null = null;
  outs.forEach((o, i) => {
    const g = c.tensors[`grad_out_${i}`];
    if (g === undefined) return;
    const term = o.mul(g).sum();
    objective = objective === null ? term : objective.add(term);
  });
  if (objective !== null) (objective as Tensor).backward();
  return { outs, grads: leaves.map((l) => l.grad) };
}

const stems = ['tensor_elementwise', 'tensor_compare', 'tensor_reduce', 'tensor_matmul', 'tensor_shape', 'tensor_factories'];
const smooth = (c: TorchCase): boolean =>
  !/ties|zero|abs|clamp/.test(c.name) && !['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'argmax', 'argmin', 'gather'].includes(c.op) && c.tensors.grad_in_0 !== undefined;

describe.each(stems)('PyTorch fixtures %s', (stem) => {
  const cases = loadTorchCases(stem);

  it.each(cases.map((c) => [c.name, c] as const))('%s: outputs and gradients match', (_, c) => {
    const { outs, grads } = runCase(c);
    const expectedOuts = Object.keys(c.tensors).filter((k) => k.startsWith('out_'));
    expect(outs.length).toBe(expectedOuts.length);
    outs.forEach((o, i) => {
      const want = c.tensors[`out_${i}`]!;
      expect(o.shape).toEqual(want.shape);
      expect(relativeMaxError(o, want)).toBeLessThan(2e-6);
    });
    grads.forEach((g, i) => {
      const want = c.tensors[`grad_in_${i}`];
      if (want === undefined) return;
      expect(relativeMaxError(g ?? Tensor.zeros(want.shape), want)).toBeLessThan(2e-6);
    });
  });

  const differentiable = cases.filter(smooth);
  if (differentiable.length > 0) {
    it.each(differentiable.map((c) => [c.name, c] as const))('%s: finite differences agree', (_, c) => {
      const fn = (xs: Tensor[]): Tensor => {
        const outs = list(ops[c.op]!(xs, c.args)).filter((_, i) => c.tensors[`grad_out_${i}`] !== undefined);
        return cat(outs.map((o) => o.reshape([-1])));
      };
      // Ops with kinks (max, min, 1- and ∞-norms) need a step smaller than the gaps between values.
      const kinked = ['maximum', 'minimum', 'max', 'min'].includes(c.op) || (c.op === 'norm' && c.args.p !== 2 && c.args.p !== 3);
      expect(gradCheck(fn, inputsOf(c), { eps: kinked ? 1e-4 : 1e-2 })).toBeLessThan(1e-2);
    });
  }
});

describe('PyTorch fixtures tensor_repr', () => {
  it.each(loadTorchCases('tensor_repr').map((c) => [c.name, c] as const))('%s prints as PyTorch does', (_, c) => {
    expect(c.tensors.in_0!.toString()).toBe(c.args.text);
  });
});

describe('add without broadcasting', () => {
  it('passes the output gradient to each operand as it is (NaN, −0 and subnormals kept), twice for add(x, x)', () => {
    const g = Float32Array.of(1.5, -0, NaN, 1e-40, -3);
    const a = new Tensor(Float32Array.of(1, 2, 3, 4, 5), [5], true);
    const b = new Tensor(Float32Array.of(5, 4, 3, 2, 1), [5], true);
    add(a, b).backward(new Tensor(g.slice(), [5]));
    for (const t of [a, b]) expect(Array.from(t.grad!.data)).toEqual(Array.from(g));
    expect(a.grad!.data).not.toBe(b.grad!.data);
    const x = new Tensor(Float32Array.of(1, 2), [2], true);
    add(x, x).backward(new Tensor(Float32Array.of(0.25, -1), [2]));
    expect(Array.from(x.grad!.data)).toEqual([0.5, -2]);
  });
});
