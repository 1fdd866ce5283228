#!/usr/bin/env bash
# Installs what building and testing CAVRA needs, skipping what is already
# there, so a second run takes a moment. Safe to run again at any time.
set -euo pipefail

say() { printf 'setup: %s\n' "$*"; }

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    say "cargo not found: install the Rust toolchain (https://rustup.rs) and run this again" >&2
    exit 2
  fi
fi

if command -v rustup >/dev/null 2>&1; then
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      say "adding rustup component $component"
      rustup component add "$component"
    fi
  done
fi

# The interop tests verify bundles with an independent Python verifier
# (tests/interop/verify_bundle.py), which needs the `cryptography` package.
if ! command -v python3 >/dev/null 2>&1; then
  say "python3 not found: install Python 3 to run the interop tests" >&2
  exit 2
fi
if ! python3 -c "import cryptography" >/dev/null 2>&1; then
  say "installing the Python package cryptography"
  python3 -m pip install --quiet cryptography
fi

# The MCP interop test (tests/mcp/sdk_client.mjs) drives `cavra mcp` with the
# official MCP TypeScript SDK, installed from package-lock.json.
if command -v npm >/dev/null 2>&1; then
  root="$(cd "$(dirname "$0")/.." && pwd)"
  if [ ! -f "$root/node_modules/@modelcontextprotocol/sdk/package.json" ]; then
    say "installing the npm packages (the MCP SDK for the interop test)"
    (cd "$root" && npm ci --no-audit --no-fund --silent)
  fi
else
  say "npm not found: install Node.js 18+ to run the MCP SDK interop test" >&2
fi

say "ok ($(cargo --version), $(python3 --version))"
