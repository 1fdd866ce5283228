#!/usr/bin/env bash
# From a fresh clone: install what is missing, build the `cavra` CLI and run
# the "Before the agent acts" scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --quiet -p cavra
./target/release/cavra demo "$@"
echo
echo "The CLI is at ./target/release/cavra (try: ./target/release/cavra check read .env --explain)"
