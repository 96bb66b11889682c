#!/usr/bin/env node
// `convlab-notebooks`: executes notebooks on the tslab and Deno kernels with nbclient.
// A committed shim so that npm links it at install time, before the TypeScript build has produced dist/.
require('../dist/tools/run-notebooks.js');
