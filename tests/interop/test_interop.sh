#!/usr/bin/env bash
# End-to-end interoperability of evidence bundles: the real `cavra` binary
# makes bundles, and both its own verifier and the independent Python one
# (verify_bundle.py) must accept the genuine ones and reject tampered ones,
# wrong keys and wrong secrets. Builds nothing: pass the binary.
#
#   bash tests/interop/test_interop.sh [path/to/cavra]   (default target/debug/cavra)
#
# Prints one line per step and `N passed, M failed` last; exits non-zero,
# naming the failing steps, when any step fails.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
verifier="$here/verify_bundle.py"
cavra=${1:-target/debug/cavra}
case $cavra in /*) ;; *) cavra="$PWD/$cavra" ;; esac
if [ ! -x "$cavra" ]; then
  echo "interop: no cavra binary at $cavra (build it with: cargo build -p cavra)" >&2
  exit 2
fi
if ! python3 -c "import cryptography" >/dev/null 2>&1; then
  echo "interop: python3 cannot import cryptography (run scripts/setup.sh)" >&2
  exit 2
fi

# A clean environment: no CAVRA_* settings leak in from the caller.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^CAVRA_' || true)
export NO_COLOR=1

work=$(mktemp -d "${TMPDIR:-/tmp}/cavra-interop.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

passed=0
failed=0
failures=()
out="$work/last-output.txt"

# step NAME WANT_EXIT [--grep TEXT] -- COMMAND...
# Runs COMMAND; the step passes when it exits WANT_EXIT and, with --grep,
# its output (stdout and stderr) contains TEXT.
step() {
  local name=$1 want=$2 grep_for=""
  shift 2
  if [ "$1" = "--grep" ]; then
    grep_for=$2
    shift 2
  fi
  [ "$1" = "--" ] && shift
  local rc=0
  "$@" >"$out" 2>&1 || rc=$?
  local why=""
  if [ "$rc" != "$want" ]; then
    why="exit $rc, expected $want"
  elif [ -n "$grep_for" ] && ! grep -qF -- "$grep_for" "$out"; then
    why="output lacks \"$grep_for\""
  fi
  if [ -z "$why" ]; then
    passed=$((passed + 1))
    printf 'ok    %s\n' "$name"
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf 'FAIL  %s: %s\n' "$name" "$why"
    sed 's/^/      | /' "$out" | tail -n 25
  fi
}

py_verify() { python3 "$verifier" "$@"; }

# Rewrites a ZIP entry by entry with Python's zipfile. Mode `flip NAME`
# changes one byte of NAME's content; `add NAME` appends an extra entry
# called NAME; `dup NAME` appends a second entry with NAME's name.
rezip() {
  python3 - "$@" <<'PY'
import sys, zipfile, warnings
src, dst, mode, name = sys.argv[1:5]
warnings.simplefilter("ignore")  # zipfile warns about duplicate names
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    # Read what `dup` needs first: writestr(info, ...) below rewrites the
    # shared ZipInfo's header offset, after which zin can no longer find it.
    original = zin.read(name) if mode == "dup" else b""
    for info in zin.infolist():
        data = zin.read(info)
        if mode == "flip" and info.filename == name:
            at = len(data) // 2
            data = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]
        zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    if mode == "add":
        zout.writestr(name, b"not part of the bundle\n")
    if mode == "dup":
        zout.writestr(name, original)
PY
}

# Edits a file of a ZIP and fixes its manifest entry (size and sha256) but
# cannot re-sign: only the signature can catch it.
rezip_fix_manifest() {
  python3 - "$@" <<'PY'
import sys, zipfile, json, hashlib
src, dst, name = sys.argv[1:4]
with zipfile.ZipFile(src) as zin:
    files = [(i, zin.read(i)) for i in zin.infolist()]
data = dict((i.filename, d) for i, d in files)
data[name] = data[name].replace(b"CAVRA", b"CAVRX", 1)
manifest = json.loads(data["manifest.json"])
for entry in manifest["files"]:
    if entry["path"] == name:
        entry["bytes"] = len(data[name])
        entry["sha256"] = hashlib.sha256(data[name]).hexdigest()
data["manifest.json"] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for info, _ in files:
        zout.writestr(info, data[info.filename], compress_type=zipfile.ZIP_DEFLATED)
PY
}

# Edits line 2 of a SHA256-mode bundle's decisions.jsonl (keeping it in
# canonical form) and recomputes the manifest entry and its SHA256 digest:
# with no key in play, only the hash chain can catch the edit.
rezip_edit_log_line() {
  python3 - "$@" <<'PY'
import sys, zipfile, json, hashlib
src, dst = sys.argv[1:3]
with zipfile.ZipFile(src) as zin:
    infos = zin.infolist()
    data = {i.filename: zin.read(i) for i in infos}
lines = data["decisions.jsonl"].decode().split("\n")
record = json.loads(lines[1])
record["target"] = "edited after the fact"
lines[1] = json.dumps(record, sort_keys=True)
data["decisions.jsonl"] = "\n".join(lines).encode()
manifest = json.loads(data["manifest.json"])
for entry in manifest["files"]:
    if entry["path"] == "decisions.jsonl":
        entry["bytes"] = len(data["decisions.jsonl"])
        entry["sha256"] = hashlib.sha256(data["decisions.jsonl"]).hexdigest()
assert manifest["signature"]["algorithm"] == "SHA256"
unsigned = {k: v for k, v in manifest.items() if k != "signature"}
manifest["signature"]["value"] = hashlib.sha256(json.dumps(unsigned, sort_keys=True).encode()).hexdigest()
data["manifest.json"] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in infos:
        zout.writestr(info, data[info.filename], compress_type=zipfile.ZIP_DEFLATED)
PY
}

# The manifest's public_key_sha256 of a bundle, and the sha256 of a file.
manifest_fingerprint() {
  python3 -c 'import sys, zipfile, json; print(json.loads(zipfile.ZipFile(sys.argv[1]).read("manifest.json"))["signature"]["public_key_sha256"])' "$1"
}
file_sha256() {
  python3 -c 'import sys, hashlib; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1"
}
same() { [ "$1" = "$2" ] || { echo "\"$1\" != \"$2\""; return 1; }; }

echo "== interop: $cavra in $work"

# --- Ed25519: the demo bundle --------------------------------------------
step "keys generate" 0 --grep "fingerprint" -- "$cavra" keys generate
step "keys generate (a second, unrelated key)" 0 -- "$cavra" keys generate --out other-keys
pub=.cavra/keys/cavra-ed25519.pub.pem
wrong_pub=other-keys/cavra-ed25519.pub.pem
step "demo writes a signed bundle" 0 --grep "signed, Ed25519" -- "$cavra" demo
zip=.cavra/demo/demo-session-evidence-bundle.zip
step "demo ZIP exists" 0 -- test -s "$zip"

step "cli: verify demo ZIP with the public key" 0 --grep "verified" -- \
  "$cavra" evidence verify "$zip" --public-key "$pub"
step "cli: verify demo ZIP without a key is not verified" 1 --grep "signature not checked" -- \
  "$cavra" evidence verify "$zip"
step "cli: verify demo folder with the public key" 0 -- \
  "$cavra" evidence verify .cavra/demo/demo-session-evidence-bundle --public-key "$pub"
step "python: verify demo ZIP with the public key (strict)" 0 --grep "verified" -- \
  py_verify "$zip" --public-key "$pub" --strict
step "python: demo ZIP without a key is not verified" 1 --grep "signature not checked" -- \
  py_verify "$zip"
step "python: verify demo folder with the public key" 0 -- \
  py_verify .cavra/demo/demo-session-evidence-bundle --public-key "$pub" --strict
step "python: usage error exits 2" 2 -- py_verify
step "python: missing public key file exits 2" 2 -- py_verify "$zip" --public-key nope.pem
step "public_key_sha256 is the sha256 of the public key file as written" 0 -- \
  same "$(manifest_fingerprint "$zip")" "$(file_sha256 "$pub")"
if command -v unzip >/dev/null 2>&1; then
  step "unzip -t demo ZIP" 0 --grep "No errors detected" -- unzip -t "$zip"
else
  echo "skip  unzip -t (unzip not installed)"
fi

# --- tampering and wrong keys ----------------------------------------------
step "prepare tampered.zip" 0 -- rezip "$zip" tampered.zip flip pr-attestation.md
step "cli: rejects a ZIP with one byte changed" 1 --grep "pr-attestation.md" -- \
  "$cavra" evidence verify tampered.zip --public-key "$pub"
step "python: rejects a ZIP with one byte changed" 1 --grep "file:pr-attestation.md" -- \
  py_verify tampered.zip --public-key "$pub"

step "prepare refreshed.zip" 0 -- rezip_fix_manifest "$zip" refreshed.zip evidence.json
step "cli: rejects a file change with a refreshed but unsigned manifest" 1 --grep "signature" -- \
  "$cavra" evidence verify refreshed.zip --public-key "$pub"
step "python: rejects a file change with a refreshed but unsigned manifest" 1 --grep "FAIL        signature" -- \
  py_verify refreshed.zip --public-key "$pub"

step "cli: rejects the wrong public key" 1 --grep "FAIL" -- \
  "$cavra" evidence verify "$zip" --public-key "$wrong_pub"
step "python: rejects the wrong public key" 1 --grep "FAIL        signature" -- \
  py_verify "$zip" --public-key "$wrong_pub"

step "prepare extra.zip" 0 -- rezip "$zip" extra.zip add notes.txt
step "cli: an unlisted extra entry warns" 0 --grep "notes.txt" -- \
  "$cavra" evidence verify extra.zip --public-key "$pub"
step "python: an unlisted extra entry warns" 0 --grep "notes.txt" -- \
  py_verify extra.zip --public-key "$pub"
step "cli: an unlisted extra entry fails with --strict" 1 -- \
  "$cavra" evidence verify extra.zip --public-key "$pub" --strict
step "python: an unlisted extra entry fails with --strict" 1 -- \
  py_verify extra.zip --public-key "$pub" --strict

step "prepare slip.zip" 0 -- rezip "$zip" slip.zip add ../escape.txt
step "cli: rejects a zip-slip entry" 1 --grep "zip-slip" -- \
  "$cavra" evidence verify slip.zip --public-key "$pub"
step "python: rejects a zip-slip entry" 1 --grep "zip-slip" -- \
  py_verify slip.zip --public-key "$pub"
step "prepare folder.zip" 0 -- rezip "$zip" folder.zip add sub/file.txt
step "cli: rejects an entry inside a folder" 1 --grep "flat" -- \
  "$cavra" evidence verify folder.zip --public-key "$pub"
step "python: rejects an entry inside a folder" 1 --grep "flat" -- \
  py_verify folder.zip --public-key "$pub"
step "prepare dup.zip" 0 -- rezip "$zip" dup.zip dup evidence.json
step "cli: rejects a repeated entry" 1 --grep "repeated" -- \
  "$cavra" evidence verify dup.zip --public-key "$pub"
step "python: rejects a repeated entry" 1 --grep "repeated" -- \
  py_verify dup.zip --public-key "$pub"

# --- HS256: a recorded session ----------------------------------------------
step "check 1 (session s1)" 0 -- "$cavra" check command "ls -la" --session s1 --workspace "$work"
step "check 2 (session s1)" 0 -- "$cavra" check read .env --session s1 --workspace "$work"
step "check 3 (session s1, non-ASCII)" 0 -- \
  "$cavra" check command "echo 'héllo ☃ 😀'" --session s1 --workspace "$work"
step "check 4 (session s1)" 0 -- "$cavra" check git push origin main --session s1 --workspace "$work"
step "cli: session log chain" 0 --grep "4 lines" -- \
  "$cavra" evidence verify-log .cavra/sessions/s1.jsonl

export CAVRA_EVIDENCE_SIGNING_KEY="interop-secret-$$"
step "bundle s1 signed HS256" 0 --grep "signed HS256" -- \
  "$cavra" evidence bundle --session s1 --sign hmac --out s1.zip
export WRONG_SECRET="not-the-secret"
step "cli: HS256 bundle with the right secret" 0 --grep "verified" -- \
  "$cavra" evidence verify s1.zip --hmac-key-env CAVRA_EVIDENCE_SIGNING_KEY
step "python: HS256 bundle with the right secret (strict)" 0 --grep "verified" -- \
  py_verify s1.zip --hmac-key-env CAVRA_EVIDENCE_SIGNING_KEY --strict
step "cli: HS256 bundle with a wrong secret" 1 --grep "FAIL" -- \
  "$cavra" evidence verify s1.zip --hmac-key-env WRONG_SECRET
step "python: HS256 bundle with a wrong secret" 1 --grep "FAIL        signature" -- \
  py_verify s1.zip --hmac-key-env WRONG_SECRET
step "cli: HS256 bundle without a secret is not verified" 1 --grep "signature not checked" -- \
  "$cavra" evidence verify s1.zip
step "python: HS256 bundle without a secret is not verified" 1 --grep "signature not checked" -- \
  py_verify s1.zip
step "prepare s1-tampered.zip" 0 -- rezip s1.zip s1-tampered.zip flip decisions.jsonl
step "cli: HS256 bundle with a changed log" 1 --grep "decisions.jsonl" -- \
  "$cavra" evidence verify s1-tampered.zip --hmac-key-env CAVRA_EVIDENCE_SIGNING_KEY
step "python: HS256 bundle with a changed log" 1 --grep "FAIL        file:decisions.jsonl" -- \
  py_verify s1-tampered.zip --hmac-key-env CAVRA_EVIDENCE_SIGNING_KEY
unset CAVRA_EVIDENCE_SIGNING_KEY WRONG_SECRET

# --- SHA256 (integrity only) and the downgrade to it ------------------------
step "bundle s1 with a SHA256 digest only" 0 --grep "integrity only" -- \
  "$cavra" evidence bundle --session s1 --sign sha256 --out s1-sha.zip
step "cli: SHA256 bundle verifies without a key (with a warning)" 0 --grep "integrity only" -- \
  "$cavra" evidence verify s1-sha.zip
step "python: SHA256 bundle verifies without a key (with a warning)" 0 --grep "integrity only" -- \
  py_verify s1-sha.zip --strict
step "prepare s1-sha-edited.zip" 0 -- rezip_edit_log_line s1-sha.zip s1-sha-edited.zip
step "cli: SHA256 bundle with an edited log line, digests recomputed" 1 --grep "session log line 2" -- \
  "$cavra" evidence verify s1-sha-edited.zip
step "python: SHA256 bundle with an edited log line, digests recomputed" 1 --grep "FAIL        session_log" -- \
  py_verify s1-sha-edited.zip
step "cli: SHA256 bundle checked with a public key fails (downgrade)" 1 -- \
  "$cavra" evidence verify s1-sha.zip --public-key "$pub"
step "python: SHA256 bundle checked with a public key fails (downgrade)" 1 -- \
  py_verify s1-sha.zip --public-key "$pub"

# --- Ed25519 bundle of the recorded session, with a pinned key id ----------
step "bundle s1 signed Ed25519 with key id" 0 --grep "signed Ed25519" -- \
  "$cavra" evidence bundle --session s1 --key .cavra/keys/cavra-ed25519.pem --key-id team-key-1 --out s1-ed.zip
step "cli: Ed25519 session bundle with the pinned key id" 0 -- \
  "$cavra" evidence verify s1-ed.zip --public-key "$pub" --key-id team-key-1
step "python: Ed25519 session bundle with the pinned key id (strict)" 0 -- \
  py_verify s1-ed.zip --public-key "$pub" --key-id team-key-1 --strict
step "cli: Ed25519 session bundle with another key id" 1 -- \
  "$cavra" evidence verify s1-ed.zip --public-key "$pub" --key-id someone-else
step "python: Ed25519 session bundle with another key id" 1 -- \
  py_verify s1-ed.zip --public-key "$pub" --key-id someone-else

echo "== interop summary"
if [ "$failed" -gt 0 ]; then
  printf 'failed step: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
