import { onnx } from 'onnx-proto';
import { adaptiveWindow, layerRule } from '../analysis/layer-rules.js';
import { containerSteps, type Step } from '../analysis/summary.js';
import { fail, formatShape } from '../errors.js';
import { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from '../nn/activation.js';
import { BatchNorm1d, BatchNorm2d } from '../nn/batch-norm2d.js';
import { ConvTranspose2d } from '../nn/conv-transpose2d.js';
import { Conv2d } from '../nn/conv2d.js';
import { Dropout, Dropout2d } from '../nn/dropout.js';
import { Flatten } from '../nn/flatten.js';
import { Identity } from '../nn/identity.js';
import { LayerNorm } from '../nn/layer-norm.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { AdaptiveAvgPool2d, AvgPool2d, GlobalAvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { Upsample } from '../nn/upsample.js';
import type { InterpolateOptions } from '../ops/interpolate.js';
import { resolveConvPadding } from '../shape/conv-geometry.js';
import type { Pair } from '../shape/pair.js';
import type { Shape, Tensor } from '../tensor.js';
import { UpsampleToInput } from '../zoo/fcn.js';
import { attribute, DEFAULT_OPSET, floatTensor, int64Tensor, IR_VERSION, OPSET_RANGE } from './onnx-tensors.js';
import { checkOptions, opt } from '../options.js';

/** Options of {@link exportOnnx}. */
export interface OnnxExportOptions {
  /** ONNX operator set version (ai.onnx domain), 13–17. Default 13. */
  readonly opset?: number;
  /** The graph input's name. Default `'input'`. */
  readonly inputName?: string;
  /** The graph output's name. Default `'output'`. */
  readonly outputName?: string;
}

/** A value flowing through the graph: its name and the shape of one sample. */
interface Value {
  readonly name: string;
  readonly shape: Shape;
}

/** Collects nodes and initializers while the model's flow is walked. */
class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private readonly valueNames = new Set<string>();

  constructor(readonly inputName: string) {
    this.valueNames.add(inputName);
  }

  /**
   * Adds a node named by the module's dotted name (`name`, or `name_1`, … when the module runs
   * again: node names are unique) and returns its output value, named like the node.
   */
  node(opType: string, name: string, inputs: readonly string[], attributes: onnx.IAttributeProto[], doc: string): string {
    let output = name;
    for (let i = 1; this.valueNames.has(output); i++) output = `${name}_${i}`;
    this.valueNames.add(output);
    this.nodes.push({ opType, name: output, input: [...inputs], output: [output], attribute: attributes, docString: doc });
    return output;
  }

  /** Adds a parameter or buffer as an initializer under its state-dict name. */
  tensor(name: string, t: Tensor, where: string): string {
    if (t.isMeta) fail(where, `'${name}' has no values (model built without weights)`);
    if (!this.valueNames.has(name)) {
      this.valueNames.add(name);
      this.initializers.push(floatTensor(name, t.shape, t.data));
    }
    return name;
  }

  /**
   * Adds a constant input of a node (a float tensor, `[n]` unless `dims` says, a float scalar, or
   * an int64 shape vector), once per name (a layer called again reuses it).
   */
  constant(name: string, values: readonly number[] | Float32Array, kind: 'float' | 'scalar' | 'int64', dims: readonly number[] = kind === 'scalar' ? [] : [values.length]): string {
    if (this.initializers.some((t) => t.name === name)) return name;
    this.valueNames.add(name);
    this.initializers.push(kind === 'int64' ? int64Tensor(name, [...values]) : floatTensor(name, dims, Float32Array.from(values)));
    return name;
  }
}

const pads = (p: { top: number; left: number; bottom: number; right: number }): number[] => [p.top, p.left, p.bottom, p.right];

/**
 * ONNX `pads` and `ceil_mode` of a pooling layer on `input` giving `output` (`[C, H, W]`). ONNX
 * before opset 19 rounds up without PyTorch's rule that drops a last window starting in the right
 * padding; where that rule applies, the windows are written in floor mode with extra end padding,
 * which pooling ignores (max) or does not count (average without `countIncludePad`).
 */
