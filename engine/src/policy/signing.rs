//! Signed policies: `cavra policy sign FILE --key PEM` and `cavra policy
//! verify FILE --public-key PEM`.
//!
//! A policy decides what agents may do, so whoever can edit it can grant
//! anything. A detached `FILE.sig.json` holds an Ed25519 signature over the
//! file's exact bytes (no normalisation: a changed space is a changed
//! policy), with the digest and key fingerprint spelled out so a mismatch
//! can say which part is wrong.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::evidence::canonical::{pretty_json, sha256_hex};
use crate::evidence::signature::{
    default_key_id, parse_public_pem, public_key_pem, public_key_sha256, ALG_ED25519,
};
use crate::evidence::EvidenceError;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey};
use serde_json::{json, Value};

/// The detached signature file of a policy: `<policy file>.sig.json`.
pub fn signature_path(policy_path: &str) -> String {
    format!("{policy_path}.sig.json")
}

/// Signs a policy file's bytes and returns the text of its `.sig.json`
/// (pretty JSON: `algorithm`, `digest`, `signature`, `signed_at`, `signer`,
/// `key_id`, `public_key_sha256`). `key_id` defaults to the first 16 hex
/// of the public key fingerprint; `signed_at` is RFC 3339 UTC, supplied by
/// the caller.
pub fn sign_policy(
    bytes: &[u8],
    key: &SigningKey,
    key_id: Option<&str>,
    signer: &str,
    signed_at: &str,
) -> Result<String, EvidenceError> {
    let public_pem = public_key_pem(&key.verifying_key())?;
    let signature = key.sign(bytes);
    let document = json!({
        "algorithm": ALG_ED25519,
        "digest": format!("sha256:{}", sha256_hex(bytes)),
        "signature": BASE64.encode(signature.to_bytes()),
        "signed_at": signed_at,
        "signer": signer,
        "key_id": key_id.map_or_else(|| default_key_id(&public_pem), str::to_string),
        "public_key_sha256": public_key_sha256(&public_pem),
    });
    Ok(pretty_json(&document))
}

/// Checks a policy file against its `.sig.json` text and a public key PEM,
/// and, when given, the key id the signature must name. Each failure says
/// which part disagrees: the file (modified), the key (a different signer),
/// the signature itself, or the key id.
pub fn verify_policy(
    bytes: &[u8],
    sig_json_text: &str,
    public_pem: &str,
    expected_key_id: Option<&str>,
) -> Result<(), EvidenceError> {
    let document: Value = serde_json::from_str(sig_json_text)
        .map_err(|e| EvidenceError::new(format!("policy signature is not valid JSON: {e}")))?;
    let field = |name: &str| {
        document
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| EvidenceError::new(format!("policy signature has no string `{name}`")))
    };
    let algorithm = field("algorithm")?;
    if algorithm != ALG_ED25519 {
        return Err(EvidenceError::new(format!(
            "policy signature algorithm is `{algorithm}`; only `{ALG_ED25519}` is supported"
        )));
    }
    let digest = format!("sha256:{}", sha256_hex(bytes));
    if field("digest")? != digest {
        return Err(EvidenceError::new(format!(
            "policy file was modified after signing: its digest is {digest}, the signature covers {}",
            field("digest")?
        )));
    }
    let key = parse_public_pem(public_pem)?;
    let fingerprint = public_key_sha256(&public_key_pem(&key)?);
    if let Some(recorded) = document.get("public_key_sha256").and_then(Value::as_str) {
        if recorded != fingerprint {
            return Err(EvidenceError::new(format!(
                "policy was signed with a different key: the signature names public key {recorded}, the supplied key is {fingerprint}"
            )));
        }
    }
    let signature = BASE64
        .decode(field("signature")?)
        .ok()
        .and_then(|raw| Signature::from_slice(&raw).ok())
        .ok_or_else(|| {
            EvidenceError::new("policy signature value is not a base64 Ed25519 signature")
        })?;
    key.verify_strict(bytes, &signature).map_err(|_| {
        EvidenceError::new("policy signature does not verify with the supplied public key")
    })?;
    if let Some(expected) = expected_key_id {
        let found = field("key_id")?;
        if found != expected {
            return Err(EvidenceError::new(format!(
                "policy signature names key id `{found}`, expected `{expected}`"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
