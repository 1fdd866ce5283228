//! `attestation.intoto.json`: the bundle as an in-toto Statement in a signed
//! DSSE envelope.
//!
//! The manifest is CAVRA's own format; supply-chain tooling (in-toto,
//! sigstore, SLSA verifiers) speaks DSSE. The envelope names every bundle
//! file before it as a subject with its SHA-256 and carries a summary of the
//! session as the predicate, signed with the same Ed25519 key as the
//! manifest, so standard tools can check it with the public key alone.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::canonical::{canonical_json, pretty_json, sha256_hex};
use super::manifest::{ManifestEntry, MANIFEST_FILE};
use super::{BundleContext, BundleFile, EvidenceError};
use crate::{Decision, Verdict};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The attestation's file name.
pub const ATTESTATION_FILE: &str = "attestation.intoto.json";
/// DSSE `payloadType` of an in-toto statement.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// in-toto Statement `_type`.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// The CAVRA evidence predicate, versioned.
pub const PREDICATE_TYPE: &str = "https://cavra.dev/evidence/v1";

/// DSSE pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(body)> <body>`
/// (lengths in bytes, ASCII decimal). This is what the signature covers.
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// The in-toto statement whose subjects are `subjects` (name and SHA-256 of
/// each content file, as the manifest lists them).
pub fn statement(subjects: &[ManifestEntry], ctx: &BundleContext, decisions: &[Decision]) -> Value {
    let subject: Vec<Value> = subjects
        .iter()
        .filter(|entry| entry.path != ATTESTATION_FILE && entry.path != MANIFEST_FILE)
        .map(|entry| json!({"name": entry.path, "digest": {"sha256": entry.sha256}}))
        .collect();
    json!({
        "_type": STATEMENT_TYPE,
        "subject": subject,
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "policy": {
                "id": ctx.policy.id,
                "version": ctx.policy.version,
                "digest": ctx.policy.digest,
            },
            "session": {"id": ctx.session_id, "created_at": ctx.created_at},
            "counts": counts(decisions),
            "verdicts_by_rule": verdicts_by_rule(decisions),
        },
    })
}

/// The files an attestation covers: all but itself and the manifest.
fn subjects(files: &[BundleFile]) -> impl Iterator<Item = &BundleFile> {
    files
        .iter()
        .filter(|file| file.name != ATTESTATION_FILE && file.name != MANIFEST_FILE)
}

/// Decisions per verdict (the policy's verdict, before mode adjustments).
fn counts(decisions: &[Decision]) -> Value {
    let mut counts = Map::new();
    counts.insert("decisions".into(), json!(decisions.len()));
    for verdict in Verdict::ALL {
        let n = decisions.iter().filter(|d| d.decision == verdict).count();
        counts.insert(verdict.as_str().into(), json!(n));
    }
    Value::Object(counts)
}

fn verdicts_by_rule(decisions: &[Decision]) -> Value {
    let mut by_rule: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    for decision in decisions {
        *by_rule
            .entry(decision.rule_id.as_str())
            .or_default()
            .entry(decision.decision.as_str())
            .or_default() += 1;
    }
    json!(by_rule)
}

/// Builds `attestation.intoto.json` over `files` (the content files before
/// it), signed with `key` under `key_id`.
pub fn attestation(
    files: &[BundleFile],
    ctx: &BundleContext,
    decisions: &[Decision],
    key: &SigningKey,
    key_id: &str,
) -> BundleFile {
    let entries: Vec<ManifestEntry> = subjects(files).map(ManifestEntry::for_file).collect();
    attestation_for(&entries, ctx, decisions, key, key_id)
}

/// [`attestation`] from digests already computed (the manifest needs the
/// same ones: a large bundle is hashed once, not twice).
pub fn attestation_for(
    subjects: &[ManifestEntry],
    ctx: &BundleContext,
    decisions: &[Decision],
    key: &SigningKey,
    key_id: &str,
) -> BundleFile {
    let payload = canonical_json(&statement(subjects, ctx, decisions)).into_bytes();
    let signature = key.sign(&pae(PAYLOAD_TYPE, &payload));
    let envelope = json!({
        "payloadType": PAYLOAD_TYPE,
        "payload": BASE64.encode(&payload),
        "signatures": [{"keyid": key_id, "sig": BASE64.encode(signature.to_bytes())}],
    });
    BundleFile::text(ATTESTATION_FILE, pretty_json(&envelope))
}

