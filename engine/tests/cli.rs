//! The `cavra` binary end to end: exit codes, output formats, and the
//! commands users script against.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn cavra(args: &[&str]) -> Output {
    cavra_in(args, None, None)
}

fn cavra_in(args: &[&str], stdin: Option<&str>, dir: Option<&PathBuf>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cavra"));
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env_remove("CAVRA_POLICY_DIR")
        .env_remove("CAVRA_POLICY_PACK")
        .env_remove("CAVRA_SESSION")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Run outside the repository so ./policies is not picked up.
    cmd.current_dir(dir.cloned().unwrap_or_else(std::env::temp_dir));
    let mut child = cmd.spawn().expect("cavra starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("cavra runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cavra-cli-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn demo_json_reproduces_the_scenario() {
    let out = cavra(&["demo", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let decisions: Vec<Value> = serde_json::from_str(&stdout(&out)).expect("JSON array");
    let scenario: Value =
        serde_json::from_str(include_str!("../../scenarios/before-the-agent-acts.json")).unwrap();
    let actions = scenario["actions"].as_array().unwrap();
    assert_eq!(decisions.len(), actions.len());
    for (d, a) in decisions.iter().zip(actions) {
        let expect = &a["expect"];
        for field in ["decision", "rule_id", "severity", "approver_group"] {
            if !expect[field].is_null() {
                assert_eq!(d[field], expect[field], "{field} of {}", a);
            }
        }
        assert!(d["decision_id"].as_str().unwrap().starts_with("dec_"));
        assert_eq!(d["decision_id"].as_str().unwrap().len(), 16);
        assert!(d["policy_digest"].as_str().unwrap().starts_with("sha256:"));
    }
    let table = cavra(&["demo"]);
    assert!(stdout(&table)
        .contains("7 decisions: 4 block, 1 require_approval, 1 allow_with_attestation, 1 allow"));
}

#[test]
fn check_exit_codes_follow_fail_on() {
    let blocked = cavra(&["check", "read", ".env"]);
    assert_eq!(
        blocked.status.code(),
        Some(0),
        "without --fail-on a block still exits 0"
    );
    assert!(
        stdout(&blocked).starts_with("BLOCK  read_file .env"),
        "{}",
        stdout(&blocked)
    );
    assert!(stdout(&blocked).contains("filesystem.read.block"));

    let fail = cavra(&["check", "read", ".env", "--fail-on", "block"]);
    assert_eq!(fail.status.code(), Some(1));
    let approval = cavra(&["check", "write", "iam/x.tf", "--fail-on", "block"]);
    assert_eq!(approval.status.code(), Some(0));
    let approval = cavra(&["check", "write", "iam/x.tf", "--fail-on", "approval"]);
    assert_eq!(approval.status.code(), Some(1));
    let allowed = cavra(&["check", "command", "cargo test", "--fail-on", "approval"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stdout(&allowed));
}

#[test]
fn check_json_is_the_full_decision_record() {
    let out = cavra(&[
        "check",
        "git",
        "push",
        "origin",
        "main",
        "--json",
        "--session",
        "s1",
        "--agent",
        "claude",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let d: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        &keys[..17],
        &[
            "decision_id",
            "session_id",
            "agent_id",
            "actor",
            "action_type",
            "target",
            "requested_operation",
            "policy_pack",
            "policy_id",
            "rule_id",
            "decision",
            "severity",
            "reason",
            "evidence_refs",
            "approver_group",
            "timestamp",
            "correlation_id"
        ]
    );
    assert_eq!(d["decision"], "block");
    assert_eq!(d["rule_id"], "git.protected_branch.block_direct_push");
    assert_eq!(d["target"], "origin/main");
    assert_eq!(d["session_id"], "s1");
    assert_eq!(d["agent_id"], "claude");
    assert!(d["risk_score"].as_u64().unwrap() >= 70);
    assert!(d["matched_rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["rule_id"] == "git.protected_branch.block_direct_push"));
}

#[test]
fn modes_change_enforcement_not_the_verdict() {
    let audit = cavra(&["check", "read", ".env", "--mode", "audit-only", "--json"]);
    let d: Value = serde_json::from_str(&stdout(&audit)).unwrap();
    assert_eq!(d["decision"], "block");
    assert_eq!(d["effective_decision"], "allow");
    assert_eq!(d["enforced"], false);

    let glass = cavra(&[
        "check",
        "command",
        "terraform apply",
        "--mode",
        "break-glass",
        "--json",
    ]);
    let d: Value = serde_json::from_str(&stdout(&glass)).unwrap();
    assert_eq!(d["decision"], "block");
    assert_eq!(d["effective_decision"], "require_approval");
    assert_eq!(d["break_glass"], true);
    assert_eq!(d["approver_group"], "Change Advisory Board");
    assert_eq!(d["severity"], "critical");

    let strict = cavra(&["check", "read", "src/main.rs", "--mode", "strict", "--json"]);
    let d: Value = serde_json::from_str(&stdout(&strict)).unwrap();
    assert_eq!(d["decision"], "require_approval");
    assert_eq!(d["rule_id"], "mode.strict.require_approval");
}

#[test]
fn evaluate_streams_json_lines_and_reports_bad_lines() {
    let input = "{\"type\": \"file_read\", \"path\": \".env\"}\n{\"type\": \"teleport\", \"path\": \"x\"}\n\n{\"action_type\": \"execute_command\", \"target\": \"ls\"}\n";
    let out = cavra_in(
        &["evaluate", "--action-json", "-", "--json"],
        Some(input),
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad line makes the exit code 2"
    );
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "the good lines are still decided");
    assert_eq!(lines[0]["decision"], "block");
    assert_eq!(lines[1]["decision"], "allow");
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown action type `teleport`"),
        "{}",
        stderr(&out)
    );

    let pretty = "{\n  \"type\": \"command\",\n  \"command\": \"terraform apply\"\n}\n";
    let out = cavra_in(
        &[
            "evaluate",
            "--action-json",
            "-",
            "--json",
            "--fail-on",
            "block",
        ],
        Some(pretty),
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let d: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(d["rule_id"], "commands.block");
}

#[test]
fn validate_reports_path_line_and_column_and_exits_2() {
    let dir = temp_dir("validate");
    let file = dir.join("broken.yaml");
    std::fs::write(
        &file,
        "metadata:\n  id: broken\n  title: Broken\n  version: \"1.0\"\nfilesystem:\n  block_raed: [\".env\"]\n",
    )
    .unwrap();
    let out = cavra(&["policy", "validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out) + &stderr(&out);
    assert!(text.contains("broken.yaml:6:3"), "{text}");
    assert!(text.contains("block_raed"), "{text}");
    assert!(text.contains("did you mean `block_read`"), "{text}");

    let number = dir.join("number.yaml");
    std::fs::write(&number, "metadata:\n  id: n\n  title: N\n  version: 1.2\n").unwrap();
    let out = cavra(&["policy", "validate", number.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out) + &stderr(&out);
    assert!(text.contains("number.yaml:4:"), "{text}");
    assert!(text.contains("quote"), "{text}");

    let empty = dir.join("empty.yaml");
    std::fs::write(&empty, "").unwrap();
    let out = cavra(&["policy", "validate", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!((stdout(&out) + &stderr(&out)).contains("empty"));
}

#[test]
fn policy_test_passes_for_every_pack() {
    let out = cavra(&["policy", "test"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains(" 0 failed"), "{}", stdout(&out));
}

#[test]
fn policy_test_fails_with_exit_1_on_a_wrong_expectation() {
    let dir = temp_dir("failing-test");
    let file = dir.join("p.yaml");
    std::fs::write(
        &file,
        "metadata: {id: cavra-x, title: X, description: d, version: \"1\"}\nfilesystem:\n  block_read: [\".env\"]\ntests:\n  - name: wrong on purpose\n    action: {type: file_read, path: .env}\n    expect: allow\n",
    )
    .unwrap();
    let out = cavra(&["policy", "test", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("expected allow, got block via filesystem.read.block"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn inheritance_removal_and_overlay_compile() {
    let dir = temp_dir("inherit");
    let child = dir.join("child.yaml");
    std::fs::write(
        &child,
        "metadata:\n  id: cavra-child\n  title: Child\n  description: d\n  version: \"1\"\n  inherits: [cavra-ai-agent-baseline]\nfilesystem:\n  block_write: [\"!.github/workflows/**\"]\n",
    )
    .unwrap();
    let out = cavra(&[
        "check",
        "write",
        ".github/workflows/ci.yml",
        "--policy",
        child.to_str().unwrap(),
        "--json",
    ]);
    let d: Value =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    assert_eq!(
        d["decision"], "allow",
        "the child removed the inherited pattern"
    );
    let out = cavra(&[
        "check",
        "read",
        ".env",
        "--policy",
        child.to_str().unwrap(),
        "--json",
    ]);
    let d: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(d["decision"], "block", "everything else is inherited");

    let compiled = cavra(&[
        "policy",
        "compile",
        "cavra-ai-agent-baseline",
        "--overlay",
        child.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(compiled.status.code(), Some(0), "{}", stderr(&compiled));
    let v: Value = serde_json::from_str(&stdout(&compiled)).unwrap();
    let block_write = v["filesystem"]["block_write"].as_array().unwrap();
    assert!(!block_write.iter().any(|p| p == ".github/workflows/**"));

    let cycle_a = dir.join("a");
    std::fs::create_dir_all(cycle_a.join("cavra-a")).unwrap();
    std::fs::create_dir_all(cycle_a.join("cavra-b")).unwrap();
    std::fs::write(
        cycle_a.join("cavra-a/policy.yaml"),
        "metadata: {id: cavra-a, title: A, version: \"1\", inherits: [cavra-b]}\n",
    )
    .unwrap();
    std::fs::write(
        cycle_a.join("cavra-b/policy.yaml"),
        "metadata: {id: cavra-b, title: B, version: \"1\", inherits: cavra-a}\n",
    )
    .unwrap();
    let out = cavra(&[
        "check",
        "read",
        "x",
        "--pack",
        "cavra-a",
        "--policy-dir",
        cycle_a.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("inheritance cycle: cavra-a -> cavra-b -> cavra-a"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn diff_shows_values_and_changed_decisions() {
    let dir = temp_dir("diff");
    let new = dir.join("new.yaml");
    let show = cavra(&["policy", "show", "cavra-ai-agent-baseline"]);
    let yaml = stdout(&show).replace("    - terraform apply*\n", "");
    std::fs::write(&new, yaml).unwrap();
    let out = cavra(&[
        "policy",
        "diff",
        "cavra-ai-agent-baseline",
        new.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("- /commands/block: \"terraform apply*\""),
        "{text}"
    );
    assert!(text.contains("block (commands.block) -> "), "{text}");
}

#[test]
fn fmt_is_stable() {
    let dir = temp_dir("fmt");
    let file = dir.join("p.yaml");
    std::fs::write(&file, "# header\nmetadata: {version: \"1\", id: cavra-f, title: F, description: d}\ncommands: {allow: [ls]}\n").unwrap();
    let once = cavra(&["policy", "fmt", file.to_str().unwrap()]);
    assert_eq!(once.status.code(), Some(0), "{}", stderr(&once));
    let formatted = stdout(&once);
    assert!(
        formatted.starts_with("# header\nmetadata:\n  id: cavra-f\n"),
        "{formatted}"
    );
    std::fs::write(&file, &formatted).unwrap();
    let check = cavra(&["policy", "fmt", "--check", file.to_str().unwrap()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "formatted output is canonical: {}",
        stdout(&check)
    );
}

#[test]
fn unknown_pack_and_missing_file_are_input_errors() {
    let out = cavra(&["check", "read", "x", "--pack", "cavra-nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown policy pack `cavra-nope`"));
    let out = cavra(&["check", "read", "x", "--policy", "/nonexistent/p.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = cavra(&["check", "read", ""]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn version_completions_and_schema() {
    let out = cavra(&["version"]);
    assert_eq!(
        stdout(&out).trim(),
        format!("cavra {}", env!("CARGO_PKG_VERSION"))
    );
    let out = cavra(&["completions", "bash"]);
    assert!(stdout(&out).contains("cavra"));
    let out = cavra(&["policy", "schema"]);
    let schema: Value = serde_json::from_str(&stdout(&out)).expect("schema is JSON");
    assert!(schema["properties"]["metadata"].is_object());
}
