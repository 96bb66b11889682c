#!/usr/bin/env node
// `convlab-course`: copies the course notebooks into a project and registers its kernels.
// A committed shim so that npm links it at install time, before the TypeScript build has produced dist/.
require('../dist/tools/setup-course.js');
