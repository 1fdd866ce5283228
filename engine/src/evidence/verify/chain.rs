//! The session log's hash chain, as the verifier checks it.
//!
//! There is one definition of a valid log: [`SessionLog::from_jsonl`]
//! (size, canonical form, `seq`, `prev`, decision content). The verifier
//! reuses it on the bundle's raw bytes, so what the writer produces and what
//! the verifier accepts cannot drift apart.

use crate::evidence::session_log::SessionLog;
use crate::evidence::EvidenceError;

/// Checks the hash chain of a session log (`decisions.jsonl`): line N has
/// `seq` N and `prev` = `sha256:` + hex SHA-256 of line N-1's exact bytes
/// (newline excluded), `sha256:` + 64 zeros on line 1. Returns the number of
/// lines; the error names the first broken line.
pub fn verify_chain(jsonl: &[u8]) -> Result<usize, EvidenceError> {
    let text = std::str::from_utf8(jsonl).map_err(|e| {
        EvidenceError::new(format!(
            "session log is not UTF-8 (at byte {})",
            e.valid_up_to()
        ))
    })?;
    SessionLog::from_jsonl(text).map(|log| log.len())
}
