#!/usr/bin/env bash
# Peer benchmark (bench/): CAVRA with the baseline pack against cedar-policy
# and regorus on the same 1,200-action agent workload, in one run.
#
# 1. `cargo test` in bench/: the engines agree on every action's verdict.
# 2. The release build of `peer-bench`, then the run (BENCH_ROUNDS rounds,
#    default 15), printed here and written into docs/performance.md between
#    the bench markers with the date, the machine and the command; the rest
#    of that document is kept.
#
# bench/ is its own Cargo workspace (the root excludes it), so the normal
# test command never builds Cedar or regorus. Builds run under `nice`; the
# timed run does not. Usage: scripts/bench.sh [--no-doc]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target/bench}"
ROUNDS="${BENCH_ROUNDS:-15}"
DOC="$ROOT/docs/performance.md"
WRITE_DOC=1
[[ "${1:-}" == "--no-doc" ]] && WRITE_DOC=0

echo "== agreement test (cargo test in bench/)"
(cd bench && nice -n 10 cargo test --quiet --test agreement)

echo "== release build of peer-bench"
(cd bench && nice -n 10 cargo build --release --quiet --bin peer-bench)

echo "== peer-bench --rounds $ROUNDS"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
"$CARGO_TARGET_DIR/release/peer-bench" --rounds "$ROUNDS" | tee "$results"

[[ "$WRITE_DOC" == 1 ]] || exit 0

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
block="$(mktemp)"
trap 'rm -f "$results" "$block"' EXIT
{
  echo "<!-- bench:begin (written by scripts/bench.sh; edit outside the markers) -->"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on ${cpu:-an unknown CPU}, $(nproc) cores" \
       "(shared; the run is single-threaded), $(uname -sr), $(rustc --version)," \
       "cedar-policy $(grep -A1 '^name = "cedar-policy"$' bench/Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')," \
       "regorus $(grep -A1 '^name = "regorus"$' bench/Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')." \
       "Command: \`scripts/bench.sh\` (BENCH_ROUNDS=$ROUNDS)."
  echo
  cat "$results"
  echo
  echo "<!-- bench:end -->"
} > "$block"

if [[ -f "$DOC" ]] && grep -q '^<!-- bench:begin' "$DOC" && grep -q '^<!-- bench:end' "$DOC"; then
  awk -v block="$block" '
    /^<!-- bench:begin/ { while ((getline line < block) > 0) print line; skip = 1; next }
    /^<!-- bench:end/   { skip = 0; next }
    !skip               { print }
  ' "$DOC" > "$DOC.tmp" && mv "$DOC.tmp" "$DOC"
else
  { echo "# Performance"; echo; cat "$block"; } > "$DOC"
fi
echo "== wrote the results into ${DOC#$ROOT/}"
