//! Manifest signatures and the keys that make them.
//!
//! Three modes, strongest last: `SHA256` (a digest of the canonical manifest:
//! integrity against accidents, no authenticity), `HS256` (HMAC-SHA256 with a
//! shared secret: only whoever holds the secret can check it) and `Ed25519`
//! (anyone with the public key can check it). Keys travel as PKCS#8 and SPKI
//! PEM so they interoperate with OpenSSL and Python's `cryptography`. The
//! caller supplies key seeds, so this module needs no randomness and builds
//! for WebAssembly unchanged.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::canonical::sha256_hex;
use super::manifest::{Manifest, ManifestSignature};
use super::EvidenceError;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::spki::der::{Decode, Document};
use ed25519_dalek::pkcs8::spki::{EncodePublicKey, SubjectPublicKeyInfoRef};
use ed25519_dalek::pkcs8::{EncodePrivateKey, KeypairBytes, ObjectIdentifier, PrivateKeyInfoRef};
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// `algorithm` of a digest-only manifest.
pub const ALG_SHA256: &str = "SHA256";
/// `algorithm` of an HMAC-SHA256 manifest.
pub const ALG_HS256: &str = "HS256";
/// `algorithm` of an Ed25519 manifest.
pub const ALG_ED25519: &str = "Ed25519";

/// The Ed25519 algorithm OID (RFC 8410).
const ED25519_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// How a bundle is signed.
// The Ed25519 key is a few hundred bytes and a signer is built once per
// bundle: boxing it would only make callers' code noisier.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Signer {
    /// A SHA-256 digest of the canonical manifest: integrity only.
    Sha256,
    /// HMAC-SHA256 keyed with the secret's bytes.
    Hmac {
        /// The shared secret (UTF-8 bytes of the configured key).
        secret: Vec<u8>,
    },
    /// Ed25519 with a private key.
    Ed25519 {
        /// The private key.
        key: SigningKey,
        /// The key id to record; `None` uses [`default_key_id`].
        key_id: Option<String>,
    },
}

/// What a verifier checks a signature with.
#[allow(clippy::large_enum_variant)] // As for `Signer`: one per verification.
#[derive(Debug, Clone)]
pub enum Verifier {
    /// No key: SHA256 manifests can be recomputed, signed ones cannot be checked.
    None,
    /// The shared HMAC secret.
    Hmac {
        /// The shared secret.
        secret: Vec<u8>,
    },
    /// An Ed25519 public key.
    Ed25519 {
        /// The public key.
        key: VerifyingKey,
        /// The key id the manifest must name, if the caller pins one.
        expected_key_id: Option<String>,
    },
}

/// A freshly generated key pair, ready to write to disk or show in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPair {
    /// PKCS#8 v1 PEM (`BEGIN PRIVATE KEY`), LF line endings.
    pub private_pem: String,
    /// SPKI PEM (`BEGIN PUBLIC KEY`), exactly three lines and a final LF.
    pub public_pem: String,
    /// The default key id: first 16 hex of the public key fingerprint.
    pub key_id: String,
}

/// Signs `manifest` in place with `signer` (replacing any old signature).
///
/// Fails only if a key cannot be encoded, which a valid key never causes.
pub fn sign_manifest(manifest: &mut Manifest, signer: &Signer) -> Result<(), EvidenceError> {
    let bytes = manifest.signing_bytes();
    let signature = match signer {
        Signer::Sha256 => ManifestSignature {
            algorithm: ALG_SHA256.to_string(),
            key_id: None,
            public_key_sha256: None,
            value: sha256_hex(bytes.as_bytes()),
        },
        Signer::Hmac { secret } => ManifestSignature {
            algorithm: ALG_HS256.to_string(),
            key_id: None,
            public_key_sha256: None,
            value: BASE64.encode(hmac_sha256(secret, bytes.as_bytes())?),
        },
        Signer::Ed25519 { key, key_id } => {
            let fingerprint = public_key_sha256(&public_key_pem(&key.verifying_key())?);
            ManifestSignature {
                algorithm: ALG_ED25519.to_string(),
                key_id: Some(key_id.clone().unwrap_or_else(|| key_id_from(&fingerprint))),
                public_key_sha256: Some(fingerprint),
                value: BASE64.encode(key.sign(bytes.as_bytes()).to_bytes()),
            }
        }
    };
    manifest.signature = Some(signature);
    Ok(())
}

/// HMAC-SHA256 of `message` keyed with `secret`.
pub fn hmac_sha256(secret: &[u8], message: &[u8]) -> Result<Vec<u8>, EvidenceError> {
    let mut mac = new_hmac(secret)?;
    mac.update(message);
    Ok(mac.finalize().into_bytes().to_vec())
}

/// Checks an HMAC-SHA256 tag in constant time.
pub fn hmac_sha256_verify(secret: &[u8], message: &[u8], tag: &[u8]) -> bool {
    match new_hmac(secret) {
        Ok(mut mac) => {
            mac.update(message);
            mac.verify_slice(tag).is_ok()
        }
        Err(_) => false,
    }
}

fn new_hmac(secret: &[u8]) -> Result<Hmac<Sha256>, EvidenceError> {
    // HMAC takes keys of any length; the error branch is unreachable.
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .map_err(|_| EvidenceError::new("hmac key has an invalid length"))
}

