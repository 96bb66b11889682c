#!/usr/bin/env bash
# npm start: convlab's JupyterLab on 127.0.0.1 with the tslab kernel, opened on notebooks/.
# Sets the machine up first (Debian packages, npm dependencies, builds, kernelspec: each step skipped
# when already done), then serves until Ctrl+C. Jupyter's token is on: open the printed URL.
# Extra arguments go to the server, e.g. `npm start -- --ServerApp.port=9999`.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bash tests/setup-machine.sh

# The first free port from 8888 (override with CONVLAB_LAB_PORT).
port=${CONVLAB_LAB_PORT:-$(/usr/bin/python3 -c '
import socket
for port in range(8888, 8988):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
')}
JUPYTER_TOKEN=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')
export JUPYTER_TOKEN
export JUPYTER_PATH="$PWD/.convlab/jupyter"
export CONVLAB_PROJECT="$PWD"
root_flag=()
[ "$(id -u)" -ne 0 ] || root_flag=(--ServerApp.allow_root=True)

echo
echo "convlab JupyterLab: http://127.0.0.1:$port/lab?token=$JUPYTER_TOKEN"
echo
exec /usr/bin/python3 packages/jupyterlab/app/convlab_lab.py \
  --ServerApp.ip=127.0.0.1 --ServerApp.port="$port" --ServerApp.port_retries=0 \
  --ServerApp.root_dir="$PWD/notebooks" --ServerApp.open_browser=False \
  --MappingKernelManager.default_kernel_name=tslab "${root_flag[@]}" "$@"
