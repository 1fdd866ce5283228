#!/usr/bin/env python3
"""Independent verifier for CAVRA evidence bundles.

Written from the format spec (shared/spec/evidence.md), not from the Rust
engine, with Python's standard library and the `cryptography` package only,
so that a bundle the engine accepts is shown to be checkable by someone who
does not run CAVRA.

Usage:
    python3 verify_bundle.py BUNDLE.zip --public-key PUB.pem
    python3 verify_bundle.py BUNDLE.zip --hmac-key-env VAR
    python3 verify_bundle.py BUNDLE.zip            # SHA256 bundles only

Options: --key-id ID (pin the key id), --min-retention-days N, --strict
(unlisted files and departures from the spec's byte layout fail instead of
warn). BUNDLE may also be a bundle directory.

Exit codes: 0 verified, 1 not verified, 2 usage or input error. One line is
printed per check (`pass`, `warn`, `FAIL` or `not checked`), then a summary.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import sys
import zipfile

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - reported as a usage error
    sys.stderr.write(
        "verify_bundle.py needs the `cryptography` package: "
        "python3 -m pip install cryptography\n"
    )
    sys.exit(2)

SCHEMA_VERSION = "cavra.evidence.bundle.v1"
MANIFEST = "manifest.json"
LOG = "decisions.jsonl"
ATTESTATION = "attestation.intoto.json"
RETENTION = "retention-policy.json"
BUNDLE_ORDER = [
    "evidence.json",
    "pr-attestation.md",
    "compliance-mapping.md",
    "siem-event.json",
    "sandbox-run-summary.json",
    "retention-policy.json",
    "decisions.jsonl",
    "attestation.intoto.json",
    "manifest.json",
]
DSSE_PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
GENESIS_PREV = "sha256:" + "0" * 64
MAX_ENTRIES = 64
MAX_TOTAL_BYTES = 256 * 1024 * 1024
HEX64 = re.compile(r"^[0-9a-f]{64}$")


class UsageError(Exception):
    """Bad arguments or unreadable input: exit 2."""


class Report:
    """Collects checks and prints each as it is made."""

    def __init__(self, strict):
        self.strict = strict
        self.failed = []
        self.unchecked = []
        self.count = 0

    def _line(self, mark, name, detail):
        self.count += 1
        print("%-11s %-26s %s" % (mark, name, detail))
        sys.stdout.flush()

    def ok(self, name, detail):
        self._line("pass", name, detail)

    def fail(self, name, detail):
        self.failed.append(name)
        self._line("FAIL", name, detail)

    def warn(self, name, detail):
        self._line("warn", name, detail)

    def spec(self, name, detail):
        """A departure from the spec's layout that does not touch integrity:
        a warning, a failure with --strict."""
        if self.strict:
            self.fail(name, detail)
        else:
            self.warn(name, detail)

    def not_checked(self, name, detail):
        self.unchecked.append(name)
        self._line("not checked", name, detail)


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def canonical(value):
    """The spec's canonical form: Python's own json.dumps with sort_keys."""
    return json.dumps(value, sort_keys=True)


def pretty(value):
    """How the spec says bundle JSON files are written."""
    return json.dumps(value, indent=2, sort_keys=True) + "\n"


def reject_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        dup = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError("duplicate key(s) %s" % ", ".join(map(repr, dup)))
    return dict(pairs)


def parse_json(data):
    """Strict JSON: UTF-8, no duplicate keys, no NaN/Infinity."""
    def bad_constant(name):
        raise ValueError("non-standard JSON constant %s" % name)

    text = data.decode("utf-8") if isinstance(data, bytes) else data
    value = json.loads(
        text, object_pairs_hook=reject_duplicate_keys, parse_constant=bad_constant
    )
    # `\ud800` alone decodes to a lone surrogate, which is not Unicode text
    # (and which the engine's JSON parser refuses): refuse it too.
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("a string holds a lone UTF-16 surrogate escape")
    return value


def entry_name_problem(name):
    """Why a ZIP entry or manifest path is not a safe flat file name, or None."""
    if name == "":
        return "has an empty name"
    if "\0" in name:
        return "contains a NUL byte"
    if name.startswith("/") or name.startswith("\\"):
        return "is an absolute path"
    if len(name) >= 2 and name[1] == ":" and name[0].isascii() and name[0].isalpha():
        return "starts with a drive letter"
    if ".." in re.split(r"[/\\]", name):
        return "has a `..` segment (zip-slip)"
    if "/" in name or "\\" in name:
        return "is inside a folder; bundles are flat"
    if name in (".", ".."):
        return "is not a file name"
    if not all(0x20 <= ord(c) < 0x7F for c in name):
        return "is not plain printable ASCII"
    return None


def read_zip(path, report):
    """The entries of a bundle ZIP as [(name, bytes)], or None after a failed
    `zip` check. Names are checked before any content is read."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        report.fail("zip", "not a readable ZIP: %s" % error)
        return None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            report.fail("zip", "%d entries; a bundle holds at most %d" % (len(infos), MAX_ENTRIES))
            return None
        seen = set()
        total = 0
        for info in infos:
            problem = entry_name_problem(info.filename)
            if problem:
                report.fail("zip", "entry %r %s" % (info.filename, problem))
                return None
            if info.filename in seen:
                report.fail("zip", "entry %r is repeated" % info.filename)
                return None
            seen.add(info.filename)
            if info.flag_bits & 0x1:
                report.fail("zip", "entry %r is encrypted" % info.filename)
                return None
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                report.fail("zip", "declares more than %d uncompressed bytes (zip bomb?)" % MAX_TOTAL_BYTES)
                return None
        entries = []
        for info in infos:
            try:
                with archive.open(info) as handle:
                    data = handle.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
                report.fail("zip", "entry %r cannot be read: %s" % (info.filename, error))
                return None
            if len(data) != info.file_size:
                report.fail("zip", "entry %r does not inflate to its declared size" % info.filename)
                return None
            entries.append((info.filename, data))
        report.ok("zip", "%d entries read safely (names checked, CRCs checked)" % len(entries))

        # Spec section 5: flat, manifest first, then bundle order, DEFLATE.
        names = [info.filename for info in infos]
        known = [n for n in names[1:] if n in BUNDLE_ORDER]
        expected = [n for n in BUNDLE_ORDER if n in known]
        stored = [info.filename for info in infos if info.compress_type != zipfile.ZIP_DEFLATED]
        if names[:1] != [MANIFEST] or known != expected:
            report.spec("zip_layout", "entries are not manifest.json first then bundle order: %s" % ", ".join(names))
        elif stored:
            report.spec("zip_layout", "entries not DEFLATE-compressed: %s" % ", ".join(stored))
        else:
            report.ok("zip_layout", "manifest.json first, bundle order, DEFLATE")
        return entries


