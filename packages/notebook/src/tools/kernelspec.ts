import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root (this file is packages/notebook/dist/tools/kernelspec.js). */
export const REPO_ROOT = resolve(__dirname, '../../../..');

/** The project-local Jupyter data folder to put on `JUPYTER_PATH` (git-ignored). */
export const JUPYTER_DIR = join(REPO_ROOT, '.convlab', 'jupyter');

/** The kernel.json of the tslab kernel: Node running tslab's own launcher on the connection file. */
export function kernelSpec(): { argv: string[]; display_name: string; language: string } {
  const tslabPackage = require.resolve('tslab/package.json', { paths: [REPO_ROOT] });
  const bin = (JSON.parse(readFileSync(tslabPackage, 'utf8')) as { bin: { tslab: string } }).bin.tslab;
  return {
    argv: [process.execPath, join(dirname(tslabPackage), bin), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (convlab)',
    language: 'typescript',
  };
}

/**
 * Writes `<JUPYTER_DIR>/kernels/tslab/kernel.json` (no IPython needed) and returns JUPYTER_DIR,
 * the folder Jupyter must find on `JUPYTER_PATH`. Rewrites the file only when it changed.
 */
export function installKernelspec(): string {
  const file = join(JUPYTER_DIR, 'kernels', 'tslab', 'kernel.json');
  const text = `${JSON.stringify(kernelSpec(), null, 1)}\n`;
  let old = '';
  try { old = readFileSync(file, 'utf8'); } catch { /* not installed yet */ }
  if (old !== text) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return JUPYTER_DIR;
}
