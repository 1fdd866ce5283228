//! The session log on disk: `.cavra/sessions/<session_id>.jsonl` under the
//! workspace, appended one decision at a time.
//!
//! Appends hold an exclusive lock on the file, so two processes never
//! interleave lines, and write each line with one `write_all` of the line
//! and its newline. A line that a crash cut short has no newline; the next
//! append (under the lock) drops that partial line before writing, so the
//! log stays a valid chain of complete lines.

use super::exit::CliError;
use crate::decision::Decision;
use crate::evidence::session_log::{next_line, MAX_LOG_LINE_BYTES};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Whether a session id is safe to use as a file name.
pub fn valid_session_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The log file of a session under a workspace.
pub fn log_path(workspace: &Path, session_id: &str) -> Result<PathBuf, CliError> {
    if !valid_session_id(session_id) {
        return Err(CliError::new(format!(
            "session id `{session_id}` is not usable as a file name: use letters, digits, `.`, `_` and `-` (at most 128, not starting with `.`)"
        )));
    }
    Ok(workspace
        .join(".cavra")
        .join("sessions")
        .join(format!("{session_id}.jsonl")))
}

/// Appends a decision to its session's log under `workspace`; returns the
/// log's path.
pub fn append(workspace: &Path, decision: &Decision) -> Result<PathBuf, CliError> {
    let path = log_path(workspace, &decision.session_id)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::new(format!("cannot create `{}`: {e}", dir.display())))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| CliError::new(format!("cannot open `{}`: {e}", path.display())))?;
    file.lock()
        .map_err(|e| CliError::new(format!("cannot lock `{}`: {e}", path.display())))?;
    let result = append_locked(&mut file, decision)
        .map_err(|e| CliError::new(format!("cannot append to `{}`: {e}", path.display())));
    let _ = file.unlock();
    result.map(|()| path)
}

fn append_locked(file: &mut File, decision: &Decision) -> Result<(), String> {
    let (last, complete_len) = last_line(file)?;
    if complete_len < file.metadata().map_err(|e| e.to_string())?.len() {
        // A torn write from a crash: it was never acknowledged, drop it.
        file.set_len(complete_len).map_err(|e| e.to_string())?;
    }
    let seq = match &last {
        None => 1,
        Some(line) => {
            let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
                format!("the last line is not JSON ({e}); run `cavra evidence verify-log`")
            })?;
            value
                .get("seq")
                .and_then(serde_json::Value::as_u64)
                .ok_or("the last line has no `seq`; run `cavra evidence verify-log`")?
                + 1
        }
    };
    let mut line = next_line(last.as_deref(), seq, decision);
    if line.len() > MAX_LOG_LINE_BYTES {
        return Err(format!(
            "the decision is {} bytes, over the log line limit of {MAX_LOG_LINE_BYTES}",
            line.len()
        ));
    }
    line.push('\n');
    file.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
    file.write_all(line.as_bytes()).map_err(|e| e.to_string())
}

/// The last complete line (without its newline) and the length of the file
/// up to the end of it, reading only the tail of the file.
fn last_line(file: &mut File) -> Result<(Option<String>, u64), String> {
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    let window = len.min(2 * MAX_LOG_LINE_BYTES as u64 + 2);
    file.seek(SeekFrom::Start(len - window))
        .map_err(|e| e.to_string())?;
    let mut tail = Vec::with_capacity(window as usize);
    file.read_to_end(&mut tail).map_err(|e| e.to_string())?;
    // Everything after the last newline is a torn line (or nothing).
    let Some(end) = tail.iter().rposition(|&b| b == b'\n') else {
        if len > window {
            return Err("the log's last line is longer than the line limit".into());
        }
        return Ok((None, 0));
    };
    let complete_len = len - window + end as u64 + 1;
    let body = tail.get(..end).unwrap_or(&[]);
    let start = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    if start == 0 && len > window {
        return Err("the log's last line is longer than the line limit".into());
    }
    let line = String::from_utf8(body.get(start..).unwrap_or(&[]).to_vec())
        .map_err(|_| "the last line is not UTF-8; run `cavra evidence verify-log`".to_string())?;
    Ok((Some(line), complete_len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_that_could_escape_are_refused() {
        for (id, ok) in [
            ("demo-session", true),
            ("s1.2_x", true),
            ("", false),
            ("../x", false),
            ("a/b", false),
            (".hidden", false),
            ("a\\b", false),
            ("a b", false),
        ] {
            assert_eq!(valid_session_id(id), ok, "{id:?}");
        }
    }
}
