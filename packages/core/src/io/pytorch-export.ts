import { containerSteps, type Step } from '../analysis/summary.js';
import { fail } from '../errors.js';
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
import { pythonFloat } from '../nn/python-repr.js';
import { AdaptiveAvgPool2d, AvgPool2d, GlobalAvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { Sequential } from '../nn/sequential.js';
import { Upsample } from '../nn/upsample.js';
import type { Pair } from '../shape/pair.js';
import { FCN, UpsampleToInput } from '../zoo/fcn.js';
import { checkOptions, opt } from '../options.js';

/** Options of {@link exportPyTorch}. */
export interface PyTorchExportOptions {
  /** The model's class name in Python. Default: the model's own (`LeNet5`). */
  readonly className?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);
const tuple = (p: Pair): string => `(${p[0]}, ${p[1]})`;
const bool = (b: boolean): string => (b ? 'True' : 'False');
const attribute = (name: string): string => (IDENTIFIER.test(name) && !KEYWORDS.has(name) ? `self.${name}` : `getattr(self, '${name}')`);

/** The `torch.nn` constructor call of a layer, with every argument spelled out. */
function layerSource(m: Module, where: string): string {
  if (m instanceof Conv2d) {
    const padding = typeof m.padding === 'string' ? `'${m.padding}'` : tuple(m.padding);
    return `nn.Conv2d(${m.inChannels}, ${m.outChannels}, kernel_size=${tuple(m.kernelSize)}, stride=${tuple(m.stride)}, padding=${padding}, ` +
      `dilation=${tuple(m.dilation)}, groups=${m.groups}, bias=${bool(m.bias !== null)}${m.paddingMode === 'zeros' ? '' : `, padding_mode='${m.paddingMode}'`})`;
  }
  if (m instanceof ConvTranspose2d) {
    return `nn.ConvTranspose2d(${m.inChannels}, ${m.outChannels}, kernel_size=${tuple(m.kernelSize)}, stride=${tuple(m.stride)}, padding=${tuple(m.padding)}, ` +
      `output_padding=${tuple(m.outputPadding)}, groups=${m.groups}, bias=${bool(m.bias !== null)}, dilation=${tuple(m.dilation)})`;
  }
  if (m instanceof Upsample) {
    const { size, scaleFactor, mode, alignCorners } = m.options;
    const value = (v: number | readonly [number, number], float: boolean): string =>
      typeof v === 'number' ? (float ? pythonFloat(v) : `${v}`) : `(${v.map((d) => (float ? pythonFloat(d) : `${d}`)).join(', ')})`;
    const amount = size !== undefined ? `size=${value(size, false)}` : `scale_factor=${value(scaleFactor!, true)}`;
    return `nn.Upsample(${amount}, mode='${mode ?? 'nearest'}'${mode === 'bilinear' ? `, align_corners=${bool(alignCorners ?? false)}` : ''})`;
  }
  if (m instanceof UpsampleToInput) fail(where, "runs only as a child of an FCN, whose forward gives it the input's size");
  if (m instanceof MaxPool2d) return `nn.MaxPool2d(kernel_size=${tuple(m.kernelSize)}, stride=${tuple(m.stride)}, ` +
    `padding=${tuple(m.padding)}, dilation=${tuple(m.dilation)}, ceil_mode=${bool(m.ceilMode)})`;
  if (m instanceof AvgPool2d) return `nn.AvgPool2d(kernel_size=${tuple(m.kernelSize)}, stride=${tuple(m.stride)}, ` +
    `padding=${tuple(m.padding)}, ceil_mode=${bool(m.ceilMode)}, count_include_pad=${bool(m.countIncludePad)})`;
  if (m instanceof AdaptiveAvgPool2d) return `nn.AdaptiveAvgPool2d(${tuple(m.outputSize)})`;
  if (m instanceof GlobalAvgPool2d) return 'nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())';
  if (m instanceof Linear) return `nn.Linear(${m.inFeatures}, ${m.outFeatures}, bias=${bool(m.bias !== null)})`;
  if (m instanceof BatchNorm2d || m instanceof BatchNorm1d) return `nn.${m.typeName}(${m.numFeatures}, eps=${pythonFloat(m.eps)}, ` +
    `momentum=${m.momentum === null ? 'None' : pythonFloat(m.momentum)}, ` +
    `affine=${bool(m.weight !== null)}, track_running_stats=${bool(m.runningMean !== null)})`;
  if (m instanceof Flatten) return `nn.Flatten(${m.startDim}, ${m.endDim})`;
  if (m instanceof LayerNorm) return `nn.LayerNorm([${m.normalizedShape.join(', ')}], eps=${pythonFloat(m.eps)}, elementwise_affine=${bool(m.weight !== null)})`;
  if (m instanceof Dropout) return `nn.Dropout(${pythonFloat(m.p)})`;
  if (m instanceof Dropout2d) return `nn.Dropout2d(${pythonFloat(m.p)})`;
  if (m instanceof GELU) return `nn.GELU(approximate='${m.approximate}')`;
  if (m instanceof ReLU) return 'nn.ReLU()';
  if (m instanceof Sigmoid) return 'nn.Sigmoid()';
  if (m instanceof Tanh) return 'nn.Tanh()';
  if (m instanceof LeakyReLU) return `nn.LeakyReLU(${pythonFloat(m.negativeSlope)})`;
  if (m instanceof Softmax) return `nn.Softmax(dim=${m.dim})`;
  if (m instanceof LogSoftmax) return `nn.LogSoftmax(dim=${m.dim})`;
  if (m instanceof Identity) return 'nn.Identity()';
  return fail(where, `no torch.nn equivalent for ${m.typeName}`);
}

/** torchvision's FCN upsampling (`F.interpolate(x, size=input_shape, mode='bilinear', align_corners=False)`) as a module the FCN's forward gives the size. */
const UPSAMPLE_TO_INPUT = [
  'class UpsampleToInput(nn.Module):',
  '    def forward(self, x, size):',
  "        return nn.functional.interpolate(x, size=size, mode='bilinear', align_corners=False)",
].join('\n');

/** Writes one Python class per distinct FlowModule structure (same source → one class). */
class SourceWriter {
  /** Class sources in dependency order (a block's class before the classes that use it). */
  readonly classes: string[] = [];
  /** Whether the source needs the {@link UPSAMPLE_TO_INPUT} class. */
  usesUpsampleToInput = false;
  private readonly classNames = new Map<string, string>();

  /** The Python expression that builds `m` (named `path` in the model). */
  expression(m: Module, path: string): string {
    const where = `exportPyTorch: ${path === '' ? `(${m.typeName})` : `${path} (${m.typeName})`}`;
    const steps = containerSteps(m, path, 'exportPyTorch');
    if (steps === null) return layerSource(m, where);
    if (m instanceof Sequential) {
      return `nn.Sequential(${m.layers.map((layer, i) => this.expression(layer, path === '' ? String(i) : `${path}.${i}`)).join(', ')})`;
    }
    return `${this.flowClass(m, path, steps, m.typeName)}()`;
  }

  /** Writes the class of a FlowModule (or reuses an identical one) and returns its name. */
  flowClass(m: Module, path: string, steps: readonly Step[], wanted: string): string {
    const children = m.namedChildren();
    const upsamples = m instanceof FCN && children.some(([, child]) => child instanceof UpsampleToInput);
    if (upsamples) this.usesUpsampleToInput = true;
    const init = children.map(([name, child]) => {
      const expr = upsamples && child instanceof UpsampleToInput ? 'UpsampleToInput()' : this.expression(child, path === '' ? name : `${path}.${name}`);
      return IDENTIFIER.test(name) && !KEYWORDS.has(name) ? `        self.${name} = ${expr}` : `        self.add_module('${name}', ${expr})`;
    });
    const body: string[] = [];
    let counter = 0;
    const emit = (list: readonly Step[], input: string): string => {
      let v = input;
      for (const step of list) {
        if (step.kind === 'module') {
          const out = `x${++counter}`;
          if (step.module instanceof UpsampleToInput) {
            // The FCN's forward gives the upsampling its input's H×W, as torchvision's does.
            body.push(`        ${out} = ${attribute(step.name)}(${v}, x.shape[-2:])`);
            v = out;
            continue;
          }
          body.push(`        ${out} = ${attribute(step.name)}(${v})`);
          v = out;
          continue;
        }
        const outs = step.paths.map((p) => emit(p, v));
        const out = `x${++counter}`;
        body.push(step.merge === 'add' ? `        ${out} = ${outs.join(' + ')}  # ${step.name}` : `        ${out} = torch.cat([${outs.join(', ')}], 1)  # ${step.name}`);
        v = out;
      }
      return v;
    };
    const result = emit(steps, 'x');
    const source = (name: string): string => [
      `class ${name}(nn.Module):`,
      '    def __init__(self):',
      '        super().__init__()',
      ...init,
      '',
      '    def forward(self, x):',
      ...body,
      `        return ${result}`,
    ].join('\n');
    const key = source('_');
    const known = this.classNames.get(key);
    if (known !== undefined) return known;
    const taken = new Set(this.classNames.values());
    let name = IDENTIFIER.test(wanted) ? wanted : 'Block';
    for (let i = 2; taken.has(name); i++) name = `${wanted}_${i}`;
    this.classNames.set(key, name);
    this.classes.push(source(name));
    return name;
  }
}

/**
 * The PyTorch source of `model`'s module tree: a Python module defining `className` (an
 * `nn.Module`; identical blocks share one class) whose children have the same names as
 * convlab's, so that its `state_dict()` keys equal convlab's (`features.0.weight`,
 * `layer1.0.downsample.1.running_mean`) and the weights saved by `saveWeights` load with
 * `model.load_state_dict(safetensors.torch.load_file(path))`, every key matched. The forward
 * follows the flow (merges become `a + b` and `torch.cat([...], 1)`). Sequential and FlowModule
 * containers of the layers convlab has are supported; anything else is an error naming it.
 *
 * @example writeFileSync('lenet.py', exportPyTorch(model)); saveWeights(model, 'lenet.safetensors')
 */
export function exportPyTorch(model: Module, options: PyTorchExportOptions = {}): string {
  checkOptions('exportPyTorch', options, { className: opt.string });
  const className = options.className ?? model.typeName;
  if (!IDENTIFIER.test(className) || KEYWORDS.has(className)) fail('exportPyTorch', `className must be a Python identifier, got '${className}'`);
  const writer = new SourceWriter();
  const steps = containerSteps(model, '', 'exportPyTorch');
  if (steps === null) fail('exportPyTorch', `exports containers (Sequential, FlowModule); wrap the single ${model.typeName} in a Sequential`);
  let top = '';
  if (model instanceof Sequential) {
    const layers = model.layers.map((layer, i) => writer.expression(layer, String(i)));
    top = [`class ${className}(nn.Sequential):`, '    def __init__(self):', `        super().__init__(${layers.join(', ')})`].join('\n');
  } else {
    const name = writer.flowClass(model, '', steps, className);
    if (name !== className) top = `${className} = ${name}`;
  }
  const header = [
    `"""${className}: PyTorch twin of a convlab model, written by convlab's exportPyTorch.`,
    '',
    'Load the weights convlab saved beside it:',
    `    model = ${className}()`,
    '    model.load_state_dict(safetensors.torch.load_file("weights.safetensors"))',
    '"""',
    'import torch',
    'from torch import nn',
  ];
  const helpers = writer.usesUpsampleToInput ? [UPSAMPLE_TO_INPUT] : [];
  return `${[...header, '', ...[...helpers, ...writer.classes].flatMap((c) => ['', c, '']), ...(top === '' ? [] : ['', top, ''])].join('\n').replace(/\n{3,}/g, '\n\n\n')}`;
}
