//! Native/wasm parity: every action of `tests/fixtures/parity-actions.json`
//! is decided by the same `cavra::api::Session` the browser's `Engine`
//! wraps, and each decision's JSON text must equal the matching line of
//! `tests/fixtures/parity-decisions.jsonl`. The browser check
//! (`tests/e2e/parity.spec.ts`) compares its decisions with the same file,
//! so the CLI and the sandbox are proven to decide byte for byte alike.
//!
//! Actions are read line by line (one JSON object per line of the array)
//! and passed to the engine as that exact text, so key order is kept. An
//! action the engine refuses is recorded as `{"error": "<message>"}`.
//! When a change of decisions is intended, regenerate with:
//!
//!     CAVRA_UPDATE_GOLDEN=1 cargo test -p cavra --test parity

use cavra::api::Session;
use cavra::DecisionStamp;
use std::path::PathBuf;

const PACK: &str = "cavra-ai-agent-baseline";
const OPTIONS: &str = r#"{"sessionId":"parity","agentId":"parity-agent","workspace":"/workspace"}"#;
const CLOCK: &str = "2026-11-25T10:00:00.000Z";
const MIN_ACTIONS: usize = 220;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

/// The corpus's action lines: each line of the array that holds an object,
/// without its indentation and trailing comma.
fn action_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| line.starts_with('{'))
        .map(|line| line.trim_end_matches(',').to_string())
        .collect()
}

/// One decision's JSON text, or the engine's refusal as `{"error": ...}`.
fn decide_line(session: &mut Session, action: &str, n: u64) -> String {
    match session.evaluate(action, DecisionStamp::sequential(n, CLOCK)) {
        Ok(json) => json,
        Err(message) => serde_json::json!({ "error": message }).to_string(),
    }
}

fn decide_corpus(lines: &[String]) -> Vec<String> {
    let mut session = Session::new(PACK, OPTIONS).expect("the baseline pack loads");
    lines
        .iter()
        .enumerate()
        .map(|(i, action)| decide_line(&mut session, action, i as u64 + 1))
        .collect()
}

#[test]
fn corpus_is_one_action_per_line_and_covers_every_type() {
    let text = std::fs::read_to_string(fixture("parity-actions.json")).expect("corpus");
    let parsed: Vec<serde_json::Value> =
        serde_json::from_str(&text).expect("corpus is a JSON array");
    let lines = action_lines(&text);
    assert_eq!(
        lines.len(),
        parsed.len(),
        "every action must sit on its own line of parity-actions.json"
    );
    assert!(
        parsed.len() >= MIN_ACTIONS,
        "the corpus has {} actions, fewer than {MIN_ACTIONS}",
        parsed.len()
    );
    for kind in [
        "file_read",
        "file_write",
        "command",
        "git",
        "mcp_tool_call",
        "network",
        "pull_request",
    ] {
        assert!(
            parsed.iter().any(|a| a["type"] == kind),
            "the corpus has no `{kind}` action"
        );
    }
}

#[test]
fn native_decisions_match_the_parity_file() {
    let text = std::fs::read_to_string(fixture("parity-actions.json")).expect("corpus");
    let lines = action_lines(&text);
    let decided = decide_corpus(&lines);
    let path = fixture("parity-decisions.jsonl");
    if std::env::var_os("CAVRA_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, decided.join("\n") + "\n").expect("write parity-decisions.jsonl");
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}); run CAVRA_UPDATE_GOLDEN=1 cargo test -p cavra --test parity",
            path.display()
        )
    });
    let golden: Vec<&str> = golden.lines().collect();
    let mut mismatches = Vec::new();
    for (n, (action, got)) in lines.iter().zip(&decided).enumerate() {
        match golden.get(n) {
            Some(want) if *want == got => {}
            Some(want) => mismatches.push(format!(
                "line {}: {action}\n  want {want}\n  got  {got}",
                n + 1
            )),
            None => mismatches.push(format!(
                "line {}: {action}\n  missing from the parity file",
                n + 1
            )),
        }
    }
    if golden.len() > decided.len() {
        mismatches.push(format!(
            "the parity file has {} lines for {} actions",
            golden.len(),
            decided.len()
        ));
    }
    assert!(
        mismatches.is_empty(),
        "{} decisions differ from tests/fixtures/parity-decisions.jsonl \
         (if intended: CAVRA_UPDATE_GOLDEN=1 cargo test -p cavra --test parity):\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