function poolPads(m: MaxPool2d | AvgPool2d, input: Shape, output: Shape, where: string): { pads: number[]; ceil: number } {
  const dilation = m instanceof MaxPool2d ? m.dilation : [1, 1];
  const span = [0, 1].map((a) => dilation[a]! * (m.kernelSize[a]! - 1) + 1);
  const plain = [...m.padding, ...m.padding];
  if (!m.ceilMode) return { pads: plain, ceil: 0 };
  const roundedUp = [0, 1].map((a) => Math.ceil((input[a + 1]! + 2 * m.padding[a]! - span[a]!) / m.stride[a]!) + 1);
  if (roundedUp[0] === output[1] && roundedUp[1] === output[2]) return { pads: plain, ceil: 1 };
  if (m instanceof AvgPool2d && m.countIncludePad) {
    fail(where, `ceil mode drops a last window that starts in the padding here, which ONNX's AveragePool (opset ` +
      `< 19) cannot express while counting the padding; use countIncludePad: false or another input size`);
  }
  const end = [0, 1].map((a) => (output[a + 1]! - 1) * m.stride[a]! + span[a]! - input[a + 1]! - m.padding[a]!);
  return { pads: [...m.padding, ...end], ceil: 0 };
}
const join = (prefix: string, name: string): string => (prefix === '' ? name : `${prefix}.${name}`);

/** Walks a model's flow (like `summary`) and writes one ONNX node per layer call and per merge. */
class Exporter {
  /** `image`: the input's spatial size, `[H, W]` (`[1, 1]` for a vector input), as summary passes it to the layer rules. */
  constructor(private readonly graph: GraphBuilder, private readonly image: Pair, private readonly opset: number) {}

  module(module: Module, name: string, x: Value): Value {
    const steps = containerSteps(module, name, 'exportOnnx');
    return steps === null ? this.layer(module, name, x) : this.steps(steps, name, x);
  }

  private steps(steps: readonly Step[], owner: string, x: Value): Value {
    let y = x;
    for (const step of steps) {
      const name = join(owner, step.name);
      if (step.kind === 'module') {
        y = this.module(step.module, name, y);
        continue;
      }
      const outs = step.paths.map((path) => this.steps(path, owner, y));
      const inputs = outs.map((o) => o.name);
      if (step.merge === 'add') {
        y = { name: this.graph.node(outs.length === 2 ? 'Add' : 'Sum', name, inputs, [], `${outs.length} paths added`), shape: outs[0]!.shape };
      } else {
        const channels = outs.reduce((c, o) => c + o.shape[0]!, 0);
        y = { name: this.graph.node('Concat', name, inputs, [attribute('axis', 1)], `${outs.length} paths' channels stacked`), shape: [channels, ...outs[0]!.shape.slice(1)] };
      }
    }
    return y;
  }

