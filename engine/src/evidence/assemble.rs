//! Assembling a bundle: content files in, signed bundle out.
//!
//! The content files (evidence, Markdown, SIEM event, summaries, the log) are
//! built elsewhere; this step adds what vouches for them, in the order the
//! spec fixes: the DSSE attestation (Ed25519 only) over the content files,
//! then the manifest over everything before it, signed last.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::dsse::{attestation_for, ATTESTATION_FILE};
use super::manifest::{Manifest, ManifestEntry, MANIFEST_FILE};
use super::signature::{default_key_id, public_key_pem, sign_manifest, Signer};
use super::{BundleContext, BundleFile, EvidenceError, BUNDLE_ORDER};
use crate::Decision;

/// Adds the attestation (when `signer` is Ed25519) and the signed manifest to
/// `content` and returns every file in bundle order.
///
/// `content` may hold any of the seven content files of [`BUNDLE_ORDER`], in
/// any order, each at most once; the attestation and the manifest are this
/// function's to write, and names outside the bundle are refused.
///
/// ```
/// use cavra::evidence::{assemble::assemble, zip, BundleContext, BundleFile, PolicyRef};
/// use cavra::evidence::signature::{generate_ed25519, parse_private_pem, parse_public_pem, Signer, Verifier};
/// use cavra::evidence::verify::{verify_zip, VerifyOptions};
///
/// let ctx = BundleContext {
///     session_id: "s1".into(),
///     created_at: "2026-11-25T10:00:00Z".into(),
///     policy: PolicyRef { id: "p".into(), version: "1".into(), digest: "sha256:00".into() },
///     retention_days: 2555,
///     legal_hold: false,
///     classification: "regulated-sdlc".into(),
///     signer: "local".into(),
/// };
/// let content = vec![BundleFile::text("decisions.jsonl", String::new())];
/// let pair = generate_ed25519([7; 32]).unwrap(); // seed from the caller's randomness
/// let signer = Signer::Ed25519 { key: parse_private_pem(&pair.private_pem).unwrap(), key_id: None };
/// let files = assemble(content, &ctx, &[], &signer).unwrap();
/// let bytes = zip::write_zip(&files, &ctx.created_at).unwrap();
///
/// let key = parse_public_pem(&pair.public_pem).unwrap();
/// let options = VerifyOptions { verifier: Verifier::Ed25519 { key, expected_key_id: None }, ..Default::default() };
/// assert!(verify_zip(&bytes, &options).verified);
/// ```
pub fn assemble(
    content: Vec<BundleFile>,
    ctx: &BundleContext,
    decisions: &[Decision],
    signer: &Signer,
) -> Result<Vec<BundleFile>, EvidenceError> {
    let mut files = Vec::with_capacity(content.len() + 2);
    for file in content {
        let position = BUNDLE_ORDER
            .iter()
            .position(|name| *name == file.name)
            .filter(|_| file.name != ATTESTATION_FILE && file.name != MANIFEST_FILE)
            .ok_or_else(|| {
                EvidenceError::new(format!(
                    "`{}` is not a bundle content file (expected one of {})",
                    file.name,
                    content_names()
                ))
            })?;
        if files
            .iter()
            .any(|(_, f): &(usize, BundleFile)| f.name == file.name)
        {
            return Err(EvidenceError::new(format!(
                "bundle content file `{}` given twice",
                file.name
            )));
        }
        files.push((position, file));
    }
    files.sort_by_key(|(position, _)| *position);
    let mut files: Vec<BundleFile> = files.into_iter().map(|(_, file)| file).collect();

    // Each file is hashed once: the attestation's subjects and the
    // manifest's entries are the same digests.
    let mut entries: Vec<ManifestEntry> = files.iter().map(ManifestEntry::for_file).collect();
    if let Signer::Ed25519 { key, key_id } = signer {
        let key_id = match key_id {
            Some(id) => id.clone(),
            None => default_key_id(&public_key_pem(&key.verifying_key())?),
        };
        let envelope = attestation_for(&entries, ctx, decisions, key, &key_id);
        entries.push(ManifestEntry::for_file(&envelope));
        files.push(envelope);
    }

    let mut manifest = Manifest::for_entries(entries, ctx);
    sign_manifest(&mut manifest, signer)?;
    files.push(manifest.to_file());
    Ok(files)
}

fn content_names() -> String {
    BUNDLE_ORDER
        .iter()
        .filter(|name| **name != ATTESTATION_FILE && **name != MANIFEST_FILE)
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
pub(crate) mod tests;
