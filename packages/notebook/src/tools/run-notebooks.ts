#!/usr/bin/env node
/**
 * `npm run notebooks [--write] [--report FILE] [--timeout SECONDS] [paths…]`: installs the tslab
 * kernelspec, then executes the given notebooks (default: every `.ipynb` under `notebooks/`) with
 * Debian's nbclient (`/usr/bin/python3`, package python3-nbclient) and prints a summary. Exits
 * non-zero if any cell fails (including a failed exercise check).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { installKernelspec, REPO_ROOT } from './kernelspec.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(__dirname, '../../scripts/execute_notebooks.py');
const OPTIONS_WITH_VALUE = new Set(['--report', '--timeout']);

/** Every `.ipynb` under `dir`, sorted, skipping checkpoint folders. */
function findNotebooks(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name.startsWith('.') ? [] : findNotebooks(path);
    return name.endsWith('.ipynb') ? [path] : [];
  });
}

function main(args: readonly string[]): number {
  const options: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const cwd = process.env['INIT_CWD'] ?? process.cwd();
    if (a === '--report') options.push(a, resolve(cwd, args[++i] ?? ''));
    else if (OPTIONS_WITH_VALUE.has(a)) options.push(a, args[++i] ?? '');
    else if (a.startsWith('--')) options.push(a);
    else paths.push(resolve(cwd, a));
  }
  const notebooks = paths.length > 0 ? paths : findNotebooks(join(REPO_ROOT, 'notebooks'));
  if (notebooks.length === 0) {
    console.log('notebooks: nothing to run (no .ipynb under notebooks/)');
    return 0;
  }
  const missing = notebooks.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    console.error(`notebooks: no such notebook: ${missing.join(', ')}`);
    return 2;
  }
  if (!existsSync(PYTHON)) {
    console.error(`notebooks: ${PYTHON} is missing; install Debian's python3-nbclient (tests/setup-machine.sh does)`);
    return 2;
  }
  const jupyterDir = installKernelspec();
  const result = spawnSync(PYTHON, [SCRIPT, ...options, ...notebooks.map((p) => relative(REPO_ROOT, p))], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, JUPYTER_PATH: [jupyterDir, process.env['JUPYTER_PATH']].filter(Boolean).join(':') },
  });
  if (result.error !== undefined) {
    console.error(`notebooks: could not start ${PYTHON}: ${result.error.message}`);
    return 2;
  }
  return result.status ?? 1;
}

process.exitCode = main(process.argv.slice(2));