def read_dir(path, report):
    entries = []
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        if not os.path.isfile(full) or os.path.islink(full):
            report.fail("bundle", "%r is not a regular file; bundles are flat" % name)
            return None
        problem = entry_name_problem(name)
        if problem:
            report.fail("bundle", "file %r %s" % (name, problem))
            return None
        with open(full, "rb") as handle:
            entries.append((name, handle.read()))
    if len(entries) > MAX_ENTRIES:
        report.fail("bundle", "%d files; a bundle holds at most %d" % (len(entries), MAX_ENTRIES))
        return None
    report.ok("bundle", "%d files read from the directory" % len(entries))
    return entries


def check_manifest(files, report):
    """Parses manifest.json; returns it or None (a failed check)."""
    raw = files.get(MANIFEST)
    if raw is None:
        report.fail("manifest", "manifest.json is missing")
        return None
    try:
        manifest = parse_json(raw)
    except (ValueError, UnicodeDecodeError) as error:
        report.fail("manifest", "manifest.json is not valid JSON: %s" % error)
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        report.fail("manifest", "manifest.json is not an object with a `files` list")
        return None
    report.ok("manifest", "manifest.json is present and well-formed")
    if manifest.get("schema_version") == SCHEMA_VERSION:
        report.ok("schema_version", SCHEMA_VERSION)
    else:
        report.fail("schema_version", "unknown schema version %r" % manifest.get("schema_version"))
    if raw == pretty(manifest).encode("utf-8"):
        report.ok("manifest_bytes", "manifest.json is json.dumps(m, indent=2, sort_keys=True) + \"\\n\" byte for byte")
    else:
        report.fail("manifest_bytes", "manifest.json is not json.dumps(m, indent=2, sort_keys=True) + \"\\n\"")
    return manifest


