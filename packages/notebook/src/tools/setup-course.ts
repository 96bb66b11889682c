#!/usr/bin/env node
/**
 * `convlab-course [FOLDER]`: makes FOLDER (default: the current one; it must have @convlab/notebook
 * in its node_modules) a convlab course: copies the course notebooks shipped in this package into
 * `FOLDER/notebooks` (never over a file already there, so your edits stay) and registers the tslab
 * and Deno kernels for it. `convlab init` runs it after installing the packages.
 */
import { cpSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { findProject, installKernelspecs } from './kernelspec.js';

/** The course notebooks inside the installed package (copied from the repository's notebooks/ when packed). */
const SHIPPED = resolve(__dirname, '../../notebooks');

function main(args: readonly string[]): number {
  if (args.length > 1 || args[0]?.startsWith('-')) {
    console.error('usage: convlab-course [FOLDER]');
    return 2;
  }
  try {
    const project = findProject(resolve(process.cwd(), args[0] ?? '.'));
    if (!existsSync(SHIPPED)) throw new Error(`the course notebooks are missing from @convlab/notebook (${SHIPPED}); reinstall it`);
    const target = join(project, 'notebooks');
    cpSync(SHIPPED, target, { recursive: true, force: false, errorOnExist: false });
    const { jupyterPath, kernels } = installKernelspecs(project);
    console.log(`convlab-course: notebooks in ${relative(process.cwd(), target) || '.'}; kernels ${kernels.join(', ') || 'none'} registered in ${jupyterPath}`);
    return 0;
  } catch (error) {
    console.error(`convlab-course: ${(error as Error).message}`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
