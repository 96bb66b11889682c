import { overwrittenGradientBuffer, recycleGradient } from './gradient-buffers.js';
import type { Tensor } from './tensor.js';

/**
 * One recorded op: its inputs and a backward function mapping the gradient of its output to the
 * gradients of its inputs (null where an input needs none). The values backward needs are kept in
 * the closure under their own names.
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (gradOutput: Float32Array) => readonly (Float32Array | null)[];
}

let gradEnabled = true;

/** True unless inside {@link noGrad}. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording gradients (inference). Nests; restores the previous mode. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** True when an op on `inputs` records its gradient: gradients are enabled and some input requires one. */
export function recordsGradient(inputs: readonly Tensor[]): boolean {
  return gradEnabled && inputs.some((t) => t.requiresGrad);
}

/**
 * Attaches `backward` to `output` when gradients are being recorded and any input requires them.
 * Ops call this once, after computing their output. Returns `output`.
 */
export function recordOp(
  output: Tensor,
  op: string,
  inputs: readonly Tensor[],
  backward: (gradOutput: Float32Array) => readonly (Float32Array | null)[],
): Tensor {
  if (recordsGradient(inputs)) {
    output.requiresGrad = true;
    output.gradNode = { op, inputs, backward };
  }
  return output;
}

/** Adds `source` into `target` element-wise. */
export function addInto(target: Float32Array, source: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i]!;
}

/** Backpropagates `seed` (the gradient of `root`) through the recorded graph. */
export function runBackward(root: Tensor, seed: Float32Array): void {
  if (!root.requiresGrad) {
    throw new Error('backward: this tensor does not require gradients (no input had requiresGrad, or it was computed in noGrad)');
  }
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, next] = top;
    const inputs = t.gradNode?.inputs ?? [];
    if (next < inputs.length) {
      top[1] = next + 1;
      const child = inputs[next]!;
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  const first = overwrittenGradientBuffer(seed.length);
  first.set(seed);
  const grads = new Map<Tensor, Float32Array>([[root, first]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i]!;
    const g = grads.get(t);
    if (g === undefined) continue;
    if (t.gradNode === null) {
      t.accumulateGrad(g);
      continue;
    }
    grads.delete(t);
    const inputGrads = t.gradNode.backward(g);
    // Each input gets an array of its own: one returned twice (or g passed through twice) is copied.
    const handedOut = new Set<Float32Array>();
    t.gradNode.inputs.forEach((input, k) => {
      const returned = inputGrads[k];
      if (!input.requiresGrad || returned === null || returned === undefined) return;
      const ig = handedOut.has(returned) ? copyGradient(returned) : returned;
      handedOut.add(ig);
      const existing = grads.get(input);
      if (existing === undefined) {
        grads.set(input, ig);
      } else {
        addInto(existing, ig);
        recycleGradient(ig);
      }
    });
    if (!inputGrads.some((ig) => ig?.buffer === g.buffer)) recycleGradient(g);
  }
}

/** A copy of `g` in a gradient buffer. */
function copyGradient(g: Float32Array): Float32Array {
  const copy = overwrittenGradientBuffer(g.length);
  copy.set(g);
  return copy;
}
