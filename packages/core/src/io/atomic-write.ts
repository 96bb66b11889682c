import { ConvlabError } from '../errors.js';
import { requireNodeModule } from '../platform.js';

/** Temporary files of {@link writeFileAtomic}: `.<name>.<pid>.<16 hex digits>.convlab-tmp`, beside the target. */
const TEMPORARY = /^\.(.+)\.(\d+)\.[0-9a-f]{16}\.convlab-tmp$/;

/**
 * Writes `bytes` to `path` atomically: into a new temporary file beside it (created exclusively,
 * with a random name, so nothing planted there — a symlink, a file — is ever written through),
 * flushed, given the target's permissions when it exists, then renamed over `path`. A failure
 * never leaves a half-written target or the temporary file, and names `path`. Temporary files of
 * this pattern left for the same target by processes that have died are removed.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, where: string): void {
  const fs = requireNodeModule('node:fs', where);
  const { basename, dirname, join } = requireNodeModule('node:path', where);
  const dir = dirname(path), name = basename(path);
  removeStaleTemporaries(dir, name, where);
  const temporary = join(dir, `.${name}.${process.pid}.${requireNodeModule('node:crypto', where).randomBytes(8).toString('hex')}.convlab-tmp`);
  let created = false;
  try {
    const mode = existingMode(path, where);
    const fd = fs.openSync(temporary, 'wx', mode ?? 0o666);
    created = true;
    try {
      fs.writeSync(fd, bytes);
      if (mode !== null) fs.fchmodSync(fd, mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, path);
  } catch (error) {
    if (created) fs.rmSync(temporary, { force: true });
    throw new ConvlabError(`${where}: cannot write ${path}: ${reason(error)}`);
  }
}

/** The permission bits of the file at `path`, or null when there is none. */
function existingMode(path: string, where: string): number | null {
  try {
    return requireNodeModule('node:fs', where).statSync(path).mode & 0o7777;
  } catch {
    return null;
  }
}

function removeStaleTemporaries(dir: string, name: string, where: string): void {
  const fs = requireNodeModule('node:fs', where);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = TEMPORARY.exec(entry);
    if (match === null || match[1] !== name || isAlive(Number(match[2]))) continue;
    fs.rmSync(requireNodeModule('node:path', where).join(dir, entry), { force: true });
  }
}

/** Whether a process with this id exists (signal 0 only checks). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** A file-system error as one line: `EISDIR: illegal operation on a directory`, without the temporary path. */
function reason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    const message = error.message.replace(/, \w+ '[^']*'( -> '[^']*')?$/, '');
    return code !== undefined && !message.startsWith(code) ? `${code}: ${message}` : message;
  }
  return String(error);
}
