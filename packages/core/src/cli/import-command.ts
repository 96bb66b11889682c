import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { summaryJson, type SummaryJson } from '../analysis/format-json.js';
import { formatSummary } from '../analysis/format-table.js';
import { summary } from '../analysis/summary.js';
import { ConvlabError } from '../errors.js';
import { importOnnx } from '../io/onnx-import.js';
import { saveWeights } from '../io/weights-file.js';
import { parseInputShape } from './export-command.js';
import type { CommandStreams } from './train-command.js';

export const IMPORT_USAGE = 'usage: convlab import <model.onnx> [--input CxHxW] [--weights out.safetensors] [--json]';

/** What `convlab import --json` prints: the file, its operator set, and the imported model's summary in `convlab summary --json`'s shape (under the graph's name). */
export interface ImportReport extends SummaryJson {
  readonly file: string;
  readonly opset: number;
  /** Where `--weights` wrote the state dict, or null. */
  readonly weights: string | null;
}

/**
 * `convlab import <model.onnx>`: reads an ONNX file into a convlab model and prints its summary
 * table (or, with `--json`, an {@link ImportReport}) for the graph's input shape or `--input`;
 * `--weights` also saves its state dict as safetensors. Returns 0, or 2 with one line on stderr
 * (unsupported operators name the operator and the node).
 */
export function importCommand(args: readonly string[], streams: CommandStreams): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { input: { type: 'string' }, weights: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new ConvlabError(`expected one .onnx file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
    const file = positionals[0]!;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new ConvlabError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const model = importOnnx(bytes);
    const input = values.input === undefined ? model.inputShape : parseInputShape(values.input);
    if (input === null) throw new ConvlabError(`${file} does not fix the input's shape; give --input CxHxW`);
    const s = summary(model, input);
    if (values.weights !== undefined) saveWeights(model, values.weights);
    const report: ImportReport = { file, opset: model.opset, ...summaryJson(s, model.typeName), weights: values.weights ?? null };
    streams.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatSummary(s)}\n`);
    return 0;
  } catch (error) {
    const usage = error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
    if (!(error instanceof ConvlabError || usage)) throw error;
    streams.stderr.write(`convlab import: ${(error as Error).message}\n${IMPORT_USAGE}\n`);
    return 2;
  }
}