def check_listed(manifest, files, report):
    """One check per manifest entry; returns the set of listed names."""
    listed = []
    for index, entry in enumerate(manifest["files"], start=1):
        path = entry.get("path") if isinstance(entry, dict) else None
        size = entry.get("bytes") if isinstance(entry, dict) else None
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(path, str) or type(size) is not int or not isinstance(digest, str):
            report.fail("file:#%d" % index, "manifest entry lacks a path, byte count or sha256")
            continue
        name = "file:" + path
        problem = entry_name_problem(path)
        if problem:
            report.fail(name, "listed path %r %s" % (path, problem))
            continue
        if path == MANIFEST or path in listed:
            report.fail(name, "%s is listed more than once" % path)
            continue
        listed.append(path)
        data = files.get(path)
        if data is None:
            report.fail(name, "listed but missing")
        elif len(data) != size:
            report.fail(name, "%d bytes, the manifest says %d" % (len(data), size))
        elif sha256_hex(data) != digest:
            report.fail(name, "SHA-256 differs from the manifest (modified)")
        else:
            report.ok(name, "%d bytes, sha256 %s" % (size, digest))
    order = [p for p in listed if p in BUNDLE_ORDER]
    if order != [p for p in BUNDLE_ORDER if p in order]:
        report.spec("manifest_order", "files are not listed in bundle order: %s" % ", ".join(listed))
    unlisted = sorted(n for n in files if n != MANIFEST and n not in listed)
    if unlisted:
        detail = "not in the manifest, so not covered by its signature: " + ", ".join(unlisted)
        if report.strict:
            report.fail("unlisted_files", detail)
        else:
            report.warn("unlisted_files", detail)
    else:
        report.ok("unlisted_files", "every file is listed in the manifest")
    return set(listed)


def check_log(files, report):
    """The hash chain of decisions.jsonl, rebuilt from its raw bytes."""
    raw = files.get(LOG)
    if raw is None:
        report.fail("session_log", "decisions.jsonl is missing")
        return
    if raw == b"":
        report.ok("session_log", "empty log")
        return
    if not raw.endswith(b"\n"):
        report.fail("session_log", "does not end with a newline (a torn last line?)")
        return
    prev = GENESIS_PREV
    lines = raw[:-1].split(b"\n")
    for number, line in enumerate(lines, start=1):
        where = "line %d: " % number
        if line.endswith(b"\r"):
            report.fail("session_log", where + "ends with a carriage return")
            return
        try:
            value = parse_json(line)
        except (ValueError, UnicodeDecodeError) as error:
            report.fail("session_log", where + "is not valid JSON: %s" % error)
            return
        if canonical(value).encode("utf-8") != line:
            report.fail("session_log", where + "is not json.dumps(line, sort_keys=True) (edited?)")
            return
        if not isinstance(value, dict):
            report.fail("session_log", where + "is not a JSON object")
            return
        if type(value.get("seq")) is not int or value["seq"] != number:
            report.fail("session_log", where + "seq is %r, expected %d" % (value.get("seq"), number))
            return
        if value.get("prev") != prev:
            report.fail("session_log", where + "prev does not match the hash of the line before")
            return
        if not isinstance(value.get("decision_id"), str):
            report.fail("session_log", where + "holds no decision (no decision_id)")
            return
        prev = "sha256:" + sha256_hex(line)
    report.ok("session_log", "hash chain intact over %d lines" % len(lines))


