import { parseArgs } from 'node:util';
import { checkFlags } from './check-flags.js';
import { formatSummary } from '../analysis/format-table.js';
import { summaryJson } from '../analysis/format-json.js';
import { summary, type Summary } from '../analysis/summary.js';
import { ConvlabError } from '../errors.js';
import { EXIT_CODES, runCommand, UsageError } from './run-command.js';
import { withoutWeights } from '../nn/parameter.js';
import { byName, names } from '../zoo/index.js';
import { parseSummaryColumns } from '@convlab/display';
import type { CommandStreams } from './train-command.js';

export const SUMMARY_USAGE = 'usage: convlab summary <zoo-model> [--input CxHxW] [--depth N] [--col-names a,b,…] [--json]';

interface SummaryArgs {
  readonly model: string;
  readonly input: readonly number[] | null;
  readonly depth: number | undefined;
  /** The table's columns (`--col-names`, torchinfo's `col_names`), or undefined for the default ones. */
  readonly colNames: readonly string[] | undefined;
  readonly json: boolean;
}

function parseSummaryArgs(args: readonly string[]): SummaryArgs {
  const flags = { input: { type: 'string' }, depth: { type: 'string' }, 'col-names': { type: 'string' }, json: { type: 'boolean', default: false } } as const;
  try {
    checkFlags(args, Object.keys(flags));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: flags });
  if (positionals.length !== 1) throw new UsageError(`expected one model name, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  let input: number[] | null = null;
  if (values.input !== undefined) {
    input = values.input.split(/[x×]/).map(Number);
    if (input.length !== 3 || input.some((d) => !Number.isInteger(d) || d < 1)) throw new UsageError(`--input must be CxHxW with positive integers (e.g. 3x224x224), got '${values.input}'`);
  }
  let depth: number | undefined;
  if (values.depth !== undefined) {
    depth = Number(values.depth);
    if (!Number.isInteger(depth) || depth < 1) throw new UsageError(`--depth must be a positive integer, got '${values.depth}'`);
  }
  let colNames: string[] | undefined;
  if (values['col-names'] !== undefined) {
    colNames = values['col-names'].split(',').map((c) => c.trim());
    const parsed = parseSummaryColumns(colNames);
    if ('error' in parsed) throw new UsageError(`--col-names: ${parsed.error.replace(/^colNames\[\d+\] (is|repeats) /, (_, verb: string) => (verb === 'is' ? 'unknown column ' : 'repeats '))}`);
    if (values.json) throw new UsageError('--col-names chooses the table\'s columns; --json always prints every field');
  }
  return { model: positionals[0]!, input, depth, colNames, json: values.json! };
}

/**
 * `convlab summary <zoo-model> [--input CxHxW] [--depth N] [--col-names a,b,…] [--json]`: the model's layer table
 * (its columns chosen as `summary`'s `colNames`, e.g. `--col-names outputSize,numParams,receptiveField`)
 * (or, with `--json`, `{ model, input, layers, totalParams, trainableParams, totalMacs }`) for its
 * default input or `--input`, computed without weights. Returns the exit code: 0, or 2 with one
 * line (on stderr, or as `{"error", "code"}` on stdout with `--json`) for bad arguments, an
 * unknown model or an input the network cannot take; 3 for an internal error.
 */
export function summaryCommand(args: readonly string[], streams: CommandStreams): number {
  return runCommand('summary', args, streams, () => {
    const options = parseSummaryArgs(args);
    if (!(names as readonly string[]).includes(options.model)) throw new ConvlabError(`unknown model '${options.model}'; the zoo has ${names.join(', ')}`);
    const { model, inputShape } = withoutWeights(() => byName(options.model));
    const input = options.input ?? inputShape;
    let s: Summary;
    try {
      s = summary(model, input, { ...(options.depth === undefined ? {} : { depth: options.depth }), ...(options.colNames === undefined ? {} : { colNames: options.colNames }) });
    } catch (e) {
      if (!(e instanceof ConvlabError)) throw e;
      throw new ConvlabError(`${options.model} on ${input.join('×')}: ${e.message.replace(/^summary: /, '')}`);
    }
    streams.stdout.write(`${options.json ? JSON.stringify(summaryJson(s, options.model)) : formatSummary(s)}\n`);
    return EXIT_CODES.ok;
  }, SUMMARY_USAGE);
}
