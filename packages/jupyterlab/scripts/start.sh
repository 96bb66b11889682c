#!/usr/bin/env bash
# npm start: convlab's JupyterLab on 127.0.0.1 with the tslab kernel, opened on notebooks/.
# Sets the machine up first (Debian packages, npm dependencies, builds, kernelspec: each step skipped
# when already done), then serves until Ctrl+C. Jupyter's token is on: open the printed URL.
# The server binds its port first and prints the URL after: from 8888 it takes the first free port
# (jupyter_server's retries), CONVLAB_LAB_PORT asks for exactly one port and fails when it is taken.
# Extra arguments go to the server and override these defaults, e.g.
# `npm start -- --ServerApp.root_dir=/some/folder`.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bash tests/setup-machine.sh

if [ -n "${CONVLAB_LAB_PORT:-}" ]; then
  port_args=(--ServerApp.port="$CONVLAB_LAB_PORT" --ServerApp.port_retries=0)
else
  port_args=(--ServerApp.port=8888 --ServerApp.port_retries=50)
fi
JUPYTER_TOKEN=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')
export JUPYTER_TOKEN
export JUPYTER_PATH="$PWD/.convlab/jupyter"
export CONVLAB_PROJECT="$PWD"
root_flag=()
[ "$(id -u)" -ne 0 ] || root_flag=(--ServerApp.allow_root=True)

exec /usr/bin/python3 packages/jupyterlab/app/convlab_lab.py \
  --ServerApp.ip=127.0.0.1 "${port_args[@]}" \
  --ServerApp.root_dir="$PWD/notebooks" --ServerApp.open_browser=False \
  --MappingKernelManager.default_kernel_name=tslab "${root_flag[@]}" \
  --ConvlabLab.announce="convlab JupyterLab" "$@"