  private layer(m: Module, name: string, x: Value): Value {
    const where = `exportOnnx: ${name === '' ? `(${m.typeName})` : `${name} (${m.typeName})`}`;
    const rule = layerRule(m);
    if (rule === null) fail(where, `no ONNX operator for ${m.typeName}`);
    const shape = rule.analyze(m, x.shape, where, this.image).output;
    const doc = m.toString();
    const g = this.graph;
    const param = (field: string, t: Tensor): string => g.tensor(join(name, field), t, where);
    const node = (op: string, inputs: readonly string[], attributes: onnx.IAttributeProto[] = []): Value => ({ name: g.node(op, name, inputs, attributes, doc), shape });
    if (m instanceof Conv2d) {
      const p = resolveConvPadding(m.padding, m.kernelSize, m.dilation, m.stride, where);
      let input = x.name;
      if (m.paddingMode === 'circular') {
        fail(where, `paddingMode 'circular' needs ONNX's Pad mode 'wrap' (opset 19); convlab writes opsets ${OPSET_RANGE[0]}–${OPSET_RANGE[1]}, whose Pad only reflects or repeats the edge`);
      }
      if (m.paddingMode !== 'zeros') {
        const padsInput = g.constant(join(name, 'pads'), [0, 0, p.top, p.left, 0, 0, p.bottom, p.right], 'int64');
        input = g.node('Pad', join(name, 'pad'), [x.name, padsInput], [attribute('mode', m.paddingMode === 'reflect' ? 'reflect' : 'edge')], doc);
      }
      const inputs = [input, param('weight', m.weight), ...(m.bias === null ? [] : [param('bias', m.bias)])];
      return node('Conv', inputs, [
        attribute('kernel_shape', m.kernelSize), attribute('strides', m.stride), attribute('pads', m.paddingMode === 'zeros' ? pads(p) : [0, 0, 0, 0]),
        attribute('dilations', m.dilation), attribute('group', m.groups),
      ]);
    }
    if (m instanceof ConvTranspose2d) {
      const inputs = [x.name, param('weight', m.weight), ...(m.bias === null ? [] : [param('bias', m.bias)])];
      return node('ConvTranspose', inputs, [
        attribute('kernel_shape', m.kernelSize), attribute('strides', m.stride), attribute('pads', [...m.padding, ...m.padding]),
        attribute('output_padding', m.outputPadding), attribute('dilations', m.dilation), attribute('group', m.groups),
      ]);
    }
    if (m instanceof Upsample || m instanceof UpsampleToInput) {
      const options: InterpolateOptions = m instanceof Upsample ? m.options : { size: [shape[1]!, shape[2]!], mode: 'bilinear', alignCorners: false };
      return node('Resize', this.resizeInputs(x.name, name, options), resizeAttributes(options));
    }
    if (m instanceof MaxPool2d) {
      const p = poolPads(m, x.shape, shape, where);
      return node('MaxPool', [x.name], [
        attribute('kernel_shape', m.kernelSize), attribute('strides', m.stride), attribute('pads', p.pads),
        attribute('dilations', m.dilation), attribute('ceil_mode', p.ceil),
      ]);
    }
    if (m instanceof AvgPool2d) {
      const p = poolPads(m, x.shape, shape, where);
      return node('AveragePool', [x.name], [
        attribute('kernel_shape', m.kernelSize), attribute('strides', m.stride), attribute('pads', p.pads),
        attribute('ceil_mode', p.ceil), attribute('count_include_pad', m.countIncludePad ? 1 : 0),
      ]);
    }
    if (m instanceof AdaptiveAvgPool2d) {
      const rows = adaptiveWindow(x.shape[1]!, m.outputSize[0]);
      const cols = adaptiveWindow(x.shape[2]!, m.outputSize[1]);
      if (rows.whole && cols.whole) return node('GlobalAveragePool', [x.name]);
      if (rows.regular === null || cols.regular === null) {
        fail(where, `its windows on a ${x.shape[1]}×${x.shape[2]} map are not one regular grid, which ONNX's AveragePool needs; export ` +
          `with an input size whose map divides into ${m.outputSize[0]}×${m.outputSize[1]} (e.g. the model's designed input)`);
      }
      return node('AveragePool', [x.name], [
        attribute('kernel_shape', [rows.regular[0], cols.regular[0]]), attribute('strides', [rows.regular[1], cols.regular[1]]),
      ]);
    }
    if (m instanceof GlobalAvgPool2d) {
      const pooled = g.node('GlobalAveragePool', name, [x.name], [], doc);
      return node('Flatten', [pooled], [attribute('axis', 1)]);
    }
    if (m instanceof Linear) return node('Gemm', [x.name, param('weight', m.weight), ...(m.bias === null ? [] : [param('bias', m.bias)])], [attribute('transB', 1)]);
    if (m instanceof BatchNorm2d || m instanceof BatchNorm1d) {
      if (m.runningMean === null || m.runningVar === null) fail(where, 'batch norm without running statistics (trackRunningStats: false) ' +
        'normalises with batch statistics, which ONNX inference cannot do');
      const c = m.numFeatures;
      const scale = m.weight === null ? g.constant(join(name, 'ones'), new Float32Array(c).fill(1), 'float') : param('weight', m.weight);
      const shift = m.bias === null ? g.constant(join(name, 'zeros'), new Float32Array(c), 'float') : param('bias', m.bias);
      return node('BatchNormalization', [x.name, scale, shift, param('running_mean', m.runningMean), param('running_var', m.runningVar)], [
        attribute('epsilon', m.eps, 'float'), attribute('momentum', 1 - (m.momentum ?? 0.1), 'float'),
      ]);
    }
    if (m instanceof Flatten) {
      if (shape.length === 1) return node('Flatten', [x.name], [attribute('axis', 1)]);
      return node('Reshape', [x.name, g.constant(join(name, 'shape'), [0, ...shape], 'int64')]);
    }
    if (m instanceof LayerNorm) {
      if (this.opset < 17) fail(where, `ONNX has LayerNormalization from opset 17 on; export with { opset: 17 } (got opset ${this.opset})`);
      const size = m.normalizedShape.reduce((a, b) => a * b, 1);
      const scale = m.weight === null ? g.constant(join(name, 'ones'), new Float32Array(size).fill(1), 'float', m.normalizedShape) : param('weight', m.weight);
      const shift = m.bias === null ? g.constant(join(name, 'zeros'), new Float32Array(size), 'float', m.normalizedShape) : param('bias', m.bias);
      return node('LayerNormalization', [x.name, scale, shift], [attribute('axis', -m.normalizedShape.length), attribute('epsilon', m.eps, 'float')]);
    }
    if (m instanceof Dropout || m instanceof Dropout2d) return node('Dropout', [x.name, g.constant(join(name, 'ratio'), [m.p], 'scalar')]);
    if (m instanceof GELU) {
      // ONNX has Gelu from opset 20 only: x·Φ(x) = x·(1 + erf(x/√2))·0.5, the nodes torch.onnx.export writes.
      if (m.approximate !== 'none') fail(where, `GELU with approximate '${m.approximate}' is not exported; ONNX before opset ` +
        `20 has no Gelu, and convlab writes the exact form only (x·(1 + erf(x/√2))/2)`);
      const scaled = g.node('Div', join(name, 'div'), [x.name, g.constant(join(name, 'sqrt2'), [Math.SQRT2], 'scalar')], [], 'x/√2');
      const erf = g.node('Erf', join(name, 'erf'), [scaled], [], 'erf(x/√2)');
      const plusOne = g.node('Add', join(name, 'add'), [erf, g.constant(join(name, 'one'), [1], 'scalar')], [], '1 + erf(x/√2)');
      const times = g.node('Mul', join(name, 'mul'), [x.name, plusOne], [], 'x·(1 + erf(x/√2))');
      return node('Mul', [times, g.constant(join(name, 'half'), [0.5], 'scalar')]);
    }
    if (m instanceof ReLU) return node('Relu', [x.name]);
    if (m instanceof Sigmoid) return node('Sigmoid', [x.name]);
    if (m instanceof Tanh) return node('Tanh', [x.name]);
    if (m instanceof LeakyReLU) return node('LeakyRelu', [x.name], [attribute('alpha', m.negativeSlope, 'float')]);
    if (m instanceof Softmax) return node('Softmax', [x.name], [attribute('axis', m.dim)]);
    if (m instanceof LogSoftmax) return node('LogSoftmax', [x.name], [attribute('axis', m.dim)]);
    if (m instanceof Identity) return node('Identity', [x.name]);
    return fail(where, `no ONNX operator for ${m.typeName}`);
  }