def load_public_key(path):
    try:
        with open(path, "rb") as handle:
            pem = handle.read()
    except OSError as error:
        raise UsageError("cannot read public key %s: %s" % (path, error))
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as error:
        raise UsageError("%s is not a PEM public key: %s" % (path, error))
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError("%s is not an Ed25519 public key" % path)
    return key


def fingerprint(key):
    """sha256 hex of the key's SPKI PEM text in the spec's exact layout."""
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return sha256_hex(pem)


def ed25519_ok(key, signature_b64, message):
    try:
        raw = base64.b64decode(signature_b64, validate=True)
    except (ValueError, TypeError):
        return False
    if len(raw) != 64:
        return False
    try:
        key.verify(raw, message)
        return True
    except InvalidSignature:
        return False


def check_signature(manifest, args, key, secret, report):
    signature = manifest.get("signature")
    if not isinstance(signature, dict) or not isinstance(signature.get("value"), str):
        report.fail("signature", "the manifest is unsigned or its signature has no value")
        return None
    algorithm = signature.get("algorithm")
    value = signature["value"]
    unsigned = {k: v for k, v in manifest.items() if k != "signature"}
    message = canonical(unsigned).encode("utf-8")
    supplied = "an Ed25519 public key" if key is not None else "an HMAC secret" if secret is not None else None

    if algorithm == "SHA256":
        if supplied:
            report.fail("signature", "only a SHA256 digest, but %s was supplied: a digest proves no author" % supplied)
        elif hmac.compare_digest(value, sha256_hex(message)):
            report.warn("signature", "SHA256 digest of the canonical manifest matches: integrity only, no authenticity")
        else:
            report.fail("signature", "SHA256 digest does not match the canonical manifest")
    elif algorithm == "HS256":
        if secret is None:
            report.not_checked("signature", "signature not checked: HS256 needs --hmac-key-env")
        else:
            expected = base64.b64encode(hmac.new(secret, message, hashlib.sha256).digest()).decode()
            if hmac.compare_digest(value, expected):
                report.ok("signature", "HS256 verified with the secret from $%s" % args.hmac_key_env)
            else:
                report.fail("signature", "HS256 does not match: wrong secret, or the manifest was modified")
    elif algorithm == "Ed25519":
        if key is None:
            report.not_checked("signature", "signature not checked: Ed25519 needs --public-key")
        elif ed25519_ok(key, value, message):
            report.ok("signature", "Ed25519 verified over the canonical manifest")
        else:
            report.fail("signature", "Ed25519 does not verify: wrong public key, or the manifest was modified")
    else:
        report.fail("signature", "unknown signature algorithm %r" % algorithm)

    if args.key_id is not None:
        if signature.get("key_id") == args.key_id:
            report.ok("key_id", "key id %r as pinned" % args.key_id)
        else:
            report.fail("key_id", "the manifest names key %r, expected %r" % (signature.get("key_id"), args.key_id))
    if algorithm == "Ed25519" and key is not None:
        actual = fingerprint(key)
        recorded = signature.get("public_key_sha256")
        if recorded == actual:
            report.ok("key_fingerprint", "public_key_sha256 %s" % actual)
        else:
            report.fail("key_fingerprint", "the manifest records %r, the supplied key is %s" % (recorded, actual))
        key_id = signature.get("key_id")
        if args.key_id is None:
            if key_id == actual[:16]:
                report.ok("key_id", "key id %s is the first 16 hex of the fingerprint" % key_id)
            elif isinstance(key_id, str) and key_id:
                report.warn("key_id", "custom key id %r (not derived from the key); pin it with --key-id" % key_id)
            else:
                report.fail("key_id", "the manifest names no key id")
    return algorithm


