//! Evidence through the real `cavra` binary: concurrent session-log
//! appends, torn-line recovery, bundle verification exit codes, SIEM
//! exports, signed policies, key files, overwrite protection and
//! reproducible ZIPs. Every test works in its own temporary directory.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Barrier};

/// A temporary directory removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("cavra-evidence-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    /// `rel` under the directory, as a string for a command line.
    fn arg(&self, rel: &str) -> String {
        self.join(rel).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `cavra` in `dir` with a clean environment (no CAVRA_* variables)
/// plus `env`.
fn cavra_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cavra"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CAVRA_POLICY_DIR")
        .env_remove("CAVRA_POLICY_PACK")
        .env_remove("CAVRA_SESSION")
        .env_remove("CAVRA_EVIDENCE_SIGNING_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CAVRA_") {
            cmd.env_remove(name);
        }
    }
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.output().expect("cavra runs")
}

fn cavra(dir: &Path, args: &[&str]) -> Output {
    cavra_env(dir, args, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing both streams when it differs.
#[track_caller]
fn expect_code(o: &Output, code: i32, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "{what}\n--- stdout\n{}\n--- stderr\n{}",
        stdout(o),
        stderr(o)
    );
}

/// Records `checks` into session `session` under the workspace `dir`.
fn record(dir: &TempDir, session: &str, checks: &[&[&str]]) {
    let workspace = dir.arg("");
    for check in checks {
        let mut args = vec!["check"];
        args.extend_from_slice(check);
        args.extend_from_slice(&["--session", session, "--workspace", &workspace]);
        let out = cavra(dir.path(), &args);
        expect_code(&out, 0, &format!("cavra {}", args.join(" ")));
    }
}

const SESSION_CHECKS: &[&[&str]] = &[
    &["command", "ls -la"],
    &["read", ".env"],
    &["write", "iam/x.tf"],
    &["git", "push", "origin", "main"],
    &["command", "echo 'héllo ☃ 😀'"],
    &["pr", "--title", "Add a feature"],
];

/// Generates a key pair into `dir/<sub>` and returns (private, public) paths.
fn keys(dir: &TempDir, sub: &str) -> (String, String) {
    let out = cavra(dir.path(), &["keys", "generate", "--out", &dir.arg(sub)]);
    expect_code(&out, 0, "keys generate");
    (
        dir.arg(&format!("{sub}/cavra-ed25519.pem")),
        dir.arg(&format!("{sub}/cavra-ed25519.pub.pem")),
    )
}

/// Bundles session `session` of workspace `dir` to `out`, Ed25519-signed.
fn bundle(dir: &TempDir, session: &str, key: &str, out: &str, extra: &[&str]) -> Output {
    let workspace = dir.arg("");
    let mut args = vec![
        "evidence",
        "bundle",
        "--session",
        session,
        "--workspace",
        &workspace,
        "--key",
        key,
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    cavra(dir.path(), &args)
}

fn copy_flat_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy");
    for entry in std::fs::read_dir(from).expect("read bundle dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy file");
    }
}

fn log_lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("read log");
    assert!(text.ends_with('\n'), "the log ends with a newline");
    text.lines()
        .map(|line| serde_json::from_str(line).expect("log line is JSON"))
        .collect()
}

#[test]
fn concurrent_appends_keep_one_intact_chain() {
    let dir = TempDir::new("race");
    let workers = 8;
    let per_worker = 10;
    let barrier = Arc::new(Barrier::new(workers));
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let root = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let workspace = root.display().to_string();
                barrier.wait();
                for _ in 0..per_worker {
                    let out = cavra(
                        &root,
                        &[
                            "check",
                            "command",
                            "ls",
                            "--session",
                            "race",
                            "--workspace",
                            &workspace,
                        ],
                    );
                    expect_code(&out, 0, "concurrent check");
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("worker thread");
    }

    let log = dir.join(".cavra/sessions/race.jsonl");
    let out = cavra(
        dir.path(),
        &["evidence", "verify-log", &log.display().to_string()],
    );
    expect_code(&out, 0, "verify-log after concurrent appends");
    assert!(stdout(&out).contains("80 lines"), "{}", stdout(&out));
    let lines = log_lines(&log);
    assert_eq!(lines.len(), workers * per_worker);
    for (index, line) in lines.iter().enumerate() {
        assert_eq!(line["seq"].as_u64(), Some(index as u64 + 1));
        assert_eq!(line["session_id"], "race");
    }
    let ids: std::collections::HashSet<&str> = lines
        .iter()
        .map(|l| l["decision_id"].as_str().expect("decision_id"))
        .collect();
    assert_eq!(ids.len(), 80, "every decision is logged once");
}

