#!/usr/bin/env node
/**
 * `convlab-kernelspec [--project DIR]`: registers the tslab and Deno kernels (those installed) for a
 * convlab project — by default the nearest folder at or above the current one whose node_modules
 * has @convlab/notebook — and prints the folder to put on JUPYTER_PATH:
 * `JUPYTER_PATH=$(npx convlab-kernelspec) jupyter lab`.
 */
import { findProject, installKernelspecs } from './kernelspec.js';

function main(args: readonly string[]): number {
  let from = process.cwd();
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--project' && args[i + 1] !== undefined) from = args[++i]!;
    else {
      console.error(`convlab-kernelspec: unknown argument '${args[i]}'; usage: convlab-kernelspec [--project DIR]`);
      return 2;
    }
  }
  try {
    const { jupyterPath, kernels } = installKernelspecs(findProject(from));
    if (kernels.length === 0) console.error('convlab-kernelspec: neither tslab nor deno is installed in the project; npm install tslab (or deno) there');
    console.log(jupyterPath);
    return kernels.length === 0 ? 1 : 0;
  } catch (error) {
    console.error(`convlab-kernelspec: ${(error as Error).message}`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
