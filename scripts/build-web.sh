#!/usr/bin/env bash
# Builds the engine to WebAssembly for the sandbox: www/pkg/ (wasm-bindgen
# `--target web` glue + cavra_web_bg.wasm), then shrinks it with the npm
# package binaryen's wasm-opt (Debian's binaryen emits wasm Chromium
# rejects). Set CAVRA_WASM_OPT=0 to skip wasm-opt for a quicker build.
set -euo pipefail
cd "$(dirname "$0")/.."

# A profile of its own: size matters more in the browser than natively.
export CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL="${CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL:-z}"

wasm-pack --quiet build web \
  --target web --out-dir ../www/pkg --out-name cavra_web \
  --no-pack --no-typescript --no-opt --profile wasm-release

wasm="www/pkg/cavra_web_bg.wasm"
if [ "${CAVRA_WASM_OPT:-1}" != "0" ]; then
  wasm_opt="node_modules/.bin/wasm-opt"
  if [ ! -x "$wasm_opt" ]; then
    echo "build-web: $wasm_opt is missing: run scripts/setup.sh (npm ci)" >&2
    exit 2
  fi
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
fi
rm -f www/pkg/.gitignore
raw=$(wc -c < "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "build-web: $wasm $((raw / 1024)) KiB raw, $((gz / 1024)) KiB gzip"