/// Checks an attestation: a signature by `key` over the PAE of its payload,
/// an in-toto v1 statement, and one subject per file of `files` (other than
/// the attestation and the manifest) with that file's SHA-256, no more.
pub fn verify_attestation(
    bytes: &[u8],
    files: &[BundleFile],
    key: &VerifyingKey,
) -> Result<(), EvidenceError> {
    let envelope: Value = serde_json::from_slice(bytes)
        .map_err(|e| EvidenceError::new(format!("attestation is not JSON: {e}")))?;
    let payload_type = str_field(&envelope, "payloadType")?;
    if payload_type != PAYLOAD_TYPE {
        return Err(EvidenceError::new(format!(
            "attestation payloadType is `{payload_type}`, expected `{PAYLOAD_TYPE}`"
        )));
    }
    let payload = BASE64
        .decode(str_field(&envelope, "payload")?)
        .map_err(|e| EvidenceError::new(format!("attestation payload is not base64: {e}")))?;
    let message = pae(payload_type, &payload);
    let signatures = envelope
        .get("signatures")
        .and_then(Value::as_array)
        .ok_or_else(|| EvidenceError::new("attestation has no `signatures` list"))?;
    let signed = signatures.iter().any(|entry| {
        let sig = entry.get("sig").and_then(Value::as_str).unwrap_or("");
        BASE64
            .decode(sig)
            .ok()
            .and_then(|raw| Signature::from_slice(&raw).ok())
            .is_some_and(|sig| key.verify_strict(&message, &sig).is_ok())
    });
    if !signed {
        return Err(EvidenceError::new(
            "attestation signature does not verify with the supplied public key",
        ));
    }
    let statement: Value = serde_json::from_slice(&payload)
        .map_err(|e| EvidenceError::new(format!("attestation statement is not JSON: {e}")))?;
    let statement_type = str_field(&statement, "_type")?;
    if statement_type != STATEMENT_TYPE {
        return Err(EvidenceError::new(format!(
            "attestation statement _type is `{statement_type}`, expected `{STATEMENT_TYPE}`"
        )));
    }
    check_subjects(&statement, files)
}

fn check_subjects(statement: &Value, files: &[BundleFile]) -> Result<(), EvidenceError> {
    let listed = statement
        .get("subject")
        .and_then(Value::as_array)
        .ok_or_else(|| EvidenceError::new("attestation statement has no `subject` list"))?;
    let mut digests: BTreeMap<&str, &str> = BTreeMap::new();
    for subject in listed {
        let name = str_field(subject, "name")?;
        let digest = subject
            .get("digest")
            .and_then(|d| d.get("sha256"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                EvidenceError::new(format!("attestation subject `{name}` has no sha256 digest"))
            })?;
        if digests.insert(name, digest).is_some() {
            return Err(EvidenceError::new(format!(
                "attestation lists subject `{name}` twice"
            )));
        }
    }
    for file in subjects(files) {
        match digests.remove(file.name.as_str()) {
            None => {
                return Err(EvidenceError::new(format!(
                    "attestation does not cover `{}`",
                    file.name
                )))
            }
            Some(digest) if digest != sha256_hex(&file.bytes) => {
                return Err(EvidenceError::new(format!(
                    "attestation digest of `{}` does not match the file",
                    file.name
                )))
            }
            Some(_) => {}
        }
    }
    if let Some(name) = digests.keys().next() {
        return Err(EvidenceError::new(format!(
            "attestation names `{name}`, which is not in the bundle"
        )));
    }
    Ok(())
}

fn str_field<'a>(value: &'a Value, field: &str) -> Result<&'a str, EvidenceError> {
    value
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| EvidenceError::new(format!("attestation has no string `{field}`")))
}

#[cfg(test)]
mod tests;
