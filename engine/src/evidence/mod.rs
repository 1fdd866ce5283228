//! Evidence: what proves, after the fact, what an agent asked and was told.
//!
//! A session's decisions are kept in a hash-chained log; a bundle turns the
//! log into reviewer-ready files, a manifest of their digests and a
//! signature; a ZIP packs the bundle reproducibly; verification checks all
//! of it offline. Every piece is pure (no clock, no randomness, no file
//! system): callers pass the time and the keys, so the same inputs give the
//! same bytes natively and in the browser.

pub mod assemble;
pub mod bundle;
pub mod canonical;
mod compliance;
mod controls;
pub mod dsse;
#[cfg(test)]
mod fixtures;
pub mod manifest;
mod markdown;
mod pr_attestation;
pub mod session_log;
pub mod siem;
pub mod signature;
mod timestamp;
pub mod verify;
pub mod zip;

use std::fmt;

/// One file of a bundle: its name (flat, no folders) and exact bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    /// File name, e.g. `evidence.json`.
    pub name: String,
    /// Exact content.
    pub bytes: Vec<u8>,
}

impl BundleFile {
    /// A file from text.
    pub fn text(name: &str, text: String) -> BundleFile {
        BundleFile {
            name: name.to_string(),
            bytes: text.into_bytes(),
        }
    }
}

/// The files of a bundle, in bundle order. `manifest.json` is written last
/// (it lists the others) but stored first in the ZIP.
pub const BUNDLE_ORDER: [&str; 9] = [
    "evidence.json",
    "pr-attestation.md",
    "compliance-mapping.md",
    "siem-event.json",
    "sandbox-run-summary.json",
    "retention-policy.json",
    "decisions.jsonl",
    "attestation.intoto.json",
    "manifest.json",
];

/// The policy a bundle's decisions were made under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRef {
    /// Pack id.
    pub id: String,
    /// Pack version.
    pub version: String,
    /// `sha256:` digest of the compiled policy.
    pub digest: String,
}

/// Everything about a bundle that is not in the decisions themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleContext {
    /// The session the bundle covers.
    pub session_id: String,
    /// RFC 3339 UTC creation time (pinned by tests, the clock otherwise).
    pub created_at: String,
    /// The policy.
    pub policy: PolicyRef,
    /// Days to keep the bundle (>= 1; default 2555).
    pub retention_days: u32,
    /// Under legal hold: never dispose.
    pub legal_hold: bool,
    /// Data classification (default `regulated-sdlc`).
    pub classification: String,
    /// Who produced the bundle (default `local`).
    pub signer: String,
}

/// An evidence error: what went wrong and with which file or line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceError {
    /// Lowercase sentence.
    pub message: String,
}

impl EvidenceError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        EvidenceError {
            message: message.into(),
        }
    }
}

impl fmt::Display for EvidenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvidenceError {}

/// Builds a complete bundle from a session log: the content files, the
/// attestation (Ed25519 only) and the signed manifest, in bundle order.
pub fn build_bundle(
    log: &session_log::SessionLog,
    ctx: &BundleContext,
    signer: &signature::Signer,
) -> Result<Vec<BundleFile>, EvidenceError> {
    build_bundle_for(log, &log.decisions()?, ctx, signer)
}

/// [`build_bundle`] for a caller that already holds the log's decisions
/// (the MCP server, the browser, the demo): they are not parsed back from
/// the log's lines.
pub fn build_bundle_for(
    log: &session_log::SessionLog,
    decisions: &[crate::Decision],
    ctx: &BundleContext,
    signer: &signature::Signer,
) -> Result<Vec<BundleFile>, EvidenceError> {
    let content = bundle::content_files_for(log, decisions, ctx)?;
    assemble::assemble(content, ctx, decisions, signer)
}
