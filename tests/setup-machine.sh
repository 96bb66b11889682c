#!/usr/bin/env bash
# Brings this machine to the state convlab's run and test commands need. Idempotent: each step is
# skipped when its result is already there. Called by `npm start` and `npm test` (pre-scripts).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: real data, the notebook runner, the Jupyter server, the browser for e2e tests,
# and PyTorch and ONNX for the hand-off tests (ONNX checker, the PyTorch twin).
debian_packages=(
  dataset-fashion-mnist
  python3-nbclient python3-nbformat python3-jupyter-client
  python3-jupyter-server python3-jupyterlab-server python3-terminado
  chromium
  python3-onnx python3-torch
)
missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root for apt-get; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm dependencies: install when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  # onnxruntime-node's install script would download a CUDA add-on; its CPU library ships in the package.
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
fi

# Node.js 24 and 26, the maintained lines, beside the machine's Node: the npm registry's `node`
# package installs each as a binary into .convlab/node/<line> (tests/run-all.sh runs the unit suite
# on each). The Deno kernel's binary comes with the npm devDependency `deno` (npm ci above).
for line in 24 26; do
  if [ ! -x ".convlab/node/$line/node_modules/.bin/node" ]; then
    echo "setup: Node.js $line (npm package node@$line into .convlab/node/$line)"
    npm install --prefix ".convlab/node/$line" --no-save --no-package-lock --no-audit --no-fund "node@$line" >/dev/null
  fi
done

# The WebAssembly kernels embedded in core (committed; recompiled only when assembly/ is newer).
node packages/core/scripts/build-wasm.mjs

# TypeScript build of every package (incremental).
npx tsc -b

# The tslab and Deno kernelspecs in the project-local Jupyter folder (.convlab/jupyter, used via JUPYTER_PATH).
node packages/notebook/dist/tools/install-kernelspec.js >/dev/null

# convlab's JupyterLab: front end + @convlab/jupyterlab prebuilt extension (each rebuilt only when stale).
bash packages/jupyterlab/scripts/build.sh
