#!/usr/bin/env bash
# Runs every test: formatting, lints, the Rust unit/integration/doc tests
# (including the shared scenario and test vectors), the evidence and MCP
# interop tests, every policy pack's own tests through the real CLI, and
# the browser sandbox's release checks (Playwright in Chromium, against the
# wasm build and the single-file build). Installs what is missing first.
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
node tests/mcp/sdk_client.mjs "${CARGO_TARGET_DIR:-target}/debug/cavra"

echo "== cavra policy test (every embedded pack, through the CLI)"
cargo run --quiet -p cavra -- policy test

echo "== wasm build and single-file build"
bash scripts/build-web.sh
node scripts/build-single-file

echo "== browser release checks (Playwright in Chromium, desktop and mobile)"
# A port of its own, so a sandbox you are serving on 8080 is not in the way.
CAVRA_E2E_PORT="${CAVRA_E2E_PORT:-8181}" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test
