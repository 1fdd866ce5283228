//! Verifying a bundle offline: every check of the evidence spec, each
//! reported as pass, fail, warn or not checked, with the reason.
//!
//! A verifier must not be talked into "verified" by what it could not check:
//! a signed bundle checked without a key is "signature not checked" and not
//! verified (older CAVRA passed it silently); a bundle whose signature mode
//! is weaker than the key supplied (a digest where an Ed25519 key was given)
//! fails, since an attacker who rewrites a bundle can always recompute a
//! digest. Hostile input never panics: a broken ZIP or manifest becomes a
//! failed check.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod chain;
mod signature_checks;

pub use chain::verify_chain;

use super::canonical::sha256_hex;
use super::manifest::{MANIFEST_FILE, MANIFEST_SCHEMA_VERSION};
use super::signature::Verifier;
use super::zip::{check_entry_name, read_zip};
use super::{BundleFile, EvidenceError};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;

/// The session log's file name in a bundle.
pub const LOG_FILE: &str = "decisions.jsonl";

/// The retention policy's file name in a bundle.
pub const RETENTION_FILE: &str = "retention-policy.json";

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// The check held.
    Pass,
    /// The check did not hold.
    Fail,
    /// Not a failure, but worth a reader's attention (a failure with `strict`).
    Warn,
    /// The check could not be made (no key was supplied).
    NotChecked,
}

/// One check of a verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Short id: `manifest`, `schema_version`, `file:<name>`, `unlisted_files`,
    /// `session_log`, `signature`, `key_id`, `key_fingerprint`, `attestation`,
    /// `retention`, `zip`.
    pub name: String,
    /// True for `pass` and `warn`.
    pub passed: bool,
    /// The outcome.
    pub status: CheckStatus,
    /// Why, in a sentence.
    pub detail: String,
}

/// Everything a verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerificationReport {
    /// True when no check failed and nothing that matters went unchecked
    /// (unless the caller allowed unverified signatures).
    pub verified: bool,
    /// One sentence for humans.
    pub summary: String,
    /// Every check, in the order made.
    pub checks: Vec<Check>,
    /// The manifest's signature algorithm, if any.
    pub signature_algorithm: Option<String>,
    /// The manifest's key id, if any.
    pub key_id: Option<String>,
    /// The manifest's public key fingerprint, if any.
    pub public_key_sha256: Option<String>,
}

/// What to verify with and how strictly.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The key to check the signature with.
    pub verifier: Verifier,
    /// Files not in the manifest fail instead of warn.
    pub strict: bool,
    /// A signature that could not be checked does not stop `verified`.
    pub allow_unverified: bool,
    /// Fail unless `retention_days` is at least this.
    pub min_retention_days: Option<u32>,
    /// The key id the manifest must name.
    pub expected_key_id: Option<String>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            verifier: Verifier::None,
            strict: false,
            allow_unverified: false,
            min_retention_days: None,
            expected_key_id: None,
        }
    }
}

impl Check {
    fn new(name: impl Into<String>, status: CheckStatus, detail: impl Into<String>) -> Check {
        Check {
            name: name.into(),
            passed: matches!(status, CheckStatus::Pass | CheckStatus::Warn),
            status,
            detail: detail.into(),
        }
    }
    fn pass(name: impl Into<String>, detail: impl Into<String>) -> Check {
        Check::new(name, CheckStatus::Pass, detail)
    }
    fn fail(name: impl Into<String>, detail: impl Into<String>) -> Check {
        Check::new(name, CheckStatus::Fail, detail)
    }
}

/// Verifies a ZIP bundle; a ZIP that cannot be read safely (zip-slip, too
/// many entries, a bomb, garbage) is a failed `zip` check.
pub fn verify_zip(bytes: &[u8], options: &VerifyOptions) -> VerificationReport {
    match read_zip(bytes) {
        Ok(files) => {
            let mut report = verify_bundle(&files, options);
            report.checks.insert(
                0,
                Check::pass("zip", format!("{} entries read safely", files.len())),
            );
            report
        }
        Err(error) => finish(vec![Check::fail("zip", error.message)], options, None),
    }
}

impl VerificationReport {
    /// A report of one failed check, for failures found before the bundle
    /// could be read (an unusable trust root, an unreadable folder).
    pub fn failure(check: &str, detail: impl Into<String>) -> VerificationReport {
        finish(
            vec![Check::fail(check, detail)],
            &VerifyOptions::default(),
            None,
        )
    }
}

/// Verifies a bundle given as its files (a directory or an unpacked ZIP).
pub fn verify_bundle(files: &[BundleFile], options: &VerifyOptions) -> VerificationReport {
    let mut checks = Vec::new();
    let manifest = match parse_manifest(files) {
        Ok(manifest) => manifest,
        Err(error) => {
            checks.push(Check::fail("manifest", error.message));
            return finish(checks, options, None);
        }
    };
    checks.push(Check::pass(
        "manifest",
        "manifest.json is present and well-formed",
    ));
    match manifest.get("schema_version").and_then(Value::as_str) {
        Some(MANIFEST_SCHEMA_VERSION) => checks.push(Check::pass(
            "schema_version",
            format!("schema version {MANIFEST_SCHEMA_VERSION}"),
        )),
        other => checks.push(Check::fail(
            "schema_version",
            format!(
                "unknown schema version {}; this verifier knows {MANIFEST_SCHEMA_VERSION}",
                other.map_or("(missing)".to_string(), |v| format!("`{v}`"))
            ),
        )),
    }
    let listed = check_listed_files(&manifest, files, &mut checks);
    checks.push(check_unlisted(files, &listed, options.strict));
    checks.push(check_log(files));
    signature_checks::check(&manifest, files, &listed, options, &mut checks);
    if let Some(min) = options.min_retention_days {
        checks.push(check_retention(files, min));
    }
    finish(checks, options, Some(&manifest))
}

