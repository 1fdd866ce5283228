//! The checks that need a key: the manifest signature, the key id and
//! fingerprint, and the DSSE attestation.
//!
//! Kept apart from the file and log checks because this is where a verifier
//! is most easily fooled: by a bundle re-signed in a weaker mode, by a key
//! that was never supplied, or by a fingerprint that does not belong to the
//! key that checked the signature.

use super::{Check, CheckStatus, VerifyOptions};
use crate::evidence::canonical::sha256_hex;
use crate::evidence::dsse::{verify_attestation, ATTESTATION_FILE};
use crate::evidence::manifest::{signing_bytes_of, MANIFEST_FILE};
use crate::evidence::signature::{
    hmac_sha256_verify, public_key_pem, public_key_sha256, Verifier, ALG_ED25519, ALG_HS256,
    ALG_SHA256,
};
use crate::evidence::BundleFile;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::{Signature, VerifyingKey};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashSet;

/// Appends the signature, key and attestation checks.
pub(super) fn check(
    manifest: &Value,
    files: &[BundleFile],
    listed: &HashSet<String>,
    options: &VerifyOptions,
    checks: &mut Vec<Check>,
) {
    let signature = manifest.get("signature").filter(|s| !s.is_null());
    let field = |name: &str| signature.and_then(|s| s.get(name)).and_then(Value::as_str);
    let algorithm = field("algorithm").unwrap_or("");
    checks.push(match (signature, field("value")) {
        (None, _) => Check::fail("signature", "the manifest is unsigned"),
        (Some(_), None) => Check::fail("signature", "the manifest signature has no value"),
        (Some(_), Some(value)) => {
            let message = signing_bytes_of(manifest);
            check_signature(algorithm, value, message.as_bytes(), &options.verifier)
        }
    });

    let expected = [
        options.expected_key_id.as_deref(),
        match &options.verifier {
            Verifier::Ed25519 {
                expected_key_id, ..
            } => expected_key_id.as_deref(),
            _ => None,
        },
    ];
    for expected in expected.into_iter().flatten() {
        checks.push(match field("key_id") {
            Some(found) if found == expected => {
                Check::pass("key_id", format!("key id `{found}` as expected"))
            }
            Some(found) => Check::fail(
                "key_id",
                format!("the manifest names key `{found}`, expected `{expected}`"),
            ),
            None => Check::fail(
                "key_id",
                format!("the manifest names no key id, expected `{expected}`"),
            ),
        });
    }

    if let (Verifier::Ed25519 { key, .. }, ALG_ED25519) = (&options.verifier, algorithm) {
        checks.push(check_fingerprint(key, field("public_key_sha256")));
    }
    // The attestation vouches for the signed files only: an unlisted extra
    // file is reported once, by `unlisted_files`, not again here.
    // Copies only in that rare case.
    let signed: Cow<'_, [BundleFile]> = if files.iter().all(|f| is_signed(f, listed)) {
        Cow::Borrowed(files)
    } else {
        Cow::Owned(
            files
                .iter()
                .filter(|f| is_signed(f, listed))
                .cloned()
                .collect(),
        )
    };
    if let Some(check) = check_attestation(&signed, &options.verifier, algorithm) {
        checks.push(check);
    }
}

fn is_signed(file: &BundleFile, listed: &HashSet<String>) -> bool {
    file.name == MANIFEST_FILE || listed.contains(&file.name)
}

fn check_signature(algorithm: &str, value: &str, message: &[u8], verifier: &Verifier) -> Check {
    let name = "signature";
    match (algorithm, verifier) {
        (ALG_SHA256, Verifier::None) if value == sha256_hex(message) => Check::new(
            name,
            CheckStatus::Warn,
            "SHA256 digest of the canonical manifest matches: integrity only, no \
             authenticity (anyone who changes the bundle can recompute it)",
        ),
        (ALG_SHA256, Verifier::None) => Check::fail(
            name,
            "SHA256 digest does not match the canonical manifest (manifest modified)",
        ),
        (ALG_SHA256, _) => Check::fail(
            name,
            "the bundle carries only a SHA256 digest but a key was supplied: a digest \
             proves no author, so the bundle may have been rewritten and re-hashed",
        ),
        (ALG_HS256 | ALG_ED25519, Verifier::None) => Check::new(
            name,
            CheckStatus::NotChecked,
            format!("signature not checked: the bundle is signed with {algorithm} but no key was supplied"),
        ),
        (ALG_HS256, Verifier::Hmac { secret }) => {
            let valid = BASE64
                .decode(value)
                .is_ok_and(|tag| hmac_sha256_verify(secret, message, &tag));
            if valid {
                Check::pass(name, "HS256 signature verified with the supplied secret")
            } else {
                Check::fail(
                    name,
                    "HS256 signature does not match: wrong secret, or the manifest was modified",
                )
            }
        }
        (ALG_ED25519, Verifier::Ed25519 { key, .. }) => {
            let valid = BASE64
                .decode(value)
                .ok()
                .and_then(|raw| Signature::from_slice(&raw).ok())
                .is_some_and(|sig| key.verify_strict(message, &sig).is_ok());
            if valid {
                Check::pass(name, "Ed25519 signature verified with the supplied public key")
            } else {
                Check::fail(
                    name,
                    "Ed25519 signature does not verify: wrong public key, or the manifest was modified",
                )
            }
        }
        (ALG_HS256 | ALG_ED25519, _) => Check::fail(
            name,
            format!(
                "the bundle is signed with {algorithm} but {} was supplied",
                match verifier {
                    Verifier::Hmac { .. } => "an HMAC secret",
                    _ => "an Ed25519 public key",
                }
            ),
        ),
        (other, _) => Check::fail(name, format!("unknown signature algorithm `{other}`")),
    }
}

fn check_fingerprint(key: &VerifyingKey, recorded: Option<&str>) -> Check {
    let name = "key_fingerprint";
    let Ok(pem) = public_key_pem(key) else {
        return Check::fail(name, "the supplied public key cannot be encoded");
    };
    let actual = public_key_sha256(&pem);
    match recorded {
        Some(found) if found == actual => Check::pass(name, format!("public key sha256 {actual}")),
        Some(found) => Check::fail(
            name,
            format!("the manifest records public key {found}, the supplied key is {actual}"),
        ),
        None => Check::new(
            name,
            CheckStatus::Warn,
            "the manifest records no public key fingerprint",
        ),
    }
}

fn check_attestation(files: &[BundleFile], verifier: &Verifier, algorithm: &str) -> Option<Check> {
    let name = "attestation";
    let Some(file) = files.iter().find(|f| f.name == ATTESTATION_FILE) else {
        return (algorithm == ALG_ED25519).then(|| {
            Check::fail(
                name,
                "no attestation.intoto.json: an Ed25519-signed bundle must carry its DSSE attestation",
            )
        });
    };
    Some(match verifier {
        Verifier::Ed25519 { key, .. } => match verify_attestation(&file.bytes, files, key) {
            Ok(()) => Check::pass(name, "DSSE envelope verified; subjects match the files"),
            Err(error) => Check::fail(name, error.message),
        },
        _ => Check::new(
            name,
            CheckStatus::NotChecked,
            "attestation not checked: it needs an Ed25519 public key",
        ),
    })
}
