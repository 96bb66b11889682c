#!/usr/bin/env node
/**
 * `convlab-notebooks [--kernel tslab|deno]… [--write] [--report FILE] [--timeout SECONDS] [paths…]`
 * (`npm run notebooks` in this repository): registers the project's kernels (kernelspec.ts), then
 * executes the given notebooks — default every `.ipynb` under the project's `notebooks/` — on each
 * chosen kernel with Debian's nbclient (`/usr/bin/python3`, package python3-nbclient) and prints a
 * summary per kernel. The project is the nearest folder at or above the current one whose
 * node_modules has @convlab/notebook. Default kernels: every registered one (tslab and Deno); with
 * `--write`, tslab only (outputs are saved from one kernel). Exits non-zero if any cell fails
 * (including a failed exercise check) on any kernel. The project's README.md, when it has ```ts
 * blocks, runs too, as a notebook of those blocks on tslab (`.convlab/readme/README.ipynb`, see
 * readme-notebook.ts); the path `README.md` runs only that.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findProject, installKernelspecs, KERNELS, type KernelName } from './kernelspec.js';
import { readmeCells, writeReadmeNotebook } from './readme-notebook.js';

const PYTHON = '/usr/bin/python3';
/** The nbclient driver shipped in this package (scripts/), next to dist/. */
const SCRIPT = resolve(__dirname, '../../scripts/execute_notebooks.py');
const OPTIONS_WITH_VALUE = new Set(['--report', '--timeout']);

/** Every `.ipynb` under `dir`, sorted, skipping hidden and checkpoint folders. */
function findNotebooks(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name.startsWith('.') || name === 'node_modules' ? [] : findNotebooks(path);
    return name.endsWith('.ipynb') ? [path] : [];
  });
}

function isKernel(name: string): name is KernelName {
  return (KERNELS as readonly string[]).includes(name);
}

function main(args: readonly string[]): number {
  const cwd = process.env['INIT_CWD'] ?? process.cwd();
  const options: string[] = [];
  const paths: string[] = [];
  const asked: KernelName[] = [];
  let report: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--kernel') {
      for (const k of (args[++i] ?? '').split(',')) {
        if (!isKernel(k)) {
          console.error(`notebooks: --kernel must be ${KERNELS.join(' or ')} (or both, comma-separated), got '${k}'`);
          return 2;
        }
        asked.push(k);
      }
    } else if (a === '--report') report = resolve(cwd, args[++i] ?? '');
    else if (OPTIONS_WITH_VALUE.has(a)) options.push(a, args[++i] ?? '');
    else if (a.startsWith('--')) options.push(a);
    else paths.push(resolve(cwd, a));
  }
  let project: string;
  try {
    project = findProject(process.cwd());
  } catch (error) {
    console.error(`notebooks: ${(error as Error).message}`);
    return 2;
  }
  const readmePath = join(project, 'README.md');
  const hasReadmeCode = existsSync(readmePath) && readmeCells(readFileSync(readmePath, 'utf8')).length > 0;
  const runReadme = paths.length > 0 ? paths.includes(readmePath) : hasReadmeCode;
  const notebooks = paths.length > 0 ? paths.filter((p) => p !== readmePath) : findNotebooks(join(project, 'notebooks'));
  if (runReadme && !hasReadmeCode) {
    console.error(`notebooks: ${readmePath} has no \`\`\`ts blocks of notebook code`);
    return 2;
  }
  if (runReadme) notebooks.push(writeReadmeNotebook(project, join(project, '.convlab/readme')));
  if (notebooks.length === 0) {
    console.log(`notebooks: nothing to run (no .ipynb under ${join(project, 'notebooks')})`);
    return 0;
  }
  const missing = notebooks.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    console.error(`notebooks: no such notebook: ${missing.join(', ')}`);
    return 2;
  }
  if (!existsSync(PYTHON)) {
    console.error(`notebooks: ${PYTHON} is missing; install Debian's python3-nbclient (apt-get install python3-nbclient)`);
    return 2;
  }
  const { jupyterPath, kernels: registered } = installKernelspecs(project);
  const kernels = asked.length > 0 ? [...new Set(asked)] : options.includes('--write') ? registered.filter((k) => k === 'tslab') : registered;
  const unavailable = kernels.filter((k) => !registered.includes(k));
  if (unavailable.length > 0 || kernels.length === 0) {
    console.error(`notebooks: kernel ${unavailable.join(', ') || KERNELS.join(' or ')} is not installed in ${project} (npm install ${unavailable[0] ?? 'tslab'} there)`);
    return 2;
  }
  if (options.includes('--write') && kernels.length > 1) {
    console.error('notebooks: --write saves the outputs of one kernel; give one --kernel');
    return 2;
  }
  let status = 0;
  for (const kernel of kernels) {
    const reportArgs = report === null ? [] : ['--report', kernels.length > 1 ? report.replace(/(\.json)?$/, `.${kernel}$1`) : report];
    // The README promises tslab; its code runs there only.
    const run = kernel === 'tslab' ? notebooks : notebooks.filter((p) => !p.startsWith(join(project, '.convlab/readme')));
    if (run.length === 0) continue;
    const result = spawnSync(PYTHON, [SCRIPT, '--kernel', kernel, ...options, ...reportArgs, ...run], {
      cwd: project,
      stdio: 'inherit',
      env: { ...process.env, JUPYTER_PATH: [jupyterPath, process.env['JUPYTER_PATH']].filter(Boolean).join(':') },
    });
    if (result.error !== undefined) {
      console.error(`notebooks: could not start ${PYTHON}: ${result.error.message}`);
      return 2;
    }
    if (result.status !== 0) status = result.status ?? 1;
  }
  return status;
}

process.exitCode = main(process.argv.slice(2));
