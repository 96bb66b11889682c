import { FlowModule, isMerge, type Flow } from './flow.js';
import { Module } from './module.js';
import { modeFits, planSteps } from './plan.js';
import { Sequential } from './sequential.js';

/**
 * How `model` will run, one line per step in order: a module by itself, or a run of layers that
 * fuse into one op (`runPlan`). A fusion that records no gradient runs only where none is recorded
 * (under `noGrad`, or for inputs and weights that need none); the line then names what runs instead
 * while training. Fusions that fold a batch norm are listed for models in eval mode (`model.eval()`)
 * only, as they run. Layers with a forward hook are never fused. Merges list their paths indented.
 *
 * @example console.log(explainPlan(zoo.lenet5()))
 * // LeNet5
 * //   conv1 Conv2d + relu1 ReLU + pool1 MaxPool2d: fused conv2d+relu+maxPool2d (recording gradients: conv2d+relu)
 * //   …
 */
export function explainPlan(model: Module): string {
  const names = new Map(model.namedModules().map(([name, m]) => [m, name] as const));
  const label = (m: Module): string => `${names.get(m) ?? '?'} ${m.typeName}`.trim();
  const lines = [model.typeName];
  const out = (depth: number, text: string): void => void lines.push(`${'  '.repeat(depth)}${text}`);

  const steps = (list: readonly Flow[], depth: number): void => {
    const plan = planSteps(list);
    for (let i = 0; i < plan.length; ) {
      const { step } = plan[i]!;
      const fusions = plan[i]!.fusions.filter((f) => modeFits(f, plan.slice(i, i + f.layers.length).map((p) => p.step as Module)));
      const [first, ...others] = fusions;
      if (first === undefined) {
        flow(step, depth);
        i++;
        continue;
      }
      const layers = plan.slice(i, i + first.layers.length).map((p) => label(p.step as Module));
      const training = first.recordsGradient ? '' : ` (recording gradients: ${others.find((f) => f.recordsGradient)?.name ?? 'each alone'})`;
      out(depth, `${layers.join(' + ')}: fused ${first.name}${training}`);
      i += first.layers.length;
    }
  };
  const flow = (f: Flow, depth: number): void => {
    if (f instanceof Module) module(f, depth);
    else if (isMerge(f)) {
      out(depth, `${f.name}: ${f.merge} of ${f.paths.length} paths`);
      f.paths.forEach((path, k) => {
        out(depth + 1, `path ${k + 1}${Array.isArray(path) && path.length === 0 ? ': identity' : ''}`);
        flow(path, depth + 2);
      });
    } else steps(f, depth);
  };
  const module = (m: Module, depth: number): void => {
    if (m !== model) out(depth, label(m));
    const inner = m === model ? depth : depth + 1;
    if (m instanceof Sequential) steps(m.layers, inner);
    else if (m instanceof FlowModule) flow(m.flow(), inner);
    else for (const [, child] of m.namedChildren()) module(child, inner);
  };
  module(model, 1);
  return lines.join('\n');
}
