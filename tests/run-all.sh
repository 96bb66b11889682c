#!/usr/bin/env bash
# The whole test suite: the lint, unit tests of every package (vitest). Set-up runs first via `npm test`'s
# pre-script (tests/setup-machine.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# Lint (Biome) and the line-width limit.
bash tests/lint.sh

npx vitest run

# The unit suite again on Node.js 24 and 26, the maintained lines (binaries installed by
# tests/setup-machine.sh into .convlab/node/<line>; npx and vitest's workers then run on that Node):
# every test once, on the default WebAssembly kernels (the TypeScript-kernel repeat runs above; so
# does the check that the committed WebAssembly is what the AssemblyScript source compiles to).
for line in 24 26; do
  bin="$PWD/.convlab/node/$line/node_modules/.bin"
  echo "unit tests on Node.js $("$bin/node" --version)"
  PATH="$bin:$PATH" npx vitest run --project wasm --exclude packages/core/test/kernels/wasm-binary.test.ts
done

# Every notebook in notebooks/ on both TypeScript kernels, tslab and Deno, with the same checks;
# fails on any cell error or failed exercise check.
npm run --silent notebooks -- --kernel tslab,deno

# Browser test: convlab's JupyterLab on 127.0.0.1, tslab kernel, Debian's Chromium (screenshots in tests/e2e/screenshots).
npm run --silent test:e2e

# The packages as users get them, on Node.js 24: packed, installed from the tarballs outside the
# repository, a course folder made with `convlab init`, `npm start` there, a notebook run there on
# tslab and on Deno (tests/install).
PATH="$PWD/.convlab/node/24/node_modules/.bin:$PATH" npm run --silent test:install
