#!/usr/bin/env node
/**
 * Installs the tslab kernelspec into the project-local Jupyter folder and prints that folder:
 * `JUPYTER_PATH=$(node packages/notebook/dist/tools/install-kernelspec.js) jupyter …`.
 */
import { installKernelspec } from './kernelspec.js';

console.log(installKernelspec());
