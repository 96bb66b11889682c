import { recordsGradient } from '../autograd.js';
import { conv2dBlock } from '../ops/conv2d-block.js';
import type { Tensor } from '../tensor.js';
import { ReLU } from './activation.js';
import { Conv2d } from './conv2d.js';
import { Module } from './module.js';
import { MaxPool2d } from './pooling.js';

/** A layer of exactly class `type` (not a subclass, whose forward may differ) with no forward hook. */
function plain<T extends Module>(step: unknown, type: abstract new (...args: never[]) => T): step is T {
  return step instanceof Module && Object.getPrototypeOf(step) === type.prototype && !step.hasForwardHooks;
}

/**
 * The fusable run starting at `steps[i]`: a Conv2d followed by a ReLU, a MaxPool2d, or both in that
 * order, all plain (see {@link plain}); null when there is none. The conv alone is not a run.
 */
function fusableRun(steps: readonly unknown[], i: number): { conv: Conv2d; relu: boolean; pool: MaxPool2d | null } | null {
  const conv = steps[i];
  if (!plain(conv, Conv2d)) return null;
  const relu = plain(steps[i + 1], ReLU);
  const next = steps[i + (relu ? 2 : 1)];
  const pool = plain(next, MaxPool2d) ? next : null;
  if (!relu && pool === null) return null;
  return { conv, relu, pool };
}

/**
 * Runs `steps` on `x` one after another with `runStep`, except that each Conv2d → ReLU in a row
 * runs as one fused {@link conv2dBlock} (the ReLU applied as the conv writes its output, and the
 * same gradients), and where no gradient will be recorded, a MaxPool2d after them (or right after
 * the conv) joins the block too: the same results bit for bit, without the full-size
 * intermediates. Layers with a forward hook are never fused, so hooks (e.g. captureActivations)
 * see every layer's output.
 */
export function runSteps<S>(steps: readonly S[], x: Tensor, runStep: (step: S, input: Tensor) => Tensor): Tensor {
  let y = x;
  for (let i = 0; i < steps.length; ) {
    const run = fusableRun(steps, i);
    const training = run !== null && recordsGradient([y, ...run.conv.parameters()]);
    if (run !== null && (!training || run.relu)) {
      const { conv } = run;
      const pool = training ? null : run.pool;
      y = conv2dBlock(y, conv.weight, conv.bias, conv.convOptions, { relu: run.relu, maxPool: pool?.poolOptions ?? null }, {
        conv: conv.label,
        pool: pool?.label ?? 'maxPool2d',
      });
      i += 1 + (run.relu ? 1 : 0) + (pool === null ? 0 : 1);
    } else {
      y = runStep(steps[i]!, y);
      i++;
    }
  }
  return y;
}
