import { recordsGradient } from '../autograd.js';
import { conv2dBatchNorm } from '../ops/conv2d-batch-norm.js';
import { conv2dBlock } from '../ops/conv2d-block.js';
import type { Tensor } from '../tensor.js';
import { ReLU } from './activation.js';
import { BatchNorm2d } from './batch-norm2d.js';
import { Conv2d } from './conv2d.js';
import { foldable, foldBatchNorm } from './fold-batch-norm.js';
import { hasForwardHooks, Module } from './module.js';
import { MaxPool2d } from './pooling.js';

type LayerClass = abstract new (...args: never[]) => Module;

/**
 * A fusible pattern: consecutive layers of exactly these classes (not subclasses, whose forward
 * may differ) that run as one op with the same results bit for bit — except the patterns that
 * fold a BatchNorm2d into the conv's weights (`evalOnly`), which match the separate layers within
 * float32 rounding (see {@link foldBatchNorm}). Adding a pattern = one entry in {@link FUSIONS}.
 */
export interface Fusion {
  /** How plans and `explainPlan` name it: `conv2d+relu+maxPool2d`. */
  readonly name: string;
  readonly layers: readonly LayerClass[];
  /** Whether the fused op records gradients; when not, it runs only where no gradient is recorded. */
  readonly recordsGradient: boolean;
  /** Runs only on layers in eval mode (its batch norm with running statistics, see {@link foldable}). */
  readonly evalOnly: boolean;
  /** Runs the matched layers (in `layers` order) on `x` as one op. */
  run(layers: readonly Module[], x: Tensor): Tensor;
}

/**
 * A Conv2d with an optional BatchNorm2d (folded into its weights), ReLU and MaxPool2d after it, as
 * one {@link conv2dBlock}.
 */
function convBlock(conv: Conv2d, bn: BatchNorm2d | null, relu: boolean, pool: MaxPool2d | null, x: Tensor): Tensor {
  const { weight, bias } = bn === null ? conv : foldBatchNorm(conv, bn);
  return conv2dBlock(conv.padInput(x), weight, bias, conv.convOptions, { relu, maxPool: pool?.poolOptions ?? null }, {
    conv: conv.label,
    pool: pool?.label ?? 'maxPool2d',
  });
}

/** A Conv2d, a BatchNorm2d and optionally a ReLU and a MaxPool2d after it, as one {@link conv2dBatchNorm}. */
function convNorm(conv: Conv2d, norm: BatchNorm2d, relu: boolean, pool: MaxPool2d | null, x: Tensor): Tensor {
  const { tensors, options } = norm.nextNormalization();
  return conv2dBatchNorm(conv.padInput(x), conv.weight, conv.bias, conv.convOptions, tensors, options, { relu, maxPool: pool?.poolOptions ?? null }, {
    conv: conv.label, norm: norm.label, pool: pool?.label ?? 'maxPool2d',
  });
}

/**
 * Every fusible pattern, in order of preference: at each step the first that matches (and may run
 * there) wins. In eval mode with no gradient recorded, Conv2d → BatchNorm2d (→ ReLU (→ MaxPool2d))
 * runs with the batch norm folded into the conv; elsewhere Conv2d → BatchNorm2d (→ ReLU (→ MaxPool2d))
 * and Conv2d → ReLU fuse in training too; Conv2d (→ ReLU) → MaxPool2d only where no gradient is recorded.
 */
