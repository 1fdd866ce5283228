//! The session log: every decision of a session, one JSON line each, linked
//! into a hash chain so that deleting, reordering or editing a line shows.
//!
//! A line is the canonical JSON ([`canonical_json`]: keys sorted, `", "` and
//! `": "` separators, ASCII only) of the decision object with two keys
//! added: `seq`, the line's 1-based position, and `prev`, `sha256:` plus the
//! lowercase hex SHA-256 of the previous line's exact bytes (without its
//! `\n`), or `sha256:` and 64 zeros on the first line. Canonical bytes make a
//! line byte-stable, so a verifier in any language can rebuild it from the
//! parsed object and check it was not rewritten by hand.
//!
//! What the chain cannot show on its own: removing lines from the end, or
//! editing the last line and keeping its canonical form, leave a valid
//! (shorter or different) chain. The bundle manifest, which records the
//! digest of `decisions.jsonl`, and its signature close that gap.

use super::canonical::{canonical_json, sha256_hex};
use super::EvidenceError;
use crate::Decision;
use serde_json::Value;

/// Longest session-log line accepted, in bytes (1 MiB, newline excluded).
/// Action inputs are capped well below this (a command at 64 KiB), so a
/// decision line only exceeds it if the log was not written by CAVRA.
pub const MAX_LOG_LINE_BYTES: usize = 1024 * 1024;

/// The `prev` of the first line: `sha256:` and 64 zeros.
pub const GENESIS_PREV: &str =
    "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// A hash-chained session log, held as its exact lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionLog {
    lines: Vec<String>,
}

impl SessionLog {
    /// An empty log.
    pub fn new() -> SessionLog {
        SessionLog { lines: Vec::new() }
    }

    /// Reads a log from JSON Lines text and checks every line: size, JSON,
    /// canonical form, `seq`, `prev` and that it holds a decision. The error
    /// names the first broken line (1-based). An empty text is an empty log;
    /// the final newline may be missing (a write cut short), but empty lines
    /// and `\r\n` line endings are errors.
    pub fn from_jsonl(text: &str) -> Result<SessionLog, EvidenceError> {
        if text.is_empty() {
            return Ok(SessionLog::new());
        }
        let body = text.strip_suffix('\n').unwrap_or(text);
        let lines: Vec<&str> = body.split('\n').collect();
        for (index, line) in lines.iter().enumerate() {
            let (_, prev) = parse_line(line, index + 1)?;
            check_link(&lines, index, &prev)?;
        }
        Ok(SessionLog {
            lines: lines.into_iter().map(str::to_string).collect(),
        })
    }

    /// Appends a decision and returns the new line (without its newline).
    pub fn append(&mut self, decision: &Decision) -> &str {
        let seq = self.lines.len() as u64 + 1;
        let line = next_line(self.lines.last().map(String::as_str), seq, decision);
        self.lines.push(line);
        self.lines.last().map_or("", String::as_str)
    }

    /// The decisions, in log order.
    pub fn decisions(&self) -> Result<Vec<Decision>, EvidenceError> {
        self.lines
            .iter()
            .enumerate()
            .map(|(index, line)| parse_line(line, index + 1).map(|(decision, _)| decision))
            .collect()
    }

