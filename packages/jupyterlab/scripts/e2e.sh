#!/usr/bin/env bash
# npm run test:e2e: builds what is missing (front end, extension, kernelspec), then runs the browser
# test of convlab's JupyterLab (tests/e2e). Screenshots go to tests/e2e/screenshots (git-ignored); the
# ones people reviewed are kept in tests/e2e/reviewed.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bash packages/jupyterlab/scripts/build.sh
node packages/notebook/dist/tools/install-kernelspec.js >/dev/null
exec npx vitest run --config tests/e2e/vitest.config.mts "$@"
