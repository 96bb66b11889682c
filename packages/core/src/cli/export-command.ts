import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { ConvlabError } from '../errors.js';
import { loadWeights, saveWeights } from '../io/weights-file.js';
import { exportPyTorch } from '../io/pytorch-export.js';
import { exportOnnx } from '../io/onnx-export.js';
import { DEFAULT_OPSET } from '../io/onnx-tensors.js';
import type { Module } from '../nn/module.js';
import { manualSeed } from '../random.js';
import { catalog, names, type ZooName } from '../zoo/index.js';
import type { CommandStreams } from './train-command.js';

export const EXPORT_USAGE =
  'usage: convlab export <zoo-model | weights.safetensors> [--model NAME] [--in-channels C] [--classes K] [--input CxHxW] [--seed S] [--onnx out.onnx [--opset N]] [--pytorch out.py] [--json]';

/** What `convlab export --json` prints. */
export interface ExportReport {
  /** The zoo architecture. */
  readonly model: string;
  /** Where the weights came from: a safetensors path, or `seed S` for fresh ones. */
  readonly weights: string;
  /** Input of one sample, `[C, H, W]` (the batch dimension is dynamic). */
  readonly input: readonly number[];
  readonly params: number;
  /** The ONNX file written, or null without `--onnx`. */
  readonly onnx: { readonly path: string; readonly bytes: number; readonly opset: number } | null;
  /** The PyTorch source and the safetensors weights beside it, or null without `--pytorch`. */
  readonly pytorch: { readonly source: string; readonly weights: string; readonly className: string } | null;
}

class UsageError extends Error {}

/** Parses `CxHxW` (or `C×H×W`); throws a ConvlabError otherwise. */
export function parseInputShape(text: string): [number, number, number] {
  const dims = text.split(/[x×]/).map(Number);
  if (dims.length !== 3 || dims.some((d) => !Number.isInteger(d) || d < 1)) throw new ConvlabError(`--input must be CxHxW with positive integers (e.g. 3x224x224), got '${text}'`);
  return dims as [number, number, number];
}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < (flag === 'seed' ? 0 : 1)) throw new UsageError(`--${flag} must be an integer ≥ ${flag === 'seed' ? 0 : 1}, got '${text}'`);
  return v;
}

/**
 * `convlab export <zoo-model | weights.safetensors> --onnx out.onnx --pytorch out.py`: writes a
 * zoo model as ONNX and/or as PyTorch source with its safetensors weights beside (`out.safetensors`),
 * with fresh weights seeded by `--seed` (default 0) or with the weights of a safetensors file
 * (`--model` names its architecture; `--in-channels` and `--classes` its input channels and
 * classes, defaults the zoo's). `--input` overrides the model's designed input. Prints one line,
 * or with `--json` an {@link ExportReport}. Returns 0, or 2 with one line on stderr.
 */
export function exportCommand(args: readonly string[], streams: CommandStreams): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        model: { type: 'string' }, 'in-channels': { type: 'string' }, classes: { type: 'string' }, input: { type: 'string' },
        seed: { type: 'string' }, onnx: { type: 'string' }, opset: { type: 'string' }, pytorch: { type: 'string' }, json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one zoo model or weights file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
    if (values.onnx === undefined && values.pytorch === undefined) throw new UsageError('give --onnx out.onnx, --pytorch out.py or both');
    if (values.pytorch !== undefined && !values.pytorch.endsWith('.py')) throw new UsageError(`--pytorch must name a .py file, got '${values.pytorch}'`);
    const source = positionals[0]!;
    const fromFile = source.endsWith('.safetensors');
    const name = fromFile ? values.model : source;
    if (name === undefined) throw new UsageError(`a weights file needs --model with its architecture (${names.join(', ')})`);
    if (fromFile && values.seed !== undefined) throw new UsageError('--seed makes fresh weights; it does not go with a weights file');
    if (!fromFile && values.model !== undefined) throw new UsageError('--model names the architecture of a weights file; for a zoo model give its name alone');
    if (!Object.hasOwn(catalog, name)) throw new UsageError(`unknown model '${name}'; the zoo has ${names.join(', ')}`);
    const entry = catalog[name as ZooName];
    const inChannels = positiveInteger(values['in-channels'], 'in-channels') ?? entry.inputShape[0];
    const numClasses = positiveInteger(values.classes, 'classes');
    const seed = positiveInteger(values.seed, 'seed') ?? 0;
    const opset = positiveInteger(values.opset, 'opset');
    const input = values.input === undefined ? ([inChannels, entry.inputShape[1], entry.inputShape[2]] as const) : parseInputShape(values.input);
    manualSeed(seed);
    const model: Module = entry.build({ inChannels, ...(numClasses === undefined ? {} : { numClasses }) });
    if (fromFile) loadWeights(model, source);
    model.eval();
    let onnx: ExportReport['onnx'] = null;
    if (values.onnx !== undefined) {
      const bytes = exportOnnx(model, input, opset === undefined ? {} : { opset });
      writeFileSync(values.onnx, bytes);
      onnx = { path: values.onnx, bytes: bytes.length, opset: opset ?? DEFAULT_OPSET };
    }
    let pytorch: ExportReport['pytorch'] = null;
    if (values.pytorch !== undefined) {
      const className = model.typeName;
      const weights = values.pytorch.replace(/\.py$/, '.safetensors');
      writeFileSync(values.pytorch, exportPyTorch(model, { className }));
      saveWeights(model, weights);
      pytorch = { source: values.pytorch, weights, className };
    }
    const report: ExportReport = { model: name, weights: fromFile ? source : `seed ${seed}`, input: [...input], params: model.parameters().reduce((n, p) => n + p.size, 0), onnx, pytorch };
    const about = `${name} (${report.weights}), input batch×${input.join('×')}, ${report.params.toLocaleString('en-US')} parameters`;
    const lines = [
      ...(onnx === null ? [] : [`${onnx.path}: ${about}, opset ${onnx.opset}, ${(onnx.bytes / 1024).toFixed(0)} KiB`]),
      ...(pytorch === null ? [] : [`${pytorch.source}: class ${pytorch.className}, weights in ${pytorch.weights}`]),
    ];
    streams.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    const usage = error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
    if (!(error instanceof UsageError || error instanceof ConvlabError || usage)) throw error;
    streams.stderr.write(`convlab export: ${(error as Error).message}\n${EXPORT_USAGE}\n`);
    return 2;
  }
}
