import { ConvlabError } from '../errors.js';
import { unknownOptionMessage } from '../options.js';

/**
 * Checks every `--name` / `--name=value` in `args` (up to a bare `--`) against the command's known
 * flags with the same rules as options objects: `--batch_size` → "unknown option --batch_size, did
 * you mean --batch-size?", anything else lists the known flags. Values are checked by the command.
 */
export function checkFlags(args: readonly string[], known: readonly string[]): void {
  for (const arg of args) {
    if (arg === '--') return;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0]!;
    if (!known.includes(name)) throw new ConvlabError(unknownOptionMessage(name, known, (k) => `--${k}`));
  }
}
