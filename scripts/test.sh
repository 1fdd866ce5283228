#!/usr/bin/env bash
# Runs every test: formatting, lints, the Rust unit/integration/doc tests
# (including the shared scenario and test vectors), and every policy pack's
# own tests through the real CLI. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== cargo test"
cargo test --workspace

echo "== evidence interop (the real binary against an independent Python verifier)"
cargo build --quiet -p cavra
bash tests/interop/test_interop.sh "${CARGO_TARGET_DIR:-target}/debug/cavra"

echo "== MCP interop (the official MCP TypeScript SDK against cavra mcp)"
if command -v node >/dev/null 2>&1; then
  node tests/mcp/sdk_client.mjs "${CARGO_TARGET_DIR:-target}/debug/cavra"
else
  echo "skipped: node not found (install Node.js 18+)"
fi

echo "== cavra policy test (every embedded pack, through the CLI)"
cargo run --quiet -p cavra -- policy test
