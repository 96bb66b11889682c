import { parseArgs } from 'node:util';
import { checkFlags } from './check-flags.js';
import { formatSummary } from '../analysis/format-table.js';
import { summaryJson } from '../analysis/format-json.js';
import { summary, type Summary } from '../analysis/summary.js';
import { ConvlabError } from '../errors.js';
import { withoutWeights } from '../nn/parameter.js';
import { byName, names } from '../zoo/index.js';
import type { CommandStreams } from './train-command.js';

export const SUMMARY_USAGE = 'usage: convlab summary <zoo-model> [--input CxHxW] [--depth N] [--json]';

interface SummaryArgs {
  readonly model: string;
  readonly input: readonly number[] | null;
  readonly depth: number | undefined;
  readonly json: boolean;
}

function parseSummaryArgs(args: readonly string[]): SummaryArgs {
  const flags = { input: { type: 'string' }, depth: { type: 'string' }, json: { type: 'boolean', default: false } } as const;
  checkFlags(args, Object.keys(flags));
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: flags });
  if (positionals.length !== 1) throw new ConvlabError(`expected one model name, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  let input: number[] | null = null;
  if (values.input !== undefined) {
    input = values.input.split(/[x×]/).map(Number);
    if (input.length !== 3 || input.some((d) => !Number.isInteger(d) || d < 1)) throw new ConvlabError(`--input must be CxHxW with positive integers (e.g. 3x224x224), got '${values.input}'`);
  }
  let depth: number | undefined;
  if (values.depth !== undefined) {
    depth = Number(values.depth);
    if (!Number.isInteger(depth) || depth < 1) throw new ConvlabError(`--depth must be a positive integer, got '${values.depth}'`);
  }
  return { model: positionals[0]!, input, depth, json: values.json! };
}

/**
 * `convlab summary <zoo-model> [--input CxHxW] [--depth N] [--json]`: the model's layer table
 * (or, with `--json`, `{ model, input, layers, totalParams, trainableParams, totalMacs }`) for its
 * default input or `--input`, computed without weights. Returns the exit code: 0, or 2 with one
 * line on stderr for bad arguments, an unknown model or an input the network cannot take.
 */
export function summaryCommand(args: readonly string[], streams: CommandStreams): number {
  const error = (message: string): number => {
    streams.stderr.write(`convlab summary: ${message}\n`);
    return 2;
  };
  let options: SummaryArgs;
  try {
    options = parseSummaryArgs(args);
  } catch (e) {
    const usage = e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS');
    if (!(e instanceof ConvlabError || usage)) throw e;
    return error(`${(e as Error).message} (${SUMMARY_USAGE})`);
  }
  if (!(names as readonly string[]).includes(options.model)) return error(`unknown model '${options.model}'; the zoo has ${names.join(', ')}`);
  const { model, inputShape } = withoutWeights(() => byName(options.model));
  const input = options.input ?? inputShape;
  let s: Summary;
  try {
    s = summary(model, input, options.depth === undefined ? {} : { depth: options.depth });
  } catch (e) {
    if (!(e instanceof ConvlabError)) throw e;
    return error(`${options.model} on ${input.join('×')}: ${e.message.replace(/^summary: /, '')}`);
  }
  streams.stdout.write(`${options.json ? JSON.stringify(summaryJson(s, options.model)) : formatSummary(s)}\n`);
  return 0;
}
