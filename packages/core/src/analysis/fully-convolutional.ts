import { fail } from '../errors.js';
import { Flatten } from '../nn/flatten.js';
import { FlowModule, isMerge, type Flow } from '../nn/flow.js';
import { Identity } from '../nn/identity.js';
import { Linear } from '../nn/linear.js';
import { linearToConv } from '../nn/linear-to-conv.js';
import { Module } from '../nn/module.js';
import { AdaptiveAvgPool2d, AvgPool2d, GlobalAvgPool2d } from '../nn/pooling.js';
import { Sequential } from '../nn/sequential.js';
import type { Shape } from '../tensor.js';
import { layerRule } from './layer-rules.js';
import { summary } from './summary.js';

/** A FlowModule rebuilt from another with some children replaced: same names, same flow. */
class RebuiltFlow extends FlowModule {
  // Plain data only: a Module-valued property would be registered as a child.
  private readonly steps: readonly Flow[];
  private readonly name: string;
  private readonly extra: string;

  constructor(original: FlowModule, replace: (child: Module) => Module) {
    super();
    const mapping = new Map<Module, Module>();
    for (const [name, child] of original.namedChildren()) {
      mapping.set(child, replace(child));
      this.addModule(name, mapping.get(child)!);
    }
    const map = (flow: Flow): Flow => {
      if (flow instanceof Module) return mapping.get(flow) ?? flow;
      if (isMerge(flow)) return { ...flow, paths: flow.paths.map(map) };
      return flow.map(map);
    };
    this.steps = [map(original.flow())];
    this.name = original.typeName;
    this.extra = original.extraRepr();
    this.training = original.training;
  }

  override get typeName(): string {
    return this.name;
  }

  override extraRepr(): string {
    return this.extra;
  }

  flow(): Flow {
    return this.steps;
  }
}

/** Whether `m` acts on each position alone, as its layer rule says, so it is kept as it is in the head. */
function perPosition(m: Module): boolean {
  return layerRule(m)?.perPosition?.(m) === true;
}

/**
 * Turns a classifier built for `[C, H, W]` inputs into a fully convolutional network (Long,
 * Shelhamer & Darrell, arXiv 1411.4038): on that input it computes the same scores, shaped
 * `[N, classes, 1, 1]`; on a larger input it returns a map of scores, one per window of the
 * original input size (spaced by the network's stride). Replacements, found by analyzing the model
 * at `inputShape`:
 * - Flatten of a map → Identity (the map stays `[C, H, W]`);
 * - a Linear layer after it → `linearToConv`: an H×W conv, then 1×1 convs for later Linear layers
 *   (weights shared with the original);
 * - adaptive average pooling → the fixed pooling it performs at this size (Identity when it
 *   changes nothing, as VGG's 7×7 at 224×224); global average pooling → an H×W average pooling.
 * Activations and dropout in the head are kept. Other modules are shared with the original, so
 * the two models train the same weights. Throws for heads it cannot convert.
 *
 * @example const fcn = fullyConvolutional(zoo.vgg16(), [3, 224, 224]) // on [1,3,384,384] → [1,1000,6,6]
 */
export function fullyConvolutional(model: Module, inputShape: readonly number[]): Module {
  const modules = new Map(model.namedModules());
  const replacements = new Map<Module, Module>();
  const replace = (m: Module, by: Module): void => {
    if (replacements.has(m)) fail(`fullyConvolutional(${model.typeName})`, `a ${m.typeName} used at two places cannot be converted`);
    replacements.set(m, by);
  };
  let head: Shape | null = null;
  for (const row of summary(model, inputShape).rows) {
    const where = `fullyConvolutional(${model.typeName}): ${row.name} (${row.type})`;
    const m = modules.get(row.name);
    if (m === undefined) {
      if (head !== null) fail(where, 'cannot convert a merge of paths after the classifier head starts');
      continue;
    }
    const input: Shape = head ?? row.inputShape;
    if (m instanceof Flatten) {
      if (input.length === 3) {
        if (!replacements.has(m)) replace(m, new Identity());
        head = input;
      }
    } else if (m instanceof Linear) {
      if (input.length !== 3) fail(where, `its input ${JSON.stringify(input)} is a vector from the model's input, not a map`);
      replace(m, linearToConv(m, input));
      head = [m.outFeatures, 1, 1];
    } else if (m instanceof GlobalAvgPool2d) {
      replace(m, new AvgPool2d([input[1]!, input[2]!]));
      head = [input[0]!, 1, 1];
    } else if (m instanceof AdaptiveAvgPool2d) {
      const [c, h, w] = input as [number, number, number];
      const [oh, ow] = m.outputSize;
      if (h === oh && w === ow) replace(m, new Identity());
      else if (h % oh === 0 && w % ow === 0) replace(m, new AvgPool2d([h / oh, w / ow]));
      else fail(where, `its windows from ${h}×${w} to ${oh}×${ow} are uneven, so it has no fixed-pooling equivalent`);
      if (head !== null) head = [c, oh, ow];
    } else if (head !== null && !perPosition(m)) {
      fail(where, 'only Linear layers, element-wise activations, softmax over dim 1, dropout, flatten and pooling can follow the first Linear layer');
    }
  }
  const rebuilt = new Map(replacements);
  const rebuild = (m: Module): Module => {
    let out = rebuilt.get(m);
    if (out !== undefined) return out;
    out = m;
    if (m instanceof Sequential) {
      const layers = m.layers.map(rebuild);
      if (layers.some((l, i) => l !== m.layers[i])) {
        out = new Sequential(...layers);
        out.training = m.training;
      }
    } else if (m instanceof FlowModule && m.namedChildren().some(([, c]) => rebuild(c) !== c)) {
      out = new RebuiltFlow(m, rebuild);
    }
    rebuilt.set(m, out);
    return out;
  };
  return rebuild(model);
}
