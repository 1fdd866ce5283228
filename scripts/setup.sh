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

root="$(cd "$(dirname "$0")/.." && pwd)"

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

# The browser build: the wasm32 target, wasm-pack, and wasm-bindgen-cli at
# exactly the version in Cargo.lock (wasm-pack would otherwise build a
# private copy on every machine).
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if ! command -v wasm-pack >/dev/null 2>&1; then
  say "installing wasm-pack (a few minutes, once)"
  cargo install --quiet wasm-pack
fi
bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  cargo install --quiet --force wasm-bindgen-cli --version "$bindgen_version"
fi

# Playwright drives Debian's Chromium: it cannot download its own browser here.
if [ ! -x "${CAVRA_CHROMIUM:-/usr/bin/chromium}" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    say "installing Chromium from Debian's packages (for the browser tests)"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
  else
    say "Chromium not found: install it, or set CAVRA_CHROMIUM to a Chromium binary" >&2
    exit 2
  fi
fi

# npm packages from package-lock.json: the MCP SDK (interop test),
# Playwright and axe (browser tests), binaryen (wasm-opt for the wasm build).
if ! command -v npm >/dev/null 2>&1; then
  say "npm not found: install Node.js 20+ (the browser build and tests need it)" >&2
  exit 2
fi
for package in @modelcontextprotocol/sdk @playwright/test @axe-core/playwright binaryen; do
  if [ ! -f "$root/node_modules/$package/package.json" ]; then
    say "installing the npm packages (package-lock.json)"
    (cd "$root" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
    break
  fi
done

say "ok ($(cargo --version), $(python3 --version))"
