#!/usr/bin/env bash
# The whole test suite: unit tests of every package (vitest). Set-up runs first via `npm test`'s
# pre-script (tests/setup-machine.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
npx vitest run

# Every notebook in notebooks/ on the tslab kernel; fails on any cell error or failed exercise check.
npm run --silent notebooks

# Browser test: convlab's JupyterLab on 127.0.0.1, tslab kernel, Debian's Chromium (screenshots in tests/e2e/screenshots).
npm run --silent test:e2e
