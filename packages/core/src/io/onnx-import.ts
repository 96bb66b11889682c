import { onnx } from 'onnx-proto';
import { fail } from '../errors.js';
import { FlowModule, type Flow } from '../nn/flow.js';
import type { Module } from '../nn/module.js';
import { GlobalAvgPool2d } from '../nn/pooling.js';
import { Sequential } from '../nn/sequential.js';
import { LAYER_OPERATORS, layerForNode, type Constant } from './onnx-layers.js';
import { foldGelus, foldPads } from './onnx-patterns.js';
import { FOLDED_OPERATORS, foldShapeArithmetic } from './onnx-shape-folding.js';
import { readAttributes, readTensor } from './onnx-tensors.js';

/** A container rebuilt from dotted node names (`layer1.0` of `layer1.0.conv1`), running its children as its flow says. */
export class OnnxBlock extends FlowModule {
  private readonly steps: Flow;

  /** `build` registers the children on the new block and returns its flow. */
  constructor(build: (block: OnnxBlock) => Flow) {
    super();
    this.steps = build(this);
  }

  flow(): Flow {
    return this.steps;
  }
}

/** A model imported by {@link importOnnx}: the graph's layers as a FlowModule, in eval mode. */
export class OnnxModel extends OnnxBlock {
  constructor(
    build: (block: OnnxBlock) => Flow,
    /** The graph's name (exportOnnx writes the model's class name), shown as the model's type. */
    readonly graphName: string,
    /** One sample's shape from the graph input (`[C, H, W]`), or null when not fixed. */
    readonly inputShape: readonly number[] | null,
    /** The ai.onnx operator set the file was written for. */
    readonly opset: number,
  ) {
    super(build);
  }

  override get typeName(): string {
    return this.graphName;
  }
}

/** A graph node after conversion: a layer, or a merge of several values. */
interface GraphNode {
  readonly name: string;
  readonly where: string;
  readonly inputs: readonly string[];
  readonly output: string;
  readonly layer: Module | null;
  readonly merge: 'add' | 'concat' | null;
}

/** A step of the recovered flow, named by its full dotted path (grouped into containers afterwards). */
type Item =
  | { readonly kind: 'module'; readonly path: string; readonly module: Module }
  | { readonly kind: 'merge'; readonly path: string; readonly merge: 'add' | 'concat'; readonly paths: readonly (readonly Item[])[] };

const DOTTED = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;
const SUPPORTED = [...LAYER_OPERATORS, 'Add', 'Sum', 'Concat', 'Pad (before a Conv)', 'Div → Erf → Add → Mul → Mul (GELU)', 'Constant'].join(', ') + ` and shape arithmetic on constants ` +
  `(${FOLDED_OPERATORS.join(', ')})`;


/**
 * Module paths for the nodes: a weight's state-dict prefix, else a dotted node name, else the name made safe;
 * unique, except that a repeated parameter-free layer (`relu`, `relu_1`) is one module called twice.
 */
class Namer {
  private readonly modules = new Map<string, { op: string; module: Module }>();

  name(node: onnx.INodeProto, index: number, layer: Module | null): { path: string; module: Module | null } {
    const weight = (node.input ?? []).find((n) => n.endsWith('.weight') && DOTTED.test(n.slice(0, -7)));
    const raw = node.name ?? '';
    let path = weight !== undefined ? weight.slice(0, -7) : DOTTED.test(raw) ? raw : raw.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    if (path === '') path = `${node.opType}_${index}`;
    const op = node.opType ?? '';
    const base = /^(.*)_\d+$/.exec(path)?.[1];
    const earlier = base === undefined ? undefined : this.modules.get(base);
    if (layer !== null && earlier !== undefined && earlier.op === op && layer.parameters().length === 0 && earlier.module.toString() === layer.toString()) {
      return { path: base!, module: earlier.module };
    }
    let unique = path;
    for (let i = 1; this.modules.has(unique); i++) unique = `${path}_${i}`;
    if (layer !== null) this.modules.set(unique, { op, module: layer });
    else this.modules.set(unique, { op, module: new Sequential() });
    return { path: unique, module: layer };
  }
}

/**
 * Reads an ONNX file into a convlab model with its weights: every node of the operator set
 * `exportOnnx` writes (Conv, ConvTranspose, Resize, Gemm, BatchNormalization, LayerNormalization,
 * MaxPool, AveragePool, GlobalAveragePool, Flatten, Reshape to a flatten, Dropout, Relu, Sigmoid,
 * Tanh, LeakyRelu, Gelu, Softmax, LogSoftmax, Identity) becomes a layer, and so does the exact
 * GELU written without Gelu (`Div → Erf → Add → Mul → Mul`); Add/Sum and Concat (channels) become merges of
 * paths; a Pad before a Conv becomes the conv's padding and padding mode (reflect, edge →
 * replicate, wrap → circular), and shape arithmetic on constants and on the input's shape (as
 * torch.onnx.export writes for Resize sizes and padding modes) is evaluated at import. Layers are
 * named after their weights' state-dict names or node names, and grouped into containers by
 * dotted names, so a file written by `exportOnnx` comes back with the original parameter names,
 * layers and summary. The graph must be one input → one output, built of chains, forks and
 * merges (series-parallel), as CNNs are. An unsupported operator is an error naming it and its
 * node. The model is in eval mode.
 *
 * @example const model = importOnnx(readFileSync('lenet.onnx')); summary(model, model.inputShape!)
 */
