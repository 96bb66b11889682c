#!/usr/bin/env bash
# Builds what convlab's JupyterLab needs, each step only when its output is older than its inputs:
#   1. the JupyterLab front end (packages/jupyterlab/app/build, ~30 s),
#   2. the @convlab/jupyterlab prebuilt (federated) extension (packages/jupyterlab/labextension, ~2 s),
#   3. a link to it in the project's Jupyter data folder (.convlab/jupyter/labextensions), where the
#      server finds prebuilt extensions like any JupyterLab does.
# Needs the npm dependencies and the TypeScript build (tests/setup-machine.sh).
set -euo pipefail
cd "$(dirname "$0")/../../.."
pkg=packages/jupyterlab
app=$pkg/app
logs=.convlab/lab
mkdir -p "$logs"

# stale STAMP INPUT...: true when STAMP is missing or any file under the inputs is newer.
stale() {
  local stamp=$1
  shift
  [ ! -e "$stamp" ] || [ -n "$(find "$@" -type f -newer "$stamp" -print -quit)" ]
}

# run LOG COMMAND...: runs quietly into LOG; on failure shows its end.
run() {
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "lab: failed: $* (full log: $log)" >&2
    exit 1
  fi
}

if stale "$app/build/.built" "$app/package.json" "$app/webpack.config.js" "$app/index.template.js" \
  "$app/bootstrap.js" "$app/public-path.js" "$app/notebooks-launcher.js" package-lock.json; then
  echo "lab: building the JupyterLab front end"
  start=$SECONDS
  run "$logs/build-app.log" bash -c "cd '$app' && npx webpack --config webpack.config.js"
  touch "$app/build/.built"
  echo "lab: front end built in $((SECONDS - start)) s"
fi

npx tsc -b "$pkg"
if stale "$pkg/labextension/.built" "$pkg/dist" "$pkg/style" "$pkg/package.json" "$pkg/webpack.config.js" \
  packages/display/dist "$app/package.json"; then
  echo "lab: building the @convlab/jupyterlab extension"
  run "$logs/build-extension.log" node node_modules/@jupyterlab/builder/lib/build-labextension.js --core-path "$app" "$pkg"
  touch "$pkg/labextension/.built"
fi

link=.convlab/jupyter/labextensions/@convlab/jupyterlab
if [ "$(readlink "$link" 2>/dev/null)" != "$PWD/$pkg/labextension" ]; then
  mkdir -p "$(dirname "$link")"
  ln -sfn "$PWD/$pkg/labextension" "$link"
fi

# The same extension as a Python wheel (dist-python/), for `pip install` into an existing JupyterLab.
bash "$pkg/scripts/build-wheel.sh"