export const FUSIONS: readonly Fusion[] = [
  {
    name: 'conv2d+foldedBatchNorm2d+relu+maxPool2d', layers: [Conv2d, BatchNorm2d, ReLU, MaxPool2d], recordsGradient: false, evalOnly: true,
    run: ([conv, bn, , pool], x) => convBlock(conv as Conv2d, bn as BatchNorm2d, true, pool as MaxPool2d, x),
  },
  {
    name: 'conv2d+foldedBatchNorm2d+relu', layers: [Conv2d, BatchNorm2d, ReLU], recordsGradient: false, evalOnly: true,
    run: ([conv, bn], x) => convBlock(conv as Conv2d, bn as BatchNorm2d, true, null, x),
  },
  {
    name: 'conv2d+foldedBatchNorm2d', layers: [Conv2d, BatchNorm2d], recordsGradient: false, evalOnly: true,
    run: ([conv, bn], x) => convBlock(conv as Conv2d, bn as BatchNorm2d, false, null, x),
  },
  {
    name: 'conv2d+batchNorm2d+relu+maxPool2d', layers: [Conv2d, BatchNorm2d, ReLU, MaxPool2d], recordsGradient: true, evalOnly: false,
    run: ([conv, norm, , pool], x) => convNorm(conv as Conv2d, norm as BatchNorm2d, true, pool as MaxPool2d, x),
  },
  {
    name: 'conv2d+batchNorm2d+relu', layers: [Conv2d, BatchNorm2d, ReLU], recordsGradient: true, evalOnly: false,
    run: ([conv, norm], x) => convNorm(conv as Conv2d, norm as BatchNorm2d, true, null, x),
  },
  {
    name: 'conv2d+batchNorm2d', layers: [Conv2d, BatchNorm2d], recordsGradient: true, evalOnly: false,
    run: ([conv, norm], x) => convNorm(conv as Conv2d, norm as BatchNorm2d, false, null, x),
  },
  {
    name: 'conv2d+relu+maxPool2d', layers: [Conv2d, ReLU, MaxPool2d], recordsGradient: false, evalOnly: false,
    run: ([conv, , pool], x) => convBlock(conv as Conv2d, null, true, pool as MaxPool2d, x),
  },
  {
    name: 'conv2d+relu', layers: [Conv2d, ReLU], recordsGradient: true, evalOnly: false,
    run: ([conv], x) => convBlock(conv as Conv2d, null, true, null, x),
  },
  {
    name: 'conv2d+maxPool2d', layers: [Conv2d, MaxPool2d], recordsGradient: false, evalOnly: false,
    run: ([conv, pool], x) => convBlock(conv as Conv2d, null, false, pool as MaxPool2d, x),
  },
];

/** Whether the layers' modes let `fusion` run: an `evalOnly` one needs its batch norm {@link foldable} into its conv. */
export function modeFits(fusion: Fusion, layers: readonly Module[]): boolean {
  return !fusion.evalOnly || foldable(layers[0] as Conv2d, layers[1] as BatchNorm2d);
}

/** One step of a plan: a step run by itself, or the start of runs that may fuse (first that fits wins). */
export interface PlanStep<S> {
  readonly step: S;
  /** Fusions whose layer classes match the steps from here on; empty when the step runs alone. */
  readonly fusions: readonly Fusion[];
}

const exactly = (step: unknown, type: LayerClass): boolean =>
  step instanceof Module && Object.getPrototypeOf(step) === type.prototype;

/** The plan of a run of steps: which fusions match where, from the layer classes alone. */
export function planSteps<S>(steps: readonly S[]): PlanStep<S>[] {
  return steps.map((step, i) => ({
    step,
    fusions: FUSIONS.filter((f) => f.layers.every((type, k) => exactly(steps[i + k], type))),
  }));
}

/**
 * Runs a plan on `x`: each step with `runStep`, except where a fusion fits. A fusion fits when none
 * of its layers has a forward hook (so hooks, e.g. captureActivations, see every layer's output),
 * if it records no gradient, when none will be recorded for `x` and the layers' parameters, and if
 * it is `evalOnly`, when its batch norm is {@link foldable} into its conv.
 */
export function runPlan<S>(plan: readonly PlanStep<S>[], x: Tensor, runStep: (step: S, input: Tensor) => Tensor): Tensor {
  let y = x;
  for (let i = 0; i < plan.length; ) {
    const { step, fusions } = plan[i]!;
    const layers = (f: Fusion): Module[] => plan.slice(i, i + f.layers.length).map((p) => p.step as Module);
    const fits = (f: Fusion): boolean => {
      const ls = layers(f);
      if (ls.some(hasForwardHooks) || !modeFits(f, ls)) return false;
      return f.recordsGradient || !recordsGradient([y, ...ls.flatMap((l) => l.parameters())]);
    };
    const fusion = fusions.find(fits);
    if (fusion === undefined) {
      y = runStep(step, y);
      i++;
    } else {
      y = fusion.run(layers(fusion), y);
      i += fusion.layers.length;
    }
  }
  return y;
}