  /**
   * Resize's inputs: `[x, '', scales]` with constant scales `[1, 1, sH, sW]` for a scale factor;
   * for a fixed size, sizes `[N, C, H_out, W_out]` from x's own batch and channels (the batch is
   * dynamic): `Concat(Slice(Shape(x), 0, 2), [H_out, W_out])`, as torch.onnx.export writes it.
   */
  private resizeInputs(x: string, name: string, options: InterpolateOptions): string[] {
    const g = this.graph;
    const pair = (v: number | readonly [number, number]): number[] => (typeof v === 'number' ? [v, v] : [...v]);
    if (options.scaleFactor !== undefined) return [x, '', g.constant(join(name, 'scales'), [1, 1, ...pair(options.scaleFactor)], 'float')];
    const shape = g.node('Shape', join(name, 'shape'), [x], [], 'the input\'s shape');
    const leading = g.node('Slice', join(name, 'batch_channels'), [shape, g.constant(join(name, 'starts'), [0], 'int64'), g.constant(join(name, 'ends'), [2], 'int64')], [], 'N and C');
    const sizes = g.node('Concat', join(name, 'sizes'), [leading, g.constant(join(name, 'size'), pair(options.size!), 'int64')], [attribute('axis', 0)], 'N, C, H_out, W_out');
    return [x, '', '', sizes];
  }
}

/**
 * Resize's attributes for PyTorch's sampling: nearest reads `floor(i / scale)` (`asymmetric`,
 * `floor`); bilinear samples at `(i + 0.5) / scale − 0.5` (`half_pixel`, clamped at 0 by the
 * linear mode as PyTorch does) or, with alignCorners, at `i·(n − 1)/(out − 1)` (`align_corners`).
 */
