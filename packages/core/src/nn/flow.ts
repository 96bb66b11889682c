import { addRelu } from '../ops/add-relu.js';
import { add } from '../ops/binary.js';
import { cat } from '../ops/cat.js';
import type { Tensor } from '../tensor.js';
import { ReLU } from './activation.js';
import { planSteps, runPlan } from './plan.js';
import { hasForwardHooks, Module } from './module.js';

/**
 * Paths that all start from the same input, merged by adding their outputs element-wise (a
 * residual connection) or by stacking their channels (an Inception block). `name` names the merge
 * in summaries (`layer1.0.add`, `inception3a.cat`).
 */
export interface Merge {
  readonly merge: 'add' | 'concat';
  readonly name: string;
  readonly paths: readonly Flow[];
}

/**
 * How data moves through a {@link FlowModule}'s children, as data that both `forward` and the
 * analysis (`summary`, receptive fields) read:
 * - a module: call it;
 * - an array: one step after another (`[]` is the identity: the input itself; fusible
 *   runs such as Conv2d → ReLU run as one op, see `explainPlan`);
 * - a {@link Merge}: run every path on the same input and merge the results.
 */
export type Flow = Module | readonly Flow[] | Merge;

/**
 * A residual connection `main(x) + shortcut(x)`; the default shortcut `[]` is the identity.
 * @example residual([this.conv1, this.bn1, this.relu, this.conv2, this.bn2], this.downsample ?? [])
 */
export function residual(main: Flow, shortcut: Flow = [], name = 'add'): Merge {
  return { merge: 'add', name, paths: [main, shortcut] };
}

/**
 * Parallel paths whose outputs are stacked along the channels, in order (`torch.cat(…, 1)`).
 * @example concatChannels([this.branch1, this.branch2, this.branch3, this.branch4])
 */
export function concatChannels(paths: readonly Flow[], name = 'cat'): Merge {
  return { merge: 'concat', name, paths };
}

/** Runs `flow` on `x` (see {@link Flow}). */
export function runFlow(flow: Flow, x: Tensor): Tensor {
  if (flow instanceof Module) return flow.call(x);
  if (isMerge(flow)) {
    const outs = flow.paths.map((path) => runFlow(path, x));
    return flow.merge === 'add' ? outs.reduce((a, b) => add(a, b)) : cat(outs, 1, flow.name);
  }
  return runSteps(flow, x);
}

/** Whether `step` is a ReLU (exactly) without forward hooks, which may fuse with the sum before it. */
const plainRelu = (step: Flow | undefined): boolean =>
  step instanceof Module && Object.getPrototypeOf(step) === ReLU.prototype && !hasForwardHooks(step);

/**
 * Runs steps one after another: runs of layers as planned (`runPlan`), and an 'add' merge of two
 * same-shaped paths followed by a ReLU without hooks as one {@link addRelu} (a residual block's
 * end: the same values and gradients bit for bit, without the intermediate sum).
 */
function runSteps(steps: readonly Flow[], x: Tensor): Tensor {
  let y = x;
  let start = 0;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (!isMerge(step) || step.merge !== 'add' || step.paths.length !== 2 || !plainRelu(steps[i + 1])) continue;
    y = runPlan(planSteps(steps.slice(start, i)), y, runFlow);
    const [a, b] = step.paths.map((path) => runFlow(path, y)) as [Tensor, Tensor];
    const same = a.shape.length === b.shape.length && a.shape.every((d, k) => d === b.shape[k]);
    y = same ? addRelu(a, b, step.name) : (steps[i + 1] as Module).call(add(a, b));
    start = i + 2;
    i++;
  }
  return runPlan(planSteps(steps.slice(start)), y, runFlow);
}

/** True when `flow` is a {@link Merge} (not a module and not an array of steps). */
export function isMerge(flow: Flow): flow is Merge {
  return !(flow instanceof Module) && !Array.isArray(flow);
}

/**
 * A module whose forward is described by {@link FlowModule.flow} instead of written by hand, so
 * that `summary()` can follow it without running data. Children are ordinary fields, so their
 * parameters keep PyTorch's names (`layer1.0.conv1.weight`, `layer1.0.downsample.0.weight`).
 *
 * @example
 * class BasicBlock extends FlowModule {
 *   conv1 = new Conv2d(64, 64, 3, { padding: 1, bias: false });
 *   bn1 = new BatchNorm2d(64);
 *   relu = new ReLU();
 *   conv2 = new Conv2d(64, 64, 3, { padding: 1, bias: false });
 *   bn2 = new BatchNorm2d(64);
 *   flow(): Flow { return [residual([this.conv1, this.bn1, this.relu, this.conv2, this.bn2]), this.relu]; }
 * }
 */
export abstract class FlowModule extends Module {
  /** The children's data flow; every module in it must be a child of this one. */
  abstract flow(): Flow;

  forward(x: Tensor): Tensor {
    return runFlow(this.flow(), x);
  }
}
