#!/usr/bin/env bash
# Builds the Python wheel of the JupyterLab extension (pyproject.toml, Debian's hatchling) into
# packages/jupyterlab/dist-python, after scripts/build.sh has built the prebuilt extension. Rebuilt
# only when the extension or the Python files are newer than the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist-python
wheel=$(ls "$out"/convlab_jupyterlab-*.whl 2>/dev/null | head -n 1 || true)
if [ -n "$wheel" ] && [ -z "$(find labextension python pyproject.toml -newer "$wheel" -print -quit)" ]; then
  exit 0
fi
rm -rf "$out"
/usr/bin/python3 -m hatchling build --target wheel --directory "$out" >/dev/null
echo "lab: wheel $(ls "$out"/*.whl)"
