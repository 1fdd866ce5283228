use super::*;
use crate::evidence::fixtures::{decide_all, log_of, BASELINE_ACTIONS};
use serde_json::{json, Map};

fn baseline_log() -> SessionLog {
    log_of(&decide_all(
        "cavra-ai-agent-baseline",
        None,
        &BASELINE_ACTIONS[..4],
    ))
}

/// Rewrites a line's object and re-encodes it canonically: an edit made by
/// someone who knows the format.
fn edit(line: &str, change: impl FnOnce(&mut Map<String, Value>)) -> String {
    let mut value: Value = serde_json::from_str(line).unwrap_or_default();
    if let Value::Object(map) = &mut value {
        change(map);
    }
    canonical_json(&value)
}

#[test]
fn lines_are_canonical_decisions_with_seq_and_prev() {
    let decisions = decide_all("cavra-ai-agent-baseline", None, &BASELINE_ACTIONS[..3]);
    let log = log_of(&decisions);
    assert_eq!(log.len(), 3);
    let lines = log.lines();
    let mut prev = GENESIS_PREV.to_string();
    for (i, line) in lines.iter().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap_or_default();
        assert_eq!(canonical_json(&value), *line, "line {} is canonical", i + 1);
        assert_eq!(value["seq"], json!(i + 1));
        assert_eq!(value["prev"], json!(prev));
        assert!(line.starts_with(r#"{"action_type": "#), "{line}");
        assert!(line.is_ascii() && !line.contains('\n'));
        prev = line_hash(line);
    }
    assert_eq!(log.last_hash(), prev);
    assert_eq!(
        GENESIS_PREV,
        format!("sha256:{}", "0".repeat(64)),
        "genesis is sha256: and 64 zeros"
    );
    assert_eq!(log.decisions(), Ok(decisions));
}

#[test]
fn next_line_matches_append() {
    let decisions = decide_all("cavra-ai-agent-baseline", None, &BASELINE_ACTIONS[..2]);
    let mut log = SessionLog::new();
    let first = log.append(&decisions[0]).to_string();
    assert_eq!(first, next_line(None, 1, &decisions[0]));
    let second = log.append(&decisions[1]).to_string();
    assert_eq!(second, next_line(Some(&first), 2, &decisions[1]));
}

#[test]
fn jsonl_round_trips_byte_for_byte() {
    let log = baseline_log();
    let text = log.to_jsonl();
    assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
    assert_eq!(text.lines().count(), 4);
    assert_eq!(SessionLog::from_jsonl(&text), Ok(log.clone()));
    // A write cut before its newline still reads.
    let trimmed = text.trim_end_matches('\n');
    assert_eq!(SessionLog::from_jsonl(trimmed), Ok(log.clone()));
    // Same inputs, same bytes.
    assert_eq!(baseline_log().to_jsonl(), text);
}

#[test]
fn empty_log() {
    let log = SessionLog::new();
    assert!(log.is_empty());
    assert_eq!(log.to_jsonl(), "");
    assert_eq!(log.last_hash(), GENESIS_PREV);
    assert_eq!(SessionLog::from_jsonl(""), Ok(SessionLog::new()));
    assert_eq!(log.decisions(), Ok(Vec::new()));
}

type Mutation = fn(&mut Vec<String>);

#[test]
fn every_break_names_the_first_broken_line() {
    let cases: [(&str, Mutation, usize, &str); 15] = [
        (
            "middle line deleted",
            |l| drop(l.remove(1)),
            2,
            "seq is 3, expected 2",
        ),
        (
            "first line deleted",
            |l| drop(l.remove(0)),
            1,
            "seq is 2, expected 1",
        ),
        ("lines swapped", |l| l.swap(1, 2), 2, "seq is 3, expected 2"),
        (
            "line duplicated",
            |l| l.insert(2, l[1].clone()),
            3,
            "seq is 2, expected 3",
        ),
        (
            "line edited canonically",
            |l| l[1] = edit(&l[1], |m| drop(m.insert("decision".into(), json!("block")))),
            2,
            "was edited",
        ),
        (
            "line before the last edited canonically",
            |l| l[2] = edit(&l[2], |m| drop(m.insert("reason".into(), json!("fine")))),
            4,
            "prev does not match the hash of line 3",
        ),
        (
            "line edited by hand",
            |l| l[1] = l[1].replacen("\": ", "\":", 1),
            2,
            "not in canonical form",
        ),
        (
            "prev swapped",
            |l| {
                let other = line_hash(&l[0]);
                l[2] = edit(&l[2], |m| drop(m.insert("prev".into(), json!(other))));
            },
            3,
            "prev does not match the hash of line 2",
        ),
        (
            "seq gap",
            |l| l[2] = edit(&l[2], |m| drop(m.insert("seq".into(), json!(4)))),
            3,
            "seq is 4, expected 3",
        ),
        (
            "first prev not genesis",
            |l| {
                let other = line_hash(&l[3]);
                l[0] = edit(&l[0], |m| drop(m.insert("prev".into(), json!(other))));
            },
            1,
            "prev must be sha256:0000",
        ),
        ("empty line", |l| l.insert(2, String::new()), 3, "is empty"),
        ("crlf", |l| l[1].push('\r'), 2, "carriage return"),
        (
            "not json",
            |l| l[1] = "{not json".into(),
            2,
            "is not valid JSON",
        ),
        (
            "not a decision",
            |l| {
                let prev = line_hash(&l[0]);
                l[1] = canonical_json(&json!({"seq": 2, "prev": prev}));
            },
            2,
            "is not a decision",
        ),
        (
            "line too long",
            |l| l[1] = "x".repeat(MAX_LOG_LINE_BYTES + 1),
            2,
            "more than the limit of 1048576 bytes",
        ),
    ];
    let log = baseline_log();
    for (name, mutate, line, expected) in cases {
        let mut lines = log.lines().to_vec();
        mutate(&mut lines);
        let text = lines.join("\n") + "\n";
        let err = SessionLog::from_jsonl(&text).err().map(|e| e.message);
        let err = err.unwrap_or_else(|| panic!("{name}: accepted"));
        let prefix = format!("session log line {line}: ");
        assert!(err.starts_with(&prefix), "{name}: {err}");
        assert!(err.contains(expected), "{name}: {err}");
    }
}

/// The chain alone cannot see a cut tail; the manifest digest does. This
/// pins the behaviour so nobody relies on the chain for it.
#[test]
fn removing_the_tail_leaves_a_valid_prefix() {
    let log = baseline_log();
    let lines = log.lines();
    let prefix = lines[..2].join("\n") + "\n";
    let shorter = SessionLog::from_jsonl(&prefix);
    assert_eq!(shorter.map(|l| l.len()), Ok(2));
    assert_ne!(log.last_hash(), line_hash(&lines[1]));
}