    /// The log as JSON Lines: every line followed by `\n`; an empty log is
    /// the empty string.
    pub fn to_jsonl(&self) -> String {
        let mut out = String::with_capacity(self.lines.iter().map(|l| l.len() + 1).sum());
        for line in &self.lines {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// The `prev` the next line will carry: the hash of the last line, or
    /// [`GENESIS_PREV`] for an empty log. Recording it elsewhere anchors the
    /// end of the chain.
    pub fn last_hash(&self) -> String {
        prev_for(self.lines.last().map(String::as_str))
    }

    /// Number of lines (decisions).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when no decision was logged.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The exact lines, without newlines.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }
}

/// The line that follows `prev_line` (None for the first line) at position
/// `seq` (1-based). Lets the CLI append to a log file knowing only its last
/// line and line count.
pub fn next_line(prev_line: Option<&str>, seq: u64, decision: &Decision) -> String {
    let mut value = decision_value(decision);
    if let Value::Object(map) = &mut value {
        map.insert("seq".to_string(), Value::from(seq));
        map.insert("prev".to_string(), Value::from(prev_for(prev_line)));
    }
    canonical_json(&value)
}

/// A decision as a JSON object.
pub(crate) fn decision_value(decision: &Decision) -> Value {
    // Serialising a Decision cannot fail (string keys, no floats); were it
    // ever to, the object would be empty: a log line would then fail to read
    // back as a decision, which `from_jsonl` reports.
    match serde_json::to_value(decision) {
        Ok(value) => sorted(value),
        _ => Value::Object(serde_json::Map::new()),
    }
}

/// The value with every object's keys in sorted order, so the canonical and
/// pretty writers find them sorted and skip sorting (bundles write each
/// decision up to three times).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// `sha256:` plus the hex SHA-256 of a line's bytes (its newline excluded).
pub fn line_hash(line: &str) -> String {
    format!("sha256:{}", sha256_hex(line.as_bytes()))
}

fn prev_for(prev_line: Option<&str>) -> String {
    prev_line.map_or_else(|| GENESIS_PREV.to_string(), line_hash)
}

fn broken(number: usize, what: impl std::fmt::Display) -> EvidenceError {
    EvidenceError::new(format!("session log line {number}: {what}"))
}

/// Checks one line on its own (everything but the value of `prev`) and
/// returns its decision and `prev`.
fn parse_line(line: &str, number: usize) -> Result<(Decision, String), EvidenceError> {
    if line.len() > MAX_LOG_LINE_BYTES {
        return Err(broken(
            number,
            format_args!(
                "{} bytes, more than the limit of {MAX_LOG_LINE_BYTES} bytes",
                line.len()
            ),
        ));
    }
    if line.ends_with('\r') {
        return Err(broken(
            number,
            "ends with a carriage return; session logs use \\n line endings",
        ));
    }
    if line.is_empty() {
        return Err(broken(number, "is empty"));
    }
    let mut value: Value = serde_json::from_str(line)
        .map_err(|e| broken(number, format_args!("is not valid JSON: {e}")))?;
    if canonical_json(&value) != line {
        return Err(broken(
            number,
            "is not in canonical form (edited, or not written by CAVRA)",
        ));
    }
    let Value::Object(map) = &mut value else {
        return Err(broken(number, "is not a JSON object"));
    };
    match map.remove("seq").as_ref().and_then(Value::as_u64) {
        Some(seq) if seq == number as u64 => {}
        Some(seq) => {
            return Err(broken(
                number,
                format_args!(
                    "seq is {seq}, expected {number} (a line was deleted, inserted or moved)"
                ),
            ))
        }
        None => return Err(broken(number, "has no integer `seq`")),
    }
    let Some(Value::String(prev)) = map.remove("prev") else {
        return Err(broken(number, "has no string `prev`"));
    };
    let decision = serde_json::from_value(value)
        .map_err(|e| broken(number, format_args!("is not a decision: {e}")))?;
    Ok((decision, prev))
}

/// Checks `prev`, the `prev` of `lines[index]`, against the line before
/// it. When they disagree and the next line confirms this line's own bytes,
/// the line before was edited, and that is the line named.
fn check_link(lines: &[&str], index: usize, prev: &str) -> Result<(), EvidenceError> {
    let before = index.checked_sub(1).and_then(|i| lines.get(i)).copied();
    if prev == prev_for(before) {
        return Ok(());
    }
    let line = lines.get(index).copied().unwrap_or_default();
    let number = index + 1;
    if before.is_none() {
        return Err(broken(number, format_args!("prev must be {GENESIS_PREV}")));
    }
    let confirmed = lines
        .get(index + 1)
        .and_then(|next| prev_of(next))
        .is_some_and(|p| p == line_hash(line));
    if confirmed {
        Err(broken(
            index,
            format_args!("was edited: its hash no longer matches the prev of line {number}"),
        ))
    } else {
        Err(broken(
            number,
            format_args!(
                "prev does not match the hash of line {index} (line {index} was edited or this line's prev changed)"
            ),
        ))
    }
}

/// The `prev` string of a line, if it parses.
fn prev_of(line: &str) -> Option<String> {
    let value: Value = serde_json::from_str(line).ok()?;
    value.get("prev")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests;
