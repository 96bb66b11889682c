#!/usr/bin/env node
import { fail } from '../errors.js';
import { EXIT_CODES } from './run-command.js';
import { catalog, type ZooName } from '../zoo/index.js';
import { initCommand, INIT_USAGE } from './init-command.js';
import { exportCommand, EXPORT_USAGE } from './export-command.js';
import { importCommand, IMPORT_USAGE } from './import-command.js';
import { summaryCommand, SUMMARY_USAGE } from './summary-command.js';
import { trainCommand, TRAIN_USAGE, type CommandStreams, type TrainableModel } from './train-command.js';
import { keepYoungGenerationSmall } from './young-generation.js';

/** A zoo model made for Fashion-MNIST: one input channel, ten classes, the architecture's own input size. */
function fashionMnistModel(name: string): TrainableModel {
  if (!Object.hasOwn(catalog, name)) fail('zoo', `unknown model '${name}'; the zoo has ${Object.keys(catalog).join(', ')}`);
  const entry = catalog[name as ZooName];
  if (entry.task !== 'classification') {
    const classifiers = Object.entries(catalog).filter(([, e]) => e.task === 'classification').map(([n]) => n);
    fail('zoo', `${name} is a ${entry.task} model (a score map per class); train takes a classifier: ${classifiers.join(', ')}`);
  }
  return { model: entry.build({ inChannels: 1, numClasses: 10 }), inputShape: [1, entry.inputShape[1], entry.inputShape[2]] };
}

/** A subcommand: `run` takes the arguments after its name and the streams, and returns the exit code ({@link EXIT_CODES}). */
interface Command {
  readonly run: (args: readonly string[], streams: CommandStreams) => number;
  readonly usage: string;
}

/** `convlab <name> …` runs `commands[name]`; a new subcommand is one line here. */
const commands: Readonly<Record<string, Command>> = {
  summary: { run: summaryCommand, usage: SUMMARY_USAGE },
  train: { run: (args, streams) => trainCommand(args, streams, fashionMnistModel), usage: TRAIN_USAGE },
  init: { run: initCommand, usage: INIT_USAGE },
  export: { run: exportCommand, usage: EXPORT_USAGE },
  import: { run: importCommand, usage: IMPORT_USAGE },
};

const usage = (): string => `usage: convlab <command> …\n${Object.values(commands).map((c) => `  ${c.usage.replace(/^usage: /, '')}\n`).join('')}`;

function main(argv: readonly string[], streams: CommandStreams): number {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    streams.stdout.write(usage());
    return EXIT_CODES.ok;
  }
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined) {
    streams.stderr.write(`convlab: ${name === undefined ? 'no command given' : `unknown command '${name}'`}\n${usage()}`);
    return EXIT_CODES.badInput;
  }
  return command.run(rest, streams);
}

keepYoungGenerationSmall();
process.exitCode = main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
