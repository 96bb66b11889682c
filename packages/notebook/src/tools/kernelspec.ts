import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The Jupyter kernelspecs of a convlab project: a folder whose `node_modules` has
 * `@convlab/notebook` (this repository, or a course folder made by `convlab init`). They are
 * written into the project's own Jupyter data folder, `<project>/.convlab/jupyter`, which Jupyter
 * reads through `JUPYTER_PATH`; the kernels start in the notebook's folder and resolve `@convlab/*`
 * from the project's `node_modules`, so notebooks can sit anywhere under the project.
 */

/** The kernels convlab supports, by kernelspec name. */
export const KERNELS = ['tslab', 'deno'] as const;
export type KernelName = (typeof KERNELS)[number];

/** The body of a kernel.json. */
export interface KernelSpec {
  readonly argv: readonly string[];
  readonly display_name: string;
  readonly language: 'typescript';
}

/**
 * The project folder for `from`: the nearest folder at or above it whose `node_modules` holds
 * `@convlab/notebook`. Throws when there is none.
 */
export function findProject(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', '@convlab', 'notebook', 'package.json'))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(`no convlab project at or above ${resolve(from)}: no folder there has node_modules/@convlab/notebook ` +
        `(make one with 'npx convlab init <folder>', or run 'npm install @convlab/notebook' in it)`);
    }
  }
}

/** The project's Jupyter data folder, to put on `JUPYTER_PATH`. */
export function jupyterDir(project: string): string {
  return join(project, '.convlab', 'jupyter');
}

/** The folder of package `name` as resolved from `project` (Node caches resolutions, so the file is checked too). */
function packageDir(name: string, project: string): string | null {
  try {
    const file = require.resolve(`${name}/package.json`, { paths: [project] });
    return existsSync(file) ? dirname(file) : null;
  } catch {
    return null;
  }
}

/**
 * The kernelspec of `kernel` as installed in `project`, or null when its npm package is not
 * installed there (`tslab`, or `deno`, whose package ships the binary).
 */
export function kernelSpec(kernel: KernelName, project: string): KernelSpec | null {
  if (kernel === 'tslab') {
    const dir = packageDir('tslab', project);
    if (dir === null) return null;
    const bin = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin: { tslab: string } }).bin.tslab;
    return { argv: [process.execPath, join(dir, bin), 'kernel', '--config-path', '{connection_file}'], display_name: 'TypeScript (convlab, tslab)', language: 'typescript' };
  }
  const dir = packageDir('deno', project);
  if (dir === null) return null;
  const binary = join(dir, process.platform === 'win32' ? 'deno.exe' : 'deno');
  const deno = existsSync(binary) ? [binary] : [process.execPath, join(dir, 'bin.cjs')];
  return { argv: [...deno, 'jupyter', '--quiet', '--kernel', '--conn', '{connection_file}'], display_name: 'TypeScript (convlab, Deno)', language: 'typescript' };
}

/** What {@link installKernelspecs} did. */
export interface InstalledKernels {
  /** The folder to put on `JUPYTER_PATH`. */
  readonly jupyterPath: string;
  /** The kernels written (their npm package is installed in the project). */
  readonly kernels: readonly KernelName[];
}

/**
 * Writes `<project>/.convlab/jupyter/kernels/<name>/kernel.json` for every supported kernel whose
 * package the project has (no IPython needed; a file is rewritten only when it changed), removes
 * the kernelspecs of kernels no longer installed, and returns the folder and the kernels.
 */
export function installKernelspecs(project: string): InstalledKernels {
  const root = jupyterDir(project);
  const kernels: KernelName[] = [];
  for (const kernel of KERNELS) {
    const file = join(root, 'kernels', kernel, 'kernel.json');
    const spec = kernelSpec(kernel, project);
    if (spec === null) {
      rmSync(dirname(file), { recursive: true, force: true });
      continue;
    }
    kernels.push(kernel);
    const text = `${JSON.stringify(spec, null, 1)}\n`;
    let old = '';
    try { old = readFileSync(file, 'utf8'); } catch { /* not installed yet */ }
    if (old !== text) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
  return { jupyterPath: root, kernels };
}