#[test]
fn a_torn_last_line_is_dropped_by_the_next_append() {
    let dir = TempDir::new("torn");
    record(&dir, "torn", &SESSION_CHECKS[..3]);
    let log = dir.join(".cavra/sessions/torn.jsonl");
    let before = std::fs::read(&log).expect("log");
    let fragment = b"{\"action_type\": \"execute_command\", \"actor\": \"ha";
    let mut torn = before.clone();
    torn.extend_from_slice(fragment);
    std::fs::write(&log, &torn).expect("tear the log");

    let log_arg = log.display().to_string();
    let out = cavra(dir.path(), &["evidence", "verify-log", &log_arg]);
    expect_code(&out, 1, "a torn line fails verify-log until repaired");
    assert!(stdout(&out).contains("line 4"), "{}", stdout(&out));

    record(&dir, "torn", &SESSION_CHECKS[3..4]);
    let out = cavra(dir.path(), &["evidence", "verify-log", &log_arg]);
    expect_code(&out, 0, "verify-log after the repairing append");
    let after = std::fs::read(&log).expect("log");
    assert!(
        after.starts_with(&before),
        "complete lines are kept verbatim"
    );
    assert!(
        !after.windows(fragment.len()).any(|w| w == fragment),
        "the torn fragment is gone"
    );
    let lines = log_lines(&log);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[3]["seq"], 4);
    assert_eq!(lines[3]["target"], "origin/main");
    assert_eq!(lines[3]["session_id"], "torn");
}

#[test]
fn verify_exit_codes_for_every_outcome() {
    let dir = TempDir::new("verify");
    record(&dir, "s1", SESSION_CHECKS);
    let (key, public) = keys(&dir, "keys");
    let (_, other_public) = keys(&dir, "other");
    let bundle_dir = dir.arg("bundle");
    expect_code(&bundle(&dir, "s1", &key, &bundle_dir, &[]), 0, "bundle");
    let verify = |args: &[&str]| {
        let mut all = vec!["evidence", "verify"];
        all.extend_from_slice(args);
        cavra(dir.path(), &all)
    };

    let out = verify(&[&bundle_dir, "--public-key", &public]);
    expect_code(&out, 0, "verified with the public key");
    assert_eq!(stdout(&out).lines().last(), Some("verified"));

    let out = verify(&[&bundle_dir]);
    expect_code(&out, 1, "signed bundle without a key");
    assert!(
        stdout(&out).contains("signature not checked"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).lines().any(|l| l == "verified"));

    let out = verify(&[&bundle_dir, "--allow-unverified"]);
    expect_code(&out, 0, "--allow-unverified");
    assert!(
        stdout(&out).contains("signature not checked"),
        "{}",
        stdout(&out)
    );

    let out = verify(&[&bundle_dir, "--public-key", &other_public]);
    expect_code(&out, 1, "wrong public key");
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("FAIL") && l.contains("signature")),
        "{}",
        stdout(&out)
    );

    let tampered = dir.join("tampered");
    copy_flat_dir(Path::new(&bundle_dir), &tampered);
    let target = tampered.join("pr-attestation.md");
    let mut bytes = std::fs::read(&target).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&target, bytes).expect("tamper");
    let tampered_arg = tampered.display().to_string();
    let out = verify(&[&tampered_arg, "--public-key", &public]);
    expect_code(&out, 1, "tampered file");
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("FAIL") && l.contains("file:pr-attestation.md")),
        "the failing check names the file:\n{}",
        stdout(&out)
    );

    let extra = dir.join("extra");
    copy_flat_dir(Path::new(&bundle_dir), &extra);
    std::fs::write(extra.join("notes.txt"), "not in the manifest\n").expect("extra");
    let extra_arg = extra.display().to_string();
    let out = verify(&[&extra_arg, "--public-key", &public]);
    expect_code(&out, 0, "an extra file only warns");
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("warn") && l.contains("notes.txt")),
        "{}",
        stdout(&out)
    );
    let out = verify(&[&extra_arg, "--public-key", &public, "--strict"]);
    expect_code(&out, 1, "an extra file fails with --strict");

    let out = verify(&[
        &bundle_dir,
        "--public-key",
        &public,
        "--min-retention-days",
        "3000",
    ]);
    expect_code(&out, 1, "retention 2555 < 3000");
    assert!(stdout(&out).contains("2555"), "{}", stdout(&out));
    let out = verify(&[
        &bundle_dir,
        "--public-key",
        &public,
        "--min-retention-days",
        "2555",
    ]);
    expect_code(&out, 0, "retention 2555 >= 2555");

    let out = verify(&[&dir.arg("no-such-bundle.zip"), "--public-key", &public]);
    expect_code(&out, 2, "a missing bundle is an input error");
}

