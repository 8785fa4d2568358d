#!/usr/bin/env bash
# Builds Kube Playground and serves it: http://127.0.0.1:8080 (PORT=... to change).
# Extra arguments go to `trunk serve` (e.g. --release).
set -euo pipefail
SKIP_BROWSER_SETUP=1 source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
PORT="${PORT:-8080}"
echo
echo "  Kube Playground: http://127.0.0.1:$PORT/"
echo
exec trunk serve --offline --address 127.0.0.1 --port "$PORT" "$@"
