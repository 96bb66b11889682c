import { DEFAULT_SUMMARY_COLUMNS, parseSummaryColumns, type SummaryColumn } from '@convlab/display';
import { checkOptions, opt } from '../options.js';
import { fail, formatShape } from '../errors.js';
import { FlowModule, isMerge, type Flow, type Merge } from '../nn/flow.js';
import { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import { Sequential } from '../nn/sequential.js';
import type { Pair } from '../shape/pair.js';
import { shapeSize, type Shape } from '../tensor.js';
import { layerRule } from './layer-rules.js';
import { applyFieldStep, inputFieldState, mergeFieldStates, type FieldState, type ReceptiveField } from './receptive-field.js';

/** Bytes per stored value: convlab computes in float32. */
export const BYTES_PER_VALUE = 4;

/** One layer call of a model (or one collapsed block, or a merge of parallel paths). */
export interface SummaryRow {
  /** Dotted module name as in `namedModules()` (`features.0`, `layer1.0.downsample.0`); a merge of paths is named inside its block (`layer1.0.add`, `inception3a.cat`). */
  readonly name: string;
  /** Nesting level: 1 for the model's direct children, 2 for theirs, … */
  readonly depth: number;
  /** Class name (`Conv2d`), or `Add` / `Concat` for a merge of paths. */
  readonly type: string;
  /** Arguments as PyTorch prints them (`3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1)`). */
  readonly arguments: string;
  /** Input shape of one sample, `[C, H, W]` or `[F]`. */
  readonly inputShape: readonly number[];
  /** Output shape of one sample. */
  readonly outputShape: readonly number[];
  /** Parameters first counted at this row (a module's own, or a collapsed block's). */
  readonly params: number;
  /** Of `params`, those with `requiresGrad`. */
  readonly trainable: number;
  /** `params / totals.params` (0 for a model without parameters). */
  readonly share: number;
  /** Multiply-accumulates for one sample (see {@link LayerAnalysis.macs}). */
  readonly macs: number;
  /** Bytes of the float32 outputs this row produces for one sample (every layer's, for a collapsed block). */
  readonly activationBytes: number;
  /** Field of one output unit in the input, or null when the output has no spatial layout or its units are not on a regular grid. */
  readonly receptiveField: ReceptiveField | null;
  /** Every output unit sees the whole input (a fully connected layer after the map, global pooling, or a field larger than the image). */
  readonly global: boolean;
}

/** Whole-model figures. */
export interface SummaryTotals {
  /** Every parameter of the model (`model.parameters()`), trainable or not. */
  readonly params: number;
  readonly trainable: number;
  readonly nonTrainable: number;
  /** Bytes of all parameters in float32. */
  readonly paramBytes: number;
  /** Multiply-accumulates of one forward pass of one sample. */
  readonly macs: number;
  /** Bytes of every layer's float32 output for one sample (what training keeps for the backward pass). */
  readonly activationBytes: number;
}

/** The analysis of a model for one input shape: plain data, formatted by `formatSummary` or `summaryJson`. */
export interface Summary {
  /** The model's class name. */
  readonly model: string;
  /** Input shape of one sample. */
  readonly inputShape: readonly number[];
  readonly rows: readonly SummaryRow[];
  readonly totals: SummaryTotals;
  /** The table columns after the layer's name, in order (`colNames`, or {@link DEFAULT_SUMMARY_COLUMNS}). */
  readonly columns: readonly SummaryColumn[];
}

export interface SummaryOptions {
  /** Deepest row level; deeper modules are folded into their ancestor's row. Default: every layer. */
  readonly depth?: number;
  /**
   * Which columns the tables show, in order, as torchinfo's `col_names`: any of `type`, `arguments`,
   * `outputSize`, `numParams`, `paramsPercent`, `trainable`, `multAdds`, `activationMemory`,
   * `receptiveField` (the layer's name always comes first). Default: all but `arguments` and `trainable`.
   * @example summary(model, [1, 32, 32], { colNames: ['outputSize', 'numParams', 'trainable'] })
   */
  readonly colNames?: readonly string[];
}

interface Activation {
  readonly shape: Shape;
  readonly field: FieldState;
}

/** Running sums over the layers visited so far. */
interface Counters {
  params: number;
  trainable: number;
  macs: number;
  activationBytes: number;
}

class Walk {
  readonly rows: SummaryRow[] = [];
  readonly counters: Counters = { params: 0, trainable: 0, macs: 0, activationBytes: 0 };
  private readonly counted = new Set<Parameter>();

  constructor(readonly image: Pair, readonly maxDepth: number, readonly totalParams: number) {}

  /** Visits `module`, called `name` at `depth` (0 for the model), on `x`; adds rows when `emit`. */
  module(module: Module, name: string, depth: number, x: Activation, emit: boolean): Activation {
    const before = { ...this.counters };
    this.countParameters(module, `summary: ${label(name, module)}`);
    const steps = containerSteps(module, name);
    if (steps === null) {
      const out = this.layer(module, name, x);
      if (emit) this.row(name, depth, module.typeName, module.extraRepr(), x, out, before);
      return out;
    }
    const expand = depth < this.maxDepth;
    const out = this.steps(steps, name, depth, x, emit && expand);
    if (emit && !expand) this.row(name, depth, module.typeName, module.extraRepr(), x, out, before);
    return out;
  }

  private layer(module: Module, name: string, x: Activation): Activation {
    const rule = layerRule(module);
    const where = `summary: ${label(name, module)}`;
    if (rule === null) {
      fail(where, `no shape rule for ${module.typeName}: build it from known layers, Sequential and FlowModule, or describe it with registerLayerRule`);
    }
    const a = rule.analyze(module, x.shape, where, this.image);
    this.count('macs', a.macs, 'MACs', where);
    this.count('activationBytes', shapeSize(a.output) * BYTES_PER_VALUE, 'output bytes', where);
    return { shape: a.output, field: applyFieldStep(x.field, a.field, x.shape, a.output, this.image) };
  }

  /** Runs the steps of the container `ownerName` at `depth`. */
  private steps(steps: readonly Step[], ownerName: string, depth: number, x: Activation, emit: boolean): Activation {
    let y = x;
    for (const step of steps) {
      const name = ownerName === '' ? step.name : `${ownerName}.${step.name}`;
      y = step.kind === 'module' ? this.module(step.module, name, depth + 1, y, emit) : this.merge(step, name, ownerName, depth, y, emit);
    }
    return y;
  }

  /** A merge inside the container `ownerName`: every path on `x`, then their sum or their channels stacked. */
  private merge(step: Step & { kind: 'merge' }, name: string, ownerName: string, depth: number, x: Activation, emit: boolean): Activation {
    const outs = step.paths.map((path) => this.steps(path, ownerName, depth, x, emit));
    const type = step.merge === 'add' ? 'Add' : 'Concat';
    const where = `summary: ${name} (${type})`;
    const first = outs[0]!.shape;
    outs.forEach((o, i) => {
      const agree = o.shape.length === first.length && o.shape.every((d, k) => d === first[k] || (step.merge === 'concat' && k === 0));
      if (!agree) {
        const rule = step.merge === 'add' ? 'paths give different shapes' : 'paths must agree in all but channels';
        fail(where, `${rule}: ${formatShape(first)} (path 1) and ${formatShape(o.shape)} (path ${i + 1})`);
      }
    });
    const shape = step.merge === 'add' ? first : [outs.reduce((c, o) => c + o.shape[0]!, 0), ...first.slice(1)];
    const out = { shape, field: mergeFieldStates(outs.map((o) => o.field), shape, this.image, where) };
    const before = { ...this.counters };
    this.count('activationBytes', shapeSize(shape) * BYTES_PER_VALUE, 'output bytes', where);
    if (emit) this.row(name, depth + 1, type, `${step.paths.length} paths`, x, out, before);
    return out;
  }

  /**
   * Adds `amount` to a running total, refusing anything that cannot be counted exactly in a
   * double (above 2^53): every row's figure is a difference of totals, so totals must be exact.
   */
  private count(counter: keyof Counters, amount: number, what: string, where: string): void {
    if (!Number.isSafeInteger(amount)) fail(where, `its ${what} (${amount}) are above 2^53 and cannot be counted exactly; use a smaller input`);
    const total = this.counters[counter] + amount;
    if (!Number.isSafeInteger(total)) fail(where, `the model's ${what} reach ${total}, above 2^53, and cannot be counted exactly; use a smaller input`);
    this.counters[counter] = total;
  }

  /** Counts `module`'s own parameters, each once over the whole model. */
  private countParameters(module: Module, where: string): void {
    for (const [, p] of module.ownParameters()) {
      if (this.counted.has(p)) continue;
      this.counted.add(p);
      this.count('params', p.size, 'parameters', where);
      if (p.requiresGrad) this.count('trainable', p.size, 'parameters', where);
    }
  }

  private row(name: string, depth: number, type: string, args: string, x: Activation, out: Activation, before: Counters): void {
    const params = this.counters.params - before.params;
    this.rows.push({
      name, depth, type, arguments: args,
      inputShape: [...x.shape],
      outputShape: [...out.shape],
      params,
      trainable: this.counters.trainable - before.trainable,
      share: this.totalParams === 0 ? 0 : params / this.totalParams,
      macs: this.counters.macs - before.macs,
      activationBytes: this.counters.activationBytes - before.activationBytes,
      receptiveField: out.shape.length === 3 ? out.field.field : null,
      global: out.field.global,
    });
  }
}

/** How errors name a module: `features.28 (Conv2d)`, or `(VGG)` for the model itself. */
const label = (name: string, module: Module): string => (name === '' ? `(${module.typeName})` : `${name} (${module.typeName})`);

/** One step of a container: a named child module, or a merge of paths (named alongside the owner's children). */
export type Step =
  | { readonly kind: 'module'; readonly name: string; readonly module: Module }
  | { readonly kind: 'merge'; readonly name: string; readonly merge: Merge['merge']; readonly paths: readonly (readonly Step[])[] };

/**
 * The steps of a Sequential or FlowModule, or null for a layer; throws for other containers.
 * `context` begins the errors (`summary`, `exportOnnx`).
 */
export function containerSteps(module: Module, name: string, context = 'summary'): readonly Step[] | null {
  if (module instanceof Sequential) return module.layers.map((layer, i) => ({ kind: 'module', name: String(i), module: layer }));
  const children = module.namedChildren();
  if (module instanceof FlowModule) {
    const names = new Map<Module, string>();
    for (const [childName, child] of children) if (!names.has(child)) names.set(child, childName);
    return flowSteps(module.flow(), names, module, name, context);
  }
  if (children.length === 0) return null;
  return fail(
    `${context}: ${label(name, module)}`,
    `cannot follow a hand-written forward without running data; describe the data flow with a FlowModule (or use Sequential)`,
  );
}

/** Flattens `flow` of `owner` (named `ownerName`, its children named by `names`) into named steps. */
function flowSteps(flow: Flow, names: ReadonlyMap<Module, string>, owner: Module, ownerName: string, context: string): Step[] {
  if (flow instanceof Module) {
    const name = names.get(flow);
    if (name === undefined) fail(`${context}: ${label(ownerName, owner)}`, `its flow() uses a ${flow.typeName} that is not one of its children`);
    return [{ kind: 'module', name, module: flow }];
  }
  if (isMerge(flow)) return [{ kind: 'merge', name: flow.name, merge: flow.merge, paths: flow.paths.map((path) => flowSteps(path, names, owner, ownerName, context)) }];
  return flow.flatMap((step) => flowSteps(step, names, owner, ownerName, context));
}

/**
 * Analyzes `model` for one sample of `inputShape` (`[C, H, W]`, or `[F]` for a vector model)
 * without weights or data: each layer's output shape, parameters, multiply-accumulates,
 * activation memory and receptive field (Araujo et al., Distill 2019), one row per layer call in
 * execution order, then totals. Works on models built inside `withoutWeights`, so VGG-16's 138M
 * parameters need not exist. Throws a ConvlabError naming the layer when the input is too small
 * or has the wrong shape, when merged paths disagree in shape or are not aligned,
 * and for modules whose data flow it cannot see (hand-written `forward`).
 *
 * @example summary(zoo.lenet5(), [1, 32, 32]).rows[2] // pool1: outputShape [6, 14, 14], receptiveField { size: [6, 6], stride: [2, 2], padding: [0, 0] }
 */
export function summary(model: Module, inputShape: readonly number[], options: SummaryOptions = {}): Summary {
  const where = `summary of ${model.typeName}`;
  if ((inputShape.length !== 3 && inputShape.length !== 1) || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    fail(where, `inputShape must be [C, H, W] or [F] with positive integers, got ${JSON.stringify(inputShape)}`);
  }
  checkOptions('summary', options, { depth: opt.integer, colNames: opt.array });
  const parsed = parseSummaryColumns(options.colNames ?? DEFAULT_SUMMARY_COLUMNS);
  if ('error' in parsed) fail(where, parsed.error);
  const maxDepth = options.depth ?? Infinity;
  if (!(maxDepth === Infinity || (Number.isInteger(maxDepth) && maxDepth >= 1))) fail(where, `depth must be a positive integer, got ${maxDepth}`);
  const params = model.parameters();
  const totalParams = params.reduce((n, p) => n + p.size, 0);
  const trainable = params.reduce((n, p) => n + (p.requiresGrad ? p.size : 0), 0);
  const image: Pair = inputShape.length === 3 ? [inputShape[1]!, inputShape[2]!] : [1, 1];
  const walk = new Walk(image, maxDepth, totalParams);
  walk.module(model, '', 0, { shape: [...inputShape], field: inputFieldState(inputShape) }, true);
  return {
    model: model.typeName,
    inputShape: [...inputShape],
    rows: walk.rows,
    totals: {
      params: totalParams,
      trainable,
      nonTrainable: totalParams - trainable,
      paramBytes: totalParams * BYTES_PER_VALUE,
      macs: walk.counters.macs,
      activationBytes: walk.counters.activationBytes,
    },
    columns: parsed.columns,
  };
}
