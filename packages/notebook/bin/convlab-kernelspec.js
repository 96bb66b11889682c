#!/usr/bin/env node
// `convlab-kernelspec`: registers the tslab and Deno kernels for the project and prints the folder for JUPYTER_PATH.
// A committed shim so that npm links it at install time, before the TypeScript build has produced dist/.
require('../dist/tools/install-kernelspec.js');