export function importOnnx(bytes: Uint8Array): OnnxModel {
  let proto: onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (error) {
    return fail('importOnnx', `not an ONNX model (${(error as Error).message})`);
  }
  if (proto.graph === null || proto.graph === undefined) return fail('importOnnx', 'the file has no graph');
  // Decoded messages are class instances: every field has a value (repeated ones an array).
  const graph = proto.graph as Omit<onnx.GraphProto, 'node' | 'initializer' | 'input' | 'output'> & {
    node: onnx.NodeProto[]; initializer: onnx.TensorProto[]; input: onnx.ValueInfoProto[]; output: onnx.ValueInfoProto[];
  };
  const opset = Number(proto.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0);
  if (opset < 7) fail('importOnnx', `needs the ai.onnx operator set, version ≥ 7; the file imports ${JSON.stringify(proto.opsetImport.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`))}`);

  const constants = new Map<string, Constant>();
  for (const t of graph.initializer) constants.set(t.name, readTensor(t, `importOnnx: initializer '${t.name}'`));
  const inputs = graph.input.filter((v) => !constants.has(v.name));
  if (inputs.length !== 1 || graph.output.length !== 1) fail('importOnnx', `expected one input and one output, got inputs [${inputs.map((v) => v.name).join(', ')}] ` +
    `and outputs [${graph.output.map((v) => v.name).join(', ')}]`);
  const input = inputs[0]!;
  const dims = input.type?.tensorType?.shape?.dim ?? [];
  const sample = dims.slice(1).map((d) => (d.dimValue === null || d.dimValue === undefined || Number(d.dimValue) === 0 ? NaN : Number(d.dimValue)));
  const inputShape = sample.length > 0 && sample.every((d) => d > 0) ? sample : null;
  const withConstants = graph.node.filter((n) => {
    if (n.opType !== 'Constant') return true;
    const value = n.attribute.find((a) => a.name === 'value')?.t;
    if (value === null || value === undefined) fail(`importOnnx: node '${n.name}' (Constant)`, 'only Constant nodes with a tensor value are supported');
    constants.set(n.output[0]!, readTensor(value, `importOnnx: node '${n.name}' (Constant)`));
    return false;
  });
  const { nodes, modes } = foldPads(foldGelus(foldShapeArithmetic(withConstants, constants, { name: input.name, dims: sample }), constants), constants, opset);

  const namer = new Namer();
  const converted: GraphNode[] = [];
  const absorbed = new Set<onnx.NodeProto>();
  nodes.forEach((node, index) => {
    if (absorbed.has(node)) return;
    const op = node.opType;
    const where = `importOnnx: node '${node.name}' (${op})`;
    const data = node.input.filter((n) => n !== '' && !constants.has(n));
    const nodeConstants = node.input.map((n) => constants.get(n));
    if (node.output.length !== 1 && op !== 'Dropout') fail(where, `expected one output, got ${node.output.length}`);
    if (op === 'Add' || op === 'Sum' || op === 'Concat') {
      if (data.length !== node.input.length) fail(where, `${op} of a constant is not supported (only merges of paths)`);
      if (op === 'Concat' && readAttributes(node).get('axis') !== 1) fail(where, `only Concat along the channels (axis 1) is supported, got axis ${readAttributes(node).get('axis')}`);
      const { path } = namer.name(node, index, null);
      converted.push({ name: path, where, inputs: data, output: node.output[0]!, layer: null, merge: op === 'Concat' ? 'concat' : 'add' });
      return;
    }
    let layer = layerForNode({ node, opset, where, constants: nodeConstants, paddingMode: modes.get(node) });
    if (layer === null) fail(where, `unsupported operator ${op}; convlab imports ${SUPPORTED}`);
    let output = node.output[0]!;
    if (op === 'GlobalAveragePool' && node.docString === 'GlobalAvgPool2d()') {
      const flatten = nodes.find((n) => n.input[0] === output && n.opType === 'Flatten' && n.docString === node.docString);
      if (flatten !== undefined) {
        absorbed.add(flatten);
        layer = new GlobalAvgPool2d();
        output = flatten.output[0]!;
      }
    }
    if (data.length !== 1) fail(where, `expected one computed input, got ${data.length} (${data.join(', ')})`);
    const named = namer.name(node, index, layer);
    converted.push({ name: named.path, where, inputs: data, output, layer: named.module, merge: null });
  });

  const items = recoverFlow(converted, input.name, graph.output[0]!.name);
  const model = new OnnxModel((block) => nest(items, '', block), DOTTED.test(graph.name) ? graph.name : 'OnnxModel', inputShape, opset);
  return model.eval();
}

/** Rebuilds the steps from `input` to `output`: chains of layers, and forks whose paths meet again at one Add/Sum/Concat. */
function recoverFlow(nodes: readonly GraphNode[], input: string, output: string): Item[] {
  const consumers = new Map<string, GraphNode[]>();
  for (const n of nodes) for (const v of n.inputs) consumers.set(v, [...(consumers.get(v) ?? []), n]);
  const used = new Set<GraphNode>();
  const item = (n: GraphNode): Item => ({ kind: 'module', path: n.name, module: n.layer! });

  /** Follows `v` until the graph ends (stop null) or a merge node is reached by a single path (stop = that node). */
  const chain = (start: string): { items: Item[]; end: string; stop: GraphNode | null } => {
    const items: Item[] = [];
    let v = start;
    for (;;) {
      const next = consumers.get(v) ?? [];
      if (next.length === 0) return { items, end: v, stop: null };
      if (next.length === 1 && next[0]!.merge !== null) return { items, end: v, stop: next[0]! };
      if (next.length === 1) {
        used.add(next[0]!);
        items.push(item(next[0]!));
        v = next[0]!.output;
        continue;
      }
      const branches = next.map((n) => {
        if (n.merge !== null) return { items: [], end: v, stop: n };
        used.add(n);
        const rest = chain(n.output);
        return { ...rest, items: [item(n), ...rest.items] };
      });
      const merge = branches[0]!.stop;
      if (merge === null || branches.some((b) => b.stop !== merge) || merge.inputs.length !== branches.length) {
        fail(`importOnnx: value '${v}'`, 'its consumers do not meet again at one Add, Sum or Concat; convlab imports graphs made of chains, forks and merges');
      }
      used.add(merge);
      const paths = merge.inputs.map((name) => {
        const at = branches.findIndex((b) => b.end === name);
        if (at < 0) fail(merge.where, `its input '${name}' does not come from the fork at '${v}'`);
        return branches.splice(at, 1)[0]!.items;
      });
      items.push({ kind: 'merge', path: merge.name, merge: merge.merge!, paths });
      v = merge.output;
    }
  };
  const { items, end, stop } = chain(input);
  if (stop !== null) fail(stop.where, 'merges values that do not come from one fork; convlab imports graphs made of chains, forks and merges');
  if (end !== output) fail('importOnnx', `the chain from input ends at '${end}', not at the graph output '${output}'`);
  const unused = nodes.find((n) => !used.has(n));
  if (unused !== undefined) fail(unused.where, 'is not on the path from the input to the output');
  return items;
}

const relative = (path: string, owner: string): string => (owner === '' ? path : path.slice(owner.length + 1));
const inside = (it: Item, prefix: string): boolean => it.path.startsWith(`${prefix}.`) && (it.kind === 'module' || it.paths.every((p) => p.every((i) => inside(i, prefix))));

/**
 * Groups `items` (full paths, all inside `owner`) into this level's flow, registering each child
 * with `block`: consecutive items under the same next name segment become one container
 * (a Sequential when its children are `0`, `1`, … in order, else an OnnxBlock).
 */
function nest(items: readonly Item[], owner: string, block: Module): Flow {
  const flow: Flow[] = [];
  for (let i = 0; i < items.length; ) {
    const it = items[i]!;
    const rel = relative(it.path, owner);
    const segment = rel.split('.')[0]!;
    const prefix = owner === '' ? segment : `${owner}.${segment}`;
    if (rel.includes('.') && inside(it, prefix)) {
      const group: Item[] = [];
      while (i < items.length && inside(items[i]!, prefix)) group.push(items[i++]!);
      const child = container(group, prefix);
      block.addModule(segment, child);
      flow.push(child);
      continue;
    }
    const name = rel.replace(/\./g, '_');
    if (it.kind === 'module') {
      block.addModule(name, it.module);
      flow.push(it.module);
    } else {
      flow.push({ merge: it.merge, name, paths: it.paths.map((p) => nest(p, owner, block)) });
    }
    i++;
  }
  return flow;
}

function container(items: readonly Item[], path: string): Module {
  const sequential = items.every((it, k) => it.kind === 'module' && relative(it.path, path) === String(k));
  if (sequential) return new Sequential(...items.map((it) => (it as Item & { kind: 'module' }).module));
  return new OnnxBlock((block) => nest(items, path, block));
}