fn parse_manifest(files: &[BundleFile]) -> Result<Value, EvidenceError> {
    let mut found = files.iter().filter(|file| file.name == MANIFEST_FILE);
    let file = found
        .next()
        .ok_or_else(|| EvidenceError::new("manifest.json is missing"))?;
    if found.next().is_some() {
        return Err(EvidenceError::new("manifest.json appears twice"));
    }
    let value: Value = serde_json::from_slice(&file.bytes)
        .map_err(|e| EvidenceError::new(format!("manifest.json is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(EvidenceError::new("manifest.json is not a JSON object"));
    }
    if !value.get("files").is_some_and(Value::is_array) {
        return Err(EvidenceError::new("manifest.json has no `files` list"));
    }
    Ok(value)
}

/// One check per manifest entry; returns the names listed.
fn check_listed_files(
    manifest: &Value,
    files: &[BundleFile],
    checks: &mut Vec<Check>,
) -> HashSet<String> {
    let mut listed = HashSet::new();
    let entries = manifest.get("files").and_then(Value::as_array);
    for (index, entry) in entries.into_iter().flatten().enumerate() {
        let path = entry.get("path").and_then(Value::as_str);
        let bytes = entry.get("bytes").and_then(Value::as_u64);
        let sha256 = entry.get("sha256").and_then(Value::as_str);
        let (Some(path), Some(bytes), Some(sha256)) = (path, bytes, sha256) else {
            checks.push(Check::fail(
                format!("file:#{}", index + 1),
                format!(
                    "manifest entry {} lacks a path, byte count or sha256",
                    index + 1
                ),
            ));
            continue;
        };
        let name = format!("file:{path}");
        if let Err(why) = check_entry_name(path) {
            checks.push(Check::fail(name, format!("listed path {path:?} {why}")));
            continue;
        }
        if path == MANIFEST_FILE || !listed.insert(path.to_string()) {
            checks.push(Check::fail(
                name,
                format!("{path} is listed more than once"),
            ));
            continue;
        }
        checks.push(match files.iter().find(|file| file.name == path) {
            None => Check::fail(name, format!("{path} is listed but missing")),
            Some(file) if file.bytes.len() as u64 != bytes => Check::fail(
                name,
                format!(
                    "{path} has {} bytes, the manifest says {bytes}",
                    file.bytes.len()
                ),
            ),
            Some(file) if sha256_hex(&file.bytes) != sha256 => Check::fail(
                name,
                format!("{path} does not match its SHA-256 in the manifest (modified)"),
            ),
            Some(_) => Check::pass(name, format!("{bytes} bytes, sha256 {sha256}")),
        });
    }
    listed
}

fn check_unlisted(files: &[BundleFile], listed: &HashSet<String>, strict: bool) -> Check {
    let unlisted: Vec<&str> = files
        .iter()
        .map(|file| file.name.as_str())
        .filter(|name| *name != MANIFEST_FILE && !listed.contains(*name))
        .collect();
    if unlisted.is_empty() {
        return Check::pass("unlisted_files", "every file is listed in the manifest");
    }
    let detail = format!(
        "not in the manifest, so not covered by its signature: {}",
        unlisted.join(", ")
    );
    let status = if strict {
        CheckStatus::Fail
    } else {
        CheckStatus::Warn
    };
    Check::new("unlisted_files", status, detail)
}

fn check_log(files: &[BundleFile]) -> Check {
    let Some(log) = files.iter().find(|file| file.name == LOG_FILE) else {
        return Check::fail("session_log", "decisions.jsonl is missing");
    };
    match verify_chain(&log.bytes) {
        Ok(lines) => Check::pass(
            "session_log",
            format!("hash chain intact over {lines} lines"),
        ),
        Err(error) => Check::fail("session_log", error.message),
    }
}

fn check_retention(files: &[BundleFile], min: u32) -> Check {
    let days = files
        .iter()
        .find(|file| file.name == RETENTION_FILE)
        .and_then(|file| serde_json::from_slice::<Value>(&file.bytes).ok())
        .and_then(|value| value.get("retention_days").and_then(Value::as_u64));
    match days {
        None => Check::fail(
            "retention",
            "retention-policy.json is missing or has no integer retention_days",
        ),
        Some(days) if days < u64::from(min) => Check::fail(
            "retention",
            format!("retention is {days} days, less than the required {min}"),
        ),
        Some(days) => Check::pass("retention", format!("retention {days} days >= {min}")),
    }
}

/// Builds the report: verified unless something failed, or went unchecked
/// without `allow_unverified`.
fn finish(
    checks: Vec<Check>,
    options: &VerifyOptions,
    manifest: Option<&Value>,
) -> VerificationReport {
    let failed: Vec<&str> = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| c.name.as_str())
        .collect();
    let unchecked = checks.iter().any(|c| c.status == CheckStatus::NotChecked);
    let verified = failed.is_empty() && (!unchecked || options.allow_unverified);
    let summary = if !failed.is_empty() {
        format!("verification failed: {}", failed.join(", "))
    } else if unchecked && !options.allow_unverified {
        "not verified: the signature was not checked (no key supplied)".to_string()
    } else if unchecked {
        "integrity checks passed; the signature was not checked (allowed)".to_string()
    } else {
        "verified".to_string()
    };
    let signature = manifest.and_then(|m| m.get("signature"));
    let text = |field: &str| {
        signature
            .and_then(|s| s.get(field))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    VerificationReport {
        verified,
        summary,
        signature_algorithm: text("algorithm"),
        key_id: text("key_id"),
        public_key_sha256: text("public_key_sha256"),
        checks,
    }
}

#[cfg(test)]
mod tests;
