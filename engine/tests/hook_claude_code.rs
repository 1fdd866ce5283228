//! `cavra hook claude-code` through the real binary, fed the recorded hook
//! events in `tests/fixtures/claude-code/` (one JSON file per event).
//!
//! The fixtures were recorded in `/home/dev/shop`; each test replaces that
//! directory with its own temporary one, so `cwd` and the absolute paths
//! Claude Code sends point into the test's workspace, where the session log
//! lands.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const RECORDED_CWD: &str = "/home/dev/shop";
const SESSION: &str = "5f1c2d3e-8a9b-4c0d-9e1f-2a3b4c5d6e7f";

/// A temporary directory removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("cavra-hook-cc-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn log(&self) -> PathBuf {
        self.0
            .join(".cavra")
            .join("sessions")
            .join(format!("{SESSION}.jsonl"))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fixture(name: &str, workspace: &Path) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/claude-code")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    text.replace(RECORDED_CWD, &workspace.display().to_string())
        .into_bytes()
}

fn cavra(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cavra"))
        .args(args)
        .current_dir(dir)
        .env_remove("CAVRA_POLICY")
        .env_remove("CAVRA_POLICY_PACK")
        .env_remove("CAVRA_POLICY_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cavra");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.to_vec();
    // The hook stops reading at its size limit; a broken pipe is expected then.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let output = child.wait_with_output().expect("wait");
    let _ = writer.join();
    output
}

fn hook(dir: &Path, stdin: &[u8]) -> Output {
    cavra(dir, &["hook", "claude-code"], stdin)
}

/// The permission decision and reason printed on stdout.
fn answer(output: &Output) -> (String, String) {
    let text = String::from_utf8_lossy(&output.stdout);
    let value: Value = serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {text:?}"));
    let specific = &value["hookSpecificOutput"];
    assert_eq!(specific["hookEventName"], "PreToolUse", "{value}");
    (
        specific["permissionDecision"]
            .as_str()
            .expect("permissionDecision")
            .to_string(),
        specific["permissionDecisionReason"]
            .as_str()
            .expect("permissionDecisionReason")
            .to_string(),
    )
}

fn assert_fails_closed(output: &Output, expect_in_reason: &str, case: &str) {
    assert_eq!(output.status.code(), Some(2), "{case}: exit code");
    let (permission, reason) = answer(output);
    assert_eq!(permission, "deny", "{case}");
    assert!(
        reason.starts_with("CAVRA failed closed: ") && reason.contains(expect_in_reason),
        "{case}: reason {reason:?} should name {expect_in_reason:?}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("CAVRA failed closed"), "{case}: {stderr}");
}

/// (fixture, permission decision, rule named in the reason).
const CASES: &[(&str, &str, &str)] = &[
    ("bash-cat-env", "deny", "filesystem.read.block"),
    ("bash-ls", "allow", "commands.allow"),
    ("bash-terraform-apply", "deny", "commands.block"),
    (
        "bash-git-push-main",
        "deny",
        "git.protected_branch.block_direct_push",
    ),
    ("read-env", "deny", "filesystem.read.block"),
    ("read-main-rs", "allow", "filesystem.read.allow"),
    ("write-ci-workflow", "deny", "filesystem.write.block"),
    ("edit-src", "allow", "filesystem.write.allow"),
    ("multiedit-terraform", "deny", "filesystem.write.block"),
    ("notebookedit", "allow", "filesystem.write.allow"),
    ("glob", "allow", "filesystem.read.allow"),
    ("grep-env", "deny", "filesystem.read.block"),
    ("grep-src", "allow", "filesystem.read.allow"),
    ("webfetch-docs", "allow", "network.allow"),
    ("webfetch-pastebin", "deny", "network.block"),
    ("websearch", "ask", "network.default.require_approval"),
    ("mcp-github-create-issue", "allow", "mcp.server.trust.allow"),
    (
        "mcp-unknown-read-file",
        "deny",
        "mcp.server.trust.block_unknown",
    ),
    ("todowrite", "ask", "claude_code.unknown_tool"),
];

#[test]
fn recorded_events_get_the_baseline_verdicts_and_land_in_a_valid_log() {
    let dir = TempDir::new("events");
    for (name, permission, rule) in CASES {
        let output = hook(dir.path(), &fixture(name, dir.path()));
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let (got, reason) = answer(&output);
        assert_eq!(
            &got, permission,
            "{name}: reason {reason:?}\n  reproduce: sed 's#{RECORDED_CWD}#'$PWD'#g' tests/fixtures/claude-code/{name}.json | cavra hook claude-code"
        );
        assert!(
            reason.contains(&format!("[rule {rule},")),
            "{name}: reason {reason:?} should name rule {rule}"
        );
    }
    // PostToolUse: recorded, nothing printed, never blocking.
    let output = hook(dir.path(), &fixture("post-bash-ls", dir.path()));
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty(), "{:?}", output.stdout);

    let log = std::fs::read_to_string(dir.log()).expect("session log");
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).expect("log line is JSON"))
        .collect();
    assert_eq!(lines.len(), CASES.len() + 1);
    for line in &lines {
        let decision = if line.get("decision").is_some_and(Value::is_object) {
            &line["decision"]
        } else {
            line
        };
        let text = decision.to_string();
        assert!(text.contains("\"agent_id\":\"claude-code\""), "{text}");
        assert!(text.contains(SESSION), "{text}");
    }
    let log_arg = dir.log().display().to_string();
    let verify = cavra(dir.path(), &["evidence", "verify-log", &log_arg], b"");
    assert_eq!(
        verify.status.code(),
        Some(0),
        "verify-log: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
}