def check_attestation(files, listed, manifest, key, algorithm, report):
    raw = files.get(ATTESTATION)
    if raw is None:
        if algorithm == "Ed25519":
            report.fail("attestation", "attestation.intoto.json is missing (the spec requires it with Ed25519)")
        return
    if ATTESTATION not in listed:
        report.fail("attestation", "attestation.intoto.json is not listed in the manifest")
        return
    if key is None:
        report.not_checked("attestation", "attestation not checked: it needs --public-key")
        return
    try:
        envelope = parse_json(raw)
        payload_type = envelope["payloadType"]
        payload = base64.b64decode(envelope["payload"], validate=True)
        signatures = envelope["signatures"]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError) as error:
        report.fail("attestation", "not a DSSE envelope: %s" % error)
        return
    if payload_type != DSSE_PAYLOAD_TYPE:
        report.fail("attestation", "payloadType is %r" % payload_type)
        return
    type_bytes = payload_type.encode("utf-8")
    pae = b"DSSEv1 %d %s %d %s" % (len(type_bytes), type_bytes, len(payload), payload)
    good = [s for s in signatures if isinstance(s, dict) and isinstance(s.get("sig"), str) and ed25519_ok(key, s["sig"], pae)]
    if not good:
        report.fail("attestation", "no DSSE signature verifies over the PAE with the public key")
        return
    try:
        statement = parse_json(payload)
    except (ValueError, UnicodeDecodeError) as error:
        report.fail("attestation", "statement is not JSON: %s" % error)
        return
    if not isinstance(statement, dict) or statement.get("_type") != STATEMENT_TYPE:
        report.fail("attestation", "statement _type is not %s" % STATEMENT_TYPE)
        return
    if not isinstance(statement.get("predicateType"), str) or not statement["predicateType"]:
        report.fail("attestation", "statement has no predicateType")
        return
    subjects = {}
    for subject in statement.get("subject") or []:
        name = subject.get("name") if isinstance(subject, dict) else None
        digest = (subject.get("digest") or {}).get("sha256") if isinstance(subject, dict) else None
        if not isinstance(name, str) or not isinstance(digest, str):
            report.fail("attestation", "a subject lacks a name or sha256 digest")
            return
        if name in subjects:
            report.fail("attestation", "subject %r is listed twice" % name)
            return
        subjects[name] = digest
    covered = [n for n in listed if n not in (ATTESTATION, MANIFEST)]
    for name in covered:
        if name not in subjects:
            report.fail("attestation", "the statement does not cover %s" % name)
            return
    for name, digest in subjects.items():
        if name not in files:
            report.fail("attestation", "subject %s is not in the bundle" % name)
            return
        if name not in covered:
            report.fail("attestation", "subject %s is not a signed bundle file" % name)
            return
        if sha256_hex(files[name]) != digest:
            report.fail("attestation", "subject %s: digest does not match the file" % name)
            return
    keyids = {s.get("keyid") for s in good}
    manifest_key_id = (manifest.get("signature") or {}).get("key_id")
    detail = "DSSE PAE signature verified; %d subjects match the files" % len(subjects)
    if manifest_key_id not in keyids:
        report.warn("attestation", detail + "; but its keyid %s differs from the manifest's %r" % (sorted(map(str, keyids)), manifest_key_id))
    else:
        report.ok("attestation", detail)


