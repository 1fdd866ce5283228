#!/usr/bin/env bash
# Builds the engine to WebAssembly and serves the sandbox on
# http://127.0.0.1:8080 (PORT=... to change). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-web.sh
exec node scripts/serve.mjs --root www --port "${PORT:-8080}"