#[test]
fn unreadable_events_fail_closed() {
    let dir = TempDir::new("garbage");
    let oversized = {
        let mut text = br#"{"session_id":"s","cwd":"/tmp","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":""#.to_vec();
        text.extend(std::iter::repeat_n(b'a', 4 * 1024 * 1024 + 16));
        text.extend(br#""}}"#);
        text
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("garbage", b"rm -rf / please".to_vec(), "not valid JSON"),
        ("empty", Vec::new(), "stdin is empty"),
        ("blank", b"  \n".to_vec(), "stdin is empty"),
        ("array", b"[]".to_vec(), "must be a JSON object"),
        ("not utf-8", b"{\"a\": \"\xff\"}".to_vec(), "not UTF-8"),
        (
            "missing tool_input",
            fixture("missing-tool-input", dir.path()),
            "missing `tool_input`",
        ),
        ("oversized", oversized, "over the limit"),
        (
            "tool_input not an object",
            br#"{"session_id":"s","cwd":"/tmp","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":"ls"}"#.to_vec(),
            "`tool_input` must be a JSON object",
        ),
        (
            "missing command",
            br#"{"session_id":"s","cwd":"/tmp","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{}}"#.to_vec(),
            "tool_input.command",
        ),
        (
            "missing session",
            br#"{"cwd":"/tmp","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls"}}"#.to_vec(),
            "missing `session_id`",
        ),
        (
            "other event",
            br#"{"session_id":"s","cwd":"/tmp","hook_event_name":"Stop"}"#.to_vec(),
            "handles PreToolUse and PostToolUse",
        ),
        (
            "bad mcp name",
            br#"{"session_id":"s","cwd":"/tmp","hook_event_name":"PreToolUse","tool_name":"mcp__github","tool_input":{}}"#.to_vec(),
            "mcp__<server>__<tool>",
        ),
    ];
    for (case, stdin, expect) in cases {
        let output = hook(dir.path(), &stdin);
        assert_fails_closed(&output, expect, case);
    }
}

#[test]
fn a_session_id_unusable_as_a_file_name_fails_closed_and_writes_nothing() {
    let dir = TempDir::new("session-id");
    let event = fixture("bash-ls", dir.path());
    let event = String::from_utf8(event)
        .expect("utf-8")
        .replace(SESSION, "../../escape");
    let output = hook(dir.path(), event.as_bytes());
    assert_fails_closed(&output, "not usable as a file name", "session id");
    assert!(!dir.path().join(".cavra").exists());
}

#[test]
fn a_policy_that_does_not_load_fails_closed() {
    let dir = TempDir::new("policy");
    let event = fixture("bash-ls", dir.path());
    let output = cavra(
        dir.path(),
        &["hook", "claude-code", "--pack", "no-such-pack"],
        &event,
    );
    assert_fails_closed(&output, "no-such-pack", "unknown pack");
    std::fs::write(dir.path().join("broken.yaml"), "metadata: [").expect("write");
    let output = cavra(
        dir.path(),
        &["hook", "claude-code", "--policy", "broken.yaml"],
        &event,
    );
    assert_fails_closed(&output, "broken.yaml", "broken policy");
}

#[test]
fn an_unwritable_log_fails_closed() {
    let dir = TempDir::new("unwritable");
    // A file where the sessions directory should be.
    std::fs::create_dir_all(dir.path().join(".cavra")).expect("mkdir");
    std::fs::write(dir.path().join(".cavra/sessions"), "not a directory").expect("write");
    let output = hook(dir.path(), &fixture("bash-ls", dir.path()));
    assert_fails_closed(&output, ".cavra/sessions", "unwritable log");
}

#[test]
fn audit_only_allows_and_says_what_it_would_have_done() {
    let dir = TempDir::new("audit");
    let output = cavra(
        dir.path(),
        &["hook", "claude-code", "--mode", "audit-only"],
        &fixture("read-env", dir.path()),
    );
    assert_eq!(output.status.code(), Some(0));
    let (permission, reason) = answer(&output);
    assert_eq!(permission, "allow");
    assert!(
        reason.contains("filesystem.read.block") && reason.contains("audit_only"),
        "{reason}"
    );
}

#[test]
fn the_pack_can_come_from_the_environment() {
    let dir = TempDir::new("env-pack");
    let output = Command::new(env!("CARGO_BIN_EXE_cavra"))
        .args(["hook", "claude-code"])
        .current_dir(dir.path())
        .env("CAVRA_POLICY_PACK", "no-such-pack")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(&fixture("bash-ls", dir.path()))?;
            drop(stdin);
            child.wait_with_output()
        })
        .expect("run");
    assert_fails_closed(&output, "no-such-pack", "CAVRA_POLICY_PACK");
}