def check_json_layout(files, listed, report):
    """Spec section 2: JSON files are 2-space indented, keys sorted, one
    final newline (manifest.json is checked on its own)."""
    odd = []
    for name in sorted(listed):
        if not name.endswith(".json"):
            continue
        try:
            if files[name] != pretty(parse_json(files[name])).encode("utf-8"):
                odd.append(name)
        except (ValueError, UnicodeDecodeError, KeyError):
            odd.append(name)
    if odd:
        report.spec("json_layout", "not json.dumps(v, indent=2, sort_keys=True) + \"\\n\": " + ", ".join(odd))
    else:
        report.ok("json_layout", "every JSON file is indent=2, sort_keys=True, final newline")


def check_text_layout(files, listed, report):
    """Spec section 2: text files are UTF-8 with `\n` line endings and one
    final newline."""
    odd = []
    for name in sorted(listed):
        data = files.get(name, b"")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            odd.append(name + " (not UTF-8)")
            continue
        if b"\r" in data:
            odd.append(name + " (carriage return)")
        elif data and (not data.endswith(b"\n") or data.endswith(b"\n\n")):
            odd.append(name + " (not exactly one final newline)")
    if odd:
        report.spec("text_layout", ", ".join(odd))
    else:
        report.ok("text_layout", "every file is UTF-8 with \\n line endings and one final newline")


def check_retention(files, minimum, report):
    try:
        days = parse_json(files[RETENTION]).get("retention_days")
    except (KeyError, ValueError, UnicodeDecodeError, AttributeError):
        days = None
    if type(days) is not int:
        report.fail("retention", "retention-policy.json is missing or has no integer retention_days")
    elif days < minimum:
        report.fail("retention", "retention is %d days, less than the required %d" % (days, minimum))
    else:
        report.ok("retention", "retention %d days >= %d" % (days, minimum))


def parse_args(argv):
    class Parser(argparse.ArgumentParser):
        def error(self, message):
            self.print_usage(sys.stderr)
            sys.stderr.write("verify_bundle.py: error: %s\n" % message)
            sys.exit(2)

    parser = Parser(description="Verify a CAVRA evidence bundle independently of the engine.")
    parser.add_argument("bundle", help="bundle ZIP (or bundle directory)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--public-key", metavar="PEM", help="Ed25519 SPKI PEM public key")
    group.add_argument("--hmac-key-env", metavar="VAR", help="environment variable holding the HS256 secret")
    parser.add_argument("--key-id", metavar="ID", help="the key id the manifest must name")
    parser.add_argument("--min-retention-days", metavar="N", type=int, help="fail unless retention_days >= N")
    parser.add_argument("--strict", action="store_true", help="unlisted files and layout departures fail")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        key = load_public_key(args.public_key) if args.public_key else None
        secret = None
        if args.hmac_key_env:
            if args.hmac_key_env not in os.environ:
                raise UsageError("the environment variable %s is not set" % args.hmac_key_env)
            secret = os.environ[args.hmac_key_env].encode("utf-8")
        if not os.path.exists(args.bundle):
            raise UsageError("%s does not exist" % args.bundle)
    except UsageError as error:
        sys.stderr.write("verify_bundle.py: error: %s\n" % error)
        return 2

    report = Report(args.strict)
    if os.path.isdir(args.bundle):
        entries = read_dir(args.bundle, report)
    else:
        entries = read_zip(args.bundle, report)
    if entries is not None:
        files = dict(entries)
        manifest = check_manifest(files, report)
        if manifest is not None:
            listed = check_listed(manifest, files, report)
            check_log(files, report)
            algorithm = check_signature(manifest, args, key, secret, report)
            check_attestation(files, listed, manifest, key, algorithm, report)
            check_json_layout(files, listed, report)
            check_text_layout(files, listed, report)
            if args.min_retention_days is not None:
                check_retention(files, args.min_retention_days, report)

    if report.failed:
        print("NOT VERIFIED: failed %s" % ", ".join(report.failed))
        return 1
    if report.unchecked:
        print("NOT VERIFIED: signature not checked (no key supplied)")
        return 1
    print("verified (%d checks)" % report.count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
