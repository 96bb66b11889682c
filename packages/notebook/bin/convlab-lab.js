#!/usr/bin/env node
// `convlab-lab`: convlab's bundled JupyterLab (from @convlab/jupyterlab) on the project folder.
// A committed shim so that npm links it at install time, before the TypeScript build has produced dist/.
require('../dist/tools/lab.js');
