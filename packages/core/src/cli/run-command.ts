import { ConvlabError } from '../errors.js';
import type { CommandStreams } from './train-command.js';

/**
 * What `convlab` exits with: 0 done; 1 training stopped (a non-finite loss); 2 bad input or usage
 * (arguments, environment variables, data files); 3 an internal error (a bug in convlab).
 */
export const EXIT_CODES = { ok: 0, stopped: 1, badInput: 2, internal: 3 } as const;

/** A bad command line: reported with the command's usage. */
export class UsageError extends ConvlabError {}

/** Node's error codes for a file that cannot be read or written as asked: bad input, not a bug. */
const FILE_ERRORS = new Set(['ENOENT', 'EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'ELOOP', 'ENAMETOOLONG', 'EMFILE', 'ENOSPC', 'EROFS']);

/**
 * Runs `convlab <command>`'s `body` and turns what it throws into one line and an exit code:
 * on stderr (`convlab train: <message>`), or with `--json` among `args` as one JSON object on
 * stdout (`{"error": "<the line>", "code": 2}`). Returns `body`'s own exit code otherwise.
 */
export function runCommand(command: string, args: readonly string[], streams: CommandStreams, body: () => number, usage?: string): number {
  try {
    return body();
  } catch (error) {
    const { code, message } = classify(error, usage);
    const line = `convlab ${command}: ${message.replace(/\s*\n\s*/g, ' ')}`;
    if (args.includes('--json')) streams.stdout.write(`${JSON.stringify({ error: line, code })}\n`);
    else streams.stderr.write(`${line}\n`);
    return code;
  }
}

function classify(error: unknown, usage: string | undefined): { code: number; message: string } {
  if (error instanceof UsageError) return { code: EXIT_CODES.badInput, message: usage === undefined ? error.message : `${error.message} (${usage})` };
  if (error instanceof ConvlabError) return { code: EXIT_CODES.badInput, message: error.message };
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return { code: EXIT_CODES.badInput, message: usage === undefined ? error.message : `${error.message} (${usage})` };
  }
  if (error instanceof Error && typeof code === 'string' && FILE_ERRORS.has(code)) return { code: EXIT_CODES.badInput, message: error.message };
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: EXIT_CODES.internal, message: `internal error (a bug in convlab; please report it): ${what}` };
}