#[test]
fn export_siem_writes_each_products_payload() {
    let dir = TempDir::new("siem");
    record(&dir, "s1", SESSION_CHECKS);
    let (key, _) = keys(&dir, "keys");
    let zip = dir.arg("s1.zip");
    expect_code(&bundle(&dir, "s1", &key, &zip, &[]), 0, "bundle");
    let n = SESSION_CHECKS.len();
    let export = |format: &str| {
        let out = cavra(
            dir.path(),
            &["evidence", "export-siem", &zip, "--format", format],
        );
        expect_code(&out, 0, &format!("export-siem --format {format}"));
        stdout(&out)
    };

    let splunk = export("splunk-hec");
    let events: Vec<Value> = splunk
        .lines()
        .map(|l| serde_json::from_str(l).expect("each HEC line is JSON"))
        .collect();
    assert_eq!(events.len(), n);
    for event in &events {
        assert!(event["event"].is_object(), "{event}");
        assert_eq!(event["event"]["session_id"], "s1");
        assert_eq!(event["sourcetype"], "cavra:decision");
    }

    let sentinel: Value = serde_json::from_str(&export("sentinel")).expect("JSON");
    let records = sentinel.as_array().expect("sentinel is a JSON array");
    assert_eq!(records.len(), n);
    assert!(records.iter().all(|r| r["TimeGenerated"].is_string()));

    let datadog: Value = serde_json::from_str(&export("datadog")).expect("JSON");
    let items = datadog.as_array().expect("datadog is a JSON array");
    assert_eq!(items.len(), n);
    assert!(items.iter().all(|i| i["ddsource"] == "cavra"));

    let cef = export("cef");
    assert_eq!(cef.lines().count(), n);
    for line in cef.lines() {
        assert!(line.starts_with("CEF:0|CAVRA|"), "{line}");
    }

    let webhook: Value = serde_json::from_str(&export("webhook")).expect("JSON");
    assert_eq!(webhook["event_type"], "cavra.evidence_bundle");
    assert_eq!(webhook["session_id"], "s1");
    assert_eq!(webhook["decision_count"], n);
    // max_severity ranks low < medium < high < critical (not alphabetically).
    let rank = |s: &str| {
        ["low", "medium", "high", "critical"]
            .iter()
            .position(|r| *r == s)
    };
    let severities: Vec<&str> = webhook["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .map(|d| d["severity"].as_str().expect("severity"))
        .collect();
    let highest = severities
        .iter()
        .copied()
        .max_by_key(|s| rank(s))
        .expect("some");
    assert_eq!(webhook["max_severity"], highest, "{severities:?}");
    // The session holds low, medium and high: string order would say medium.
    assert_eq!(highest, "high", "{severities:?}");
    assert!(severities.contains(&"medium"), "{severities:?}");

    // --out writes the same payload to a file.
    let file = dir.arg("cef.txt");
    let out = cavra(
        dir.path(),
        &[
            "evidence",
            "export-siem",
            &zip,
            "--format",
            "cef",
            "--out",
            &file,
        ],
    );
    expect_code(&out, 0, "export-siem --out");
    assert_eq!(std::fs::read_to_string(&file).expect("written"), cef);
}

#[test]
fn policy_sign_and_verify() {
    let dir = TempDir::new("policy");
    let (key, public) = keys(&dir, "keys");
    let (_, other_public) = keys(&dir, "other");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../policies/cavra-ai-agent-baseline/policy.yaml");
    let policy = dir.join("policy.yaml");
    let original = std::fs::read(&source).expect("baseline policy");
    std::fs::write(&policy, &original).expect("copy policy");
    let policy_arg = policy.display().to_string();

    let out = cavra(dir.path(), &["policy", "sign", &policy_arg, "--key", &key]);
    expect_code(&out, 0, "policy sign");
    assert!(dir.join("policy.yaml.sig.json").is_file());

    let verify = |public: &str| {
        cavra(
            dir.path(),
            &["policy", "verify", &policy_arg, "--public-key", public],
        )
    };
    expect_code(&verify(&public), 0, "policy verify");

    let mut changed = original.clone();
    let at = changed.len() / 2;
    changed[at] ^= 0x01;
    std::fs::write(&policy, &changed).expect("change a byte");
    expect_code(&verify(&public), 1, "a changed policy fails");

    std::fs::write(&policy, &original).expect("restore");
    expect_code(&verify(&public), 0, "the restored policy verifies again");
    expect_code(&verify(&other_public), 1, "another key fails");
}

#[test]
fn keys_generate_does_not_replace_a_key_without_force() {
    let dir = TempDir::new("keys");
    let (private, public) = keys(&dir, "k");
    let first_private = std::fs::read(&private).expect("private key");
    let first_public = std::fs::read(&public).expect("public key");
    assert!(String::from_utf8_lossy(&first_private).starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(String::from_utf8_lossy(&first_public).starts_with("-----BEGIN PUBLIC KEY-----"));

    let out = cavra(dir.path(), &["keys", "generate", "--out", &dir.arg("k")]);
    expect_code(&out, 2, "a second keys generate without --force");
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&private).expect("private"), first_private);
    assert_eq!(std::fs::read(&public).expect("public"), first_public);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "private key mode is {:o}",
            mode & 0o777
        );
    }

    let out = cavra(
        dir.path(),
        &["keys", "generate", "--out", &dir.arg("k"), "--force"],
    );
    expect_code(&out, 0, "keys generate --force");
    assert_ne!(std::fs::read(&private).expect("private"), first_private);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "replaced private key mode is {:o}",
            mode & 0o777
        );
    }
}