function resizeAttributes(options: InterpolateOptions): onnx.IAttributeProto[] {
  if ((options.mode ?? 'nearest') === 'nearest') {
    return [attribute('mode', 'nearest'), attribute('coordinate_transformation_mode', 'asymmetric'), attribute('nearest_mode', 'floor')];
  }
  return [attribute('mode', 'linear'), attribute('coordinate_transformation_mode', options.alignCorners === true ? 'align_corners' : 'half_pixel')];
}

/**
 * The model as an ONNX file (inference graph: batch norm uses its running statistics, dropout is
 * the identity), for one sample shape `inputShape` (`[C, H, W]`, or `[F]`) and any batch size:
 * input `[batch, …inputShape]` named `input`, output `[batch, …]` named `output`. Every layer
 * call becomes one node named by its module (`features.0`, `layer1.0.conv1`, `layer1.0.relu_1`
 * for a module's second call; a merge
 * `layer1.0.add` is an Add, `inception3a.cat` a Concat along channels) whose doc string is the
 * layer's repr; parameters and batch-norm statistics are initializers under their state-dict
 * names (`features.0.weight`, `bn1.running_mean`). A conv with paddingMode 'reflect' or
 * 'replicate' is a Pad node (`conv1.pad`, mode reflect or edge) before a Conv with pads 0;
 * 'circular' needs Pad's 'wrap' (opset 19) and is refused. ConvTranspose2d is a ConvTranspose;
 * Upsample (and the FCN's upsampling to its input size) a Resize with PyTorch's sampling: constant
 * scales for a scale factor, or sizes computed from the input's batch and channels
 * (`Shape → Slice → Concat`, the batch being dynamic) for a fixed size. GELU (exact form) is
 * `Div(x, √2) → Erf → Add(1) → Mul(x) → Mul(0.5)`, ONNX's Gelu being opset 20; LayerNorm a
 * LayerNormalization, which needs `{ opset: 17 }`; Dropout2d a Dropout; BatchNorm1d a
 * BatchNormalization. Models are followed like
 * `summary` follows them (Sequential and FlowModule containers); a layer without an ONNX operator,
 * or an adaptive pooling whose windows do not form one regular grid on this input, is an error naming it.
 *
 * @example writeFileSync('lenet.onnx', exportOnnx(zoo.lenet5(), [1, 32, 32]))
 */
export function exportOnnx(model: Module, inputShape: readonly number[], options: OnnxExportOptions = {}): Uint8Array {
  checkOptions('exportOnnx', options, { opset: opt.number, inputName: opt.string, outputName: opt.string });
  const where = `exportOnnx(${model.typeName})`;
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < OPSET_RANGE[0] || opset > OPSET_RANGE[1]) fail(where, `opset must be an integer in ${OPSET_RANGE[0]}..${OPSET_RANGE[1]}, got ${opset}`);
  if ((inputShape.length !== 3 && inputShape.length !== 1) || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    fail(where, `inputShape must be [C, H, W] or [F] with positive integers, got ${formatShape(inputShape)}`);
  }
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  if (inputName === outputName) fail(where, `inputName and outputName must differ, both are '${inputName}'`);
  const graph = new GraphBuilder(inputName);
  const image: Pair = inputShape.length === 3 ? [inputShape[1]!, inputShape[2]!] : [1, 1];
  const out = new Exporter(graph, image, opset).module(model, '', { name: inputName, shape: [...inputShape] });
  if (out.name === inputName) graph.node('Identity', 'output', [inputName], [], 'the model returns its input');
  const last = graph.nodes[graph.nodes.length - 1]!;
  last.output = [outputName];
  const valueInfo = (name: string, shape: Shape): onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, ...shape.map((d) => ({ dimValue: d }))] } } },
  });
  const model_: onnx.IModelProto = {
    irVersion: IR_VERSION,
    producerName: 'convlab',
    opsetImport: [{ domain: '', version: opset }],
    docString: model.toString(),
    graph: {
      name: model.typeName,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo(inputName, inputShape)],
      output: [valueInfo(outputName, out.shape)],
    },
  };
  return onnx.ModelProto.encode(model_).finish();
}