/// A key pair from a 32-byte seed (the caller draws it from its own
/// randomness: `getrandom` natively, `crypto.getRandomValues` in a browser).
pub fn generate_ed25519(seed: [u8; 32]) -> Result<KeyPair, EvidenceError> {
    let key = SigningKey::from_bytes(&seed);
    let public_pem = public_key_pem(&key.verifying_key())?;
    Ok(KeyPair {
        private_pem: private_key_pem(&key)?,
        key_id: default_key_id(&public_pem),
        public_pem,
    })
}

/// PKCS#8 v1 PEM of a private key (the form OpenSSL and Python's
/// `cryptography` write: seed only, no embedded public key).
pub fn private_key_pem(key: &SigningKey) -> Result<String, EvidenceError> {
    let bytes = KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    };
    bytes
        .to_pkcs8_pem(LineEnding::LF)
        .map(|pem| pem.as_str().to_string())
        .map_err(|e| EvidenceError::new(format!("cannot encode private key: {e}")))
}

/// SPKI PEM of a public key: `-----BEGIN PUBLIC KEY-----\n<60 base64>\n-----END PUBLIC KEY-----\n`.
pub fn public_key_pem(key: &VerifyingKey) -> Result<String, EvidenceError> {
    key.to_public_key_pem(LineEnding::LF)
        .map_err(|e| EvidenceError::new(format!("cannot encode public key: {e}")))
}

/// The fingerprint recorded in manifests: SHA-256 hex of the PEM text.
pub fn public_key_sha256(public_pem: &str) -> String {
    sha256_hex(public_pem.as_bytes())
}

/// The default key id of a public key: first 16 hex of its fingerprint.
pub fn default_key_id(public_pem: &str) -> String {
    key_id_from(&public_key_sha256(public_pem))
}

fn key_id_from(fingerprint: &str) -> String {
    fingerprint.chars().take(16).collect()
}

/// Parses a PKCS#8 PEM Ed25519 private key (`BEGIN PRIVATE KEY`).
pub fn parse_private_pem(text: &str) -> Result<SigningKey, EvidenceError> {
    let text = expect_label(text, "PRIVATE KEY")?;
    let (_, document) = Document::from_pem(text)
        .map_err(|e| EvidenceError::new(format!("private key PEM is malformed: {e}")))?;
    let info = PrivateKeyInfoRef::from_der(document.as_bytes())
        .map_err(|e| EvidenceError::new(format!("private key is not valid PKCS#8: {e}")))?;
    expect_ed25519(info.algorithm.oid, "private")?;
    SigningKey::try_from(info)
        .map_err(|e| EvidenceError::new(format!("private key is not a valid Ed25519 key: {e}")))
}

/// Parses an SPKI PEM Ed25519 public key (`BEGIN PUBLIC KEY`).
pub fn parse_public_pem(text: &str) -> Result<VerifyingKey, EvidenceError> {
    let text = expect_label(text, "PUBLIC KEY")?;
    let (_, document) = Document::from_pem(text)
        .map_err(|e| EvidenceError::new(format!("public key PEM is malformed: {e}")))?;
    let info = SubjectPublicKeyInfoRef::from_der(document.as_bytes()).map_err(|e| {
        EvidenceError::new(format!(
            "public key is not a valid SubjectPublicKeyInfo: {e}"
        ))
    })?;
    expect_ed25519(info.algorithm.oid, "public")?;
    VerifyingKey::try_from(info)
        .map_err(|e| EvidenceError::new(format!("public key is not a valid Ed25519 key: {e}")))
}

/// Checks the PEM's label before decoding, so a swapped or foreign key gets
/// an error that says what it is instead of a DER complaint. Returns the
/// text without surrounding whitespace.
fn expect_label<'a>(text: &'a str, expected: &str) -> Result<&'a str, EvidenceError> {
    let text = text.trim();
    let label = text
        .lines()
        .next()
        .and_then(|line| line.trim().strip_prefix("-----BEGIN "))
        .and_then(|rest| rest.strip_suffix("-----"));
    let Some(label) = label else {
        return Err(EvidenceError::new(format!(
            "not a PEM key: expected a line `-----BEGIN {expected}-----`"
        )));
    };
    if label == expected {
        return Ok(text);
    }
    let hint = match label {
        "PUBLIC KEY" => "this is a public key; signing needs the private key",
        "PRIVATE KEY" => "this is a private key; pass the public key (`BEGIN PUBLIC KEY`)",
        "ENCRYPTED PRIVATE KEY" => {
            "encrypted keys are not supported; decrypt it with `openssl pkey`"
        }
        "OPENSSH PRIVATE KEY" => {
            "OpenSSH keys are not supported; convert with `ssh-keygen -p -m PKCS8`"
        }
        "RSA PRIVATE KEY" | "RSA PUBLIC KEY" | "EC PRIVATE KEY" => {
            "only Ed25519 keys are supported"
        }
        _ => "generate one with `cavra keys generate`",
    };
    Err(EvidenceError::new(format!(
        "expected a `{expected}` PEM, found `{label}`: {hint}"
    )))
}

fn expect_ed25519(oid: ObjectIdentifier, which: &str) -> Result<(), EvidenceError> {
    if oid == ED25519_OID {
        return Ok(());
    }
    let name = match oid.to_string().as_str() {
        "1.2.840.113549.1.1.1" => "RSA",
        "1.2.840.10045.2.1" => "EC",
        "1.3.101.110" => "X25519",
        "1.3.101.113" => "Ed448",
        _ => "unknown",
    };
    Err(EvidenceError::new(format!(
        "{which} key is not Ed25519: its algorithm is {name} ({oid}); only Ed25519 is supported"
    )))
}

#[cfg(test)]
mod tests;