#[test]
fn bundle_does_not_overwrite_without_force() {
    let dir = TempDir::new("overwrite");
    record(&dir, "s1", &SESSION_CHECKS[..2]);
    let (key, _) = keys(&dir, "keys");
    for out_name in ["b.zip", "b-dir"] {
        let out_path = dir.arg(out_name);
        let first = bundle(
            &dir,
            "s1",
            &key,
            &out_path,
            &["--created-at", "2026-11-25T10:00:00Z"],
        );
        expect_code(&first, 0, "first bundle");
        let snapshot = |p: &Path| -> Vec<(String, Vec<u8>)> {
            if p.is_dir() {
                let mut files: Vec<_> = std::fs::read_dir(p)
                    .expect("dir")
                    .map(|e| {
                        let e = e.expect("entry");
                        (
                            e.file_name().to_string_lossy().into_owned(),
                            std::fs::read(e.path()).expect("file"),
                        )
                    })
                    .collect();
                files.sort();
                files
            } else {
                vec![(String::new(), std::fs::read(p).expect("zip"))]
            }
        };
        let before = snapshot(Path::new(&out_path));
        // A different time, so an overwrite would change the bytes.
        let second = bundle(
            &dir,
            "s1",
            &key,
            &out_path,
            &["--created-at", "2027-01-01T00:00:00Z"],
        );
        expect_code(&second, 2, &format!("second bundle to {out_name}"));
        assert!(stderr(&second).contains("--force"), "{}", stderr(&second));
        assert_eq!(
            snapshot(Path::new(&out_path)),
            before,
            "{out_name} unchanged"
        );

        let forced = bundle(
            &dir,
            "s1",
            &key,
            &out_path,
            &["--created-at", "2027-01-01T00:00:00Z", "--force"],
        );
        expect_code(&forced, 0, "bundle --force");
        assert_ne!(
            snapshot(Path::new(&out_path)),
            before,
            "{out_name} replaced"
        );
    }
}

#[test]
fn the_same_session_bundles_to_identical_zip_bytes() {
    let dir = TempDir::new("repro");
    record(&dir, "s1", SESSION_CHECKS);
    let (key, public) = keys(&dir, "keys");
    let pinned = ["--created-at", "2026-11-25T10:00:00Z"];
    let (a, b) = (dir.arg("a.zip"), dir.arg("b/b.zip"));
    expect_code(&bundle(&dir, "s1", &key, &a, &pinned), 0, "bundle a");
    expect_code(&bundle(&dir, "s1", &key, &b, &pinned), 0, "bundle b");
    let (a_bytes, b_bytes) = (std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    assert!(!a_bytes.is_empty());
    assert!(a_bytes == b_bytes, "the two ZIPs differ");
    let out = cavra(
        dir.path(),
        &["evidence", "verify", &a, "--public-key", &public],
    );
    expect_code(&out, 0, "the reproducible bundle verifies");
}
