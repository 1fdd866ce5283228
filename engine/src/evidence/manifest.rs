//! The bundle manifest: the list of every other file with its size and
//! SHA-256, plus the signature over it.
//!
//! The manifest is what a verifier trusts first: if its signature holds and
//! every listed file hashes to its entry, nothing in the bundle was changed.
//! The signature covers the canonical JSON of the manifest without its
//! `signature` key ([`Manifest::signing_bytes`]), which CAVRA's Python
//! verifier rebuilds byte for byte.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::canonical::{canonical_json, pretty_json, sha256_hex};
use super::{BundleContext, BundleFile};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The schema version this engine writes and understands.
pub const MANIFEST_SCHEMA_VERSION: &str = "cavra.evidence.bundle.v1";

/// The manifest's own file name.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The `product` every CAVRA manifest names.
pub const PRODUCT: &str = "CAVRA";

/// `manifest.json`: what the bundle holds and who vouches for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`MANIFEST_SCHEMA_VERSION`] when written by this engine.
    pub schema_version: String,
    /// Always `CAVRA`.
    pub product: String,
    /// RFC 3339 UTC creation time of the bundle.
    pub created_at: String,
    /// Who produced the bundle (`local` by default).
    pub signer: String,
    /// Every other file of the bundle, in bundle order.
    pub files: Vec<ManifestEntry>,
    /// The signature over [`Manifest::signing_bytes`]; absent until signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<ManifestSignature>,
}

/// One listed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// File name inside the bundle (flat, no folders).
    pub path: String,
    /// Exact size in bytes.
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
}

/// The `signature` object of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSignature {
    /// `SHA256`, `HS256` or `Ed25519`.
    pub algorithm: String,
    /// Key id (Ed25519 only): given, or the first 16 hex of the fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// SHA-256 hex of the signer's SPKI public key PEM text (Ed25519 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_sha256: Option<String>,
    /// Hex digest (SHA256) or base64 MAC/signature (HS256, Ed25519).
    pub value: String,
}

impl ManifestEntry {
    /// The entry describing a file.
    pub fn for_file(file: &BundleFile) -> ManifestEntry {
        ManifestEntry {
            path: file.name.clone(),
            bytes: file.bytes.len() as u64,
            sha256: sha256_hex(&file.bytes),
        }
    }
}

impl Manifest {
    /// An unsigned manifest listing `files` in the order given, leaving out
    /// any `manifest.json` among them.
    pub fn for_files(files: &[BundleFile], ctx: &BundleContext) -> Manifest {
        let entries = files
            .iter()
            .filter(|file| file.name != MANIFEST_FILE)
            .map(ManifestEntry::for_file)
            .collect();
        Manifest::for_entries(entries, ctx)
    }

    /// An unsigned manifest from entries already computed (in bundle order,
    /// without the manifest itself).
    pub fn for_entries(entries: Vec<ManifestEntry>, ctx: &BundleContext) -> Manifest {
        Manifest {
            schema_version: MANIFEST_SCHEMA_VERSION.to_string(),
            product: PRODUCT.to_string(),
            created_at: ctx.created_at.clone(),
            signer: ctx.signer.clone(),
            files: entries,
            signature: None,
        }
    }

    /// The manifest as a JSON value (with its signature, if any).
    pub fn to_value(&self) -> Value {
        // Serialising plain strings, integers and vectors cannot fail; the
        // fallback keeps this path free of panics all the same.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The bytes the signature covers: the canonical JSON of the manifest
    /// without its `signature` key.
    pub fn signing_bytes(&self) -> String {
        signing_bytes_of(&self.to_value())
    }

    /// The manifest as a bundle file: pretty JSON with a final newline.
    pub fn to_file(&self) -> BundleFile {
        BundleFile::text(MANIFEST_FILE, pretty_json(&self.to_value()))
    }
}

/// The signing bytes of a manifest given as parsed JSON: verification uses
/// this on the manifest exactly as found, so fields this engine does not know
/// are still covered.
pub fn signing_bytes_of(manifest: &Value) -> String {
    let mut unsigned = manifest.clone();
    if let Value::Object(map) = &mut unsigned {
        map.remove("signature");
    }
    canonical_json(&unsigned)
}
