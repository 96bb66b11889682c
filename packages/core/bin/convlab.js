#!/usr/bin/env node
// The `convlab` command. A committed shim so that npm links it at install time, before the
// TypeScript build has produced dist/.
require('../dist/cli/main.js');
