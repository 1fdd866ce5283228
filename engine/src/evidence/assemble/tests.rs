//! Assembly tests, and the small fake bundles the other trust tests share:
//! hand-written content files and a valid hash-chained `decisions.jsonl`,
//! so these tests do not depend on the content builders.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::evidence::canonical::{canonical_json, sha256_hex};
use crate::evidence::signature::generate_ed25519;
use crate::evidence::PolicyRef;
use crate::{Mode, Severity, Verdict};
use serde_json::json;

/// The pinned creation time of fake bundles.
pub(crate) const CREATED_AT: &str = "2026-11-25T10:00:00+00:00";

/// A deterministic Ed25519 key (seed `n` repeated).
pub(crate) fn key(n: u8) -> SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[n; 32])
}

use ed25519_dalek::SigningKey;

/// A decision with the fields the trust layer reads filled in.
pub(crate) fn decision(n: u64, rule_id: &str, verdict: Verdict) -> Decision {
    Decision {
        decision_id: format!("dec_{n:012x}"),
        session_id: "sess-1".into(),
        agent_id: "unknown-agent".into(),
        actor: "ai-agent".into(),
        action_type: "read_file".into(),
        target: format!("file{n}.txt"),
        requested_operation: "read".into(),
        policy_pack: "pack".into(),
        policy_id: "pack".into(),
        rule_id: rule_id.into(),
        decision: verdict,
        severity: Severity::Low,
        reason: "because".into(),
        evidence_refs: vec![],
        approver_group: None,
        timestamp: "2026-11-25T09:59:00.000Z".into(),
        correlation_id: format!("corr_{n:012x}"),
        effective_decision: verdict,
        enforced: true,
        mode: Mode::Enforce,
        break_glass: false,
        risk_score: 10,
        policy_version: "1.0.0".into(),
        policy_digest: "sha256:abc".into(),
        matched_rules: vec![],
        derived_actions: vec![],
        controls: vec![],
        engine_version: "0.0.0".into(),
    }
}

/// Four decisions: two blocks by one rule, an approval and an allow.
pub(crate) fn decisions() -> Vec<Decision> {
    vec![
        decision(1, "filesystem.read.block", Verdict::Block),
        decision(2, "filesystem.read.allow", Verdict::Allow),
        decision(3, "filesystem.read.block", Verdict::Block),
        decision(4, "git.push.approval", Verdict::RequireApproval),
    ]
}

/// A valid hash-chained log of `decisions` (canonical lines, `seq`, `prev`).
pub(crate) fn chained_log(decisions: &[Decision]) -> String {
    let mut prev = format!("sha256:{}", "0".repeat(64));
    let mut out = String::new();
    for (i, decision) in decisions.iter().enumerate() {
        let mut value = serde_json::to_value(decision).unwrap();
        value["seq"] = json!(i + 1);
        value["prev"] = json!(prev);
        let line = canonical_json(&value);
        prev = format!("sha256:{}", sha256_hex(line.as_bytes()));
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The context of fake bundles.
pub(crate) fn context() -> BundleContext {
    BundleContext {
        session_id: "sess-1".into(),
        created_at: CREATED_AT.into(),
        policy: PolicyRef {
            id: "pack".into(),
            version: "1.0.0".into(),
            digest: "sha256:abc".into(),
        },
        retention_days: 2555,
        legal_hold: false,
        classification: "regulated-sdlc".into(),
        signer: "local".into(),
    }
}

/// Seven small content files with `log` as `decisions.jsonl`.
pub(crate) fn content_with_log(log: String) -> Vec<BundleFile> {
    vec![
        BundleFile::text(
            "evidence.json",
            "{\n  \"session_id\": \"sess-1\"\n}\n".into(),
        ),
        BundleFile::text(
            "pr-attestation.md",
            "# PR attestation\n\n- 4 decisions\n".into(),
        ),
        BundleFile::text(
            "compliance-mapping.md",
            "# Compliance\n\n| id | status |\n".into(),
        ),
        BundleFile::text(
            "siem-event.json",
            "{\n  \"event_type\": \"cavra.evidence_bundle\"\n}\n".into(),
        ),
        BundleFile::text("sandbox-run-summary.json", "{\n  \"events\": 4\n}\n".into()),
        BundleFile::text(
            "retention-policy.json",
            "{\n  \"retention_days\": 2555\n}\n".into(),
        ),
        BundleFile::text("decisions.jsonl", log),
    ]
}

/// Seven small content files with a valid log of [`decisions`].
pub(crate) fn content() -> Vec<BundleFile> {
    content_with_log(chained_log(&decisions()))
}

/// A complete bundle signed by `signer`.
pub(crate) fn bundle(signer: &Signer) -> Vec<BundleFile> {
    assemble(content(), &context(), &decisions(), signer).unwrap()
}

fn names(files: &[BundleFile]) -> Vec<&str> {
    files.iter().map(|f| f.name.as_str()).collect()
}

#[test]
fn files_come_out_in_bundle_order_whatever_the_input_order() {
    let mut shuffled = content();
    shuffled.reverse();
    let ed25519 = Signer::Ed25519 {
        key: key(7),
        key_id: None,
    };
    let cases: [(&Signer, &[&str]); 3] = [
        (&Signer::Sha256, &BUNDLE_ORDER[..7]),
        (
            &Signer::Hmac {
                secret: b"s".to_vec(),
            },
            &BUNDLE_ORDER[..7],
        ),
        (&ed25519, &BUNDLE_ORDER[..8]),
    ];
    for (signer, before_manifest) in cases {
        let files = assemble(shuffled.clone(), &context(), &decisions(), signer).unwrap();
        let mut expected = before_manifest.to_vec();
        expected.push("manifest.json");
        assert_eq!(names(&files), expected);
    }
}

#[test]
fn manifest_lists_every_other_file_with_its_digest() {
    let files = bundle(&Signer::Ed25519 {
        key: key(7),
        key_id: Some("ops-2026".into()),
    });
    let manifest: Manifest = serde_json::from_slice(&files.last().unwrap().bytes).unwrap();
    assert_eq!(manifest.files.len(), files.len() - 1);
    for (entry, file) in manifest.files.iter().zip(&files) {
        assert_eq!(
            entry,
            &crate::evidence::manifest::ManifestEntry::for_file(file)
        );
    }
    let signature = manifest.signature.unwrap();
    assert_eq!(signature.algorithm, "Ed25519");
    assert_eq!(signature.key_id.as_deref(), Some("ops-2026"));
    // The attestation carries the same key id as the manifest.
    let attestation = String::from_utf8(files[7].bytes.clone()).unwrap();
    assert!(
        attestation.contains("\"keyid\": \"ops-2026\""),
        "{attestation}"
    );
}

#[test]
fn default_key_id_is_the_fingerprint_prefix() {
    let files = bundle(&Signer::Ed25519 {
        key: key(7),
        key_id: None,
    });
    let manifest: Manifest = serde_json::from_slice(&files.last().unwrap().bytes).unwrap();
    let pair = generate_ed25519([7; 32]).unwrap();
    let signature = manifest.signature.unwrap();
    assert_eq!(signature.key_id, Some(pair.key_id));
    assert_eq!(
        signature.public_key_sha256.unwrap(),
        sha256_hex(pair.public_pem.as_bytes())
    );
}

#[test]
fn same_inputs_give_the_same_bytes() {
    for signer in [
        Signer::Sha256,
        Signer::Hmac {
            secret: b"s".to_vec(),
        },
        Signer::Ed25519 {
            key: key(3),
            key_id: None,
        },
    ] {
        assert_eq!(bundle(&signer), bundle(&signer));
    }
}

#[test]
fn manifest_is_pretty_json_with_a_final_newline() {
    let files = bundle(&Signer::Sha256);
    let text = String::from_utf8(files.last().unwrap().bytes.clone()).unwrap();
    assert!(
        text.starts_with("{\n  \"created_at\": \"2026-11-25T10:00:00+00:00\",\n"),
        "{text}"
    );
    assert!(text.ends_with("}\n"));
}

#[test]
fn refuses_unknown_or_repeated_content() {
    let cases: [(&str, Vec<BundleFile>); 4] = [
        (
            "`notes.txt` is not a bundle content file",
            vec![BundleFile::text("notes.txt", String::new())],
        ),
        (
            "`manifest.json` is not a bundle content file",
            vec![BundleFile::text("manifest.json", String::new())],
        ),
        (
            "`attestation.intoto.json` is not a bundle content file",
            vec![BundleFile::text("attestation.intoto.json", String::new())],
        ),
        (
            "`evidence.json` given twice",
            vec![
                BundleFile::text("evidence.json", String::new()),
                BundleFile::text("evidence.json", String::new()),
            ],
        ),
    ];
    for (expected, content) in cases {
        let error = assemble(content, &context(), &decisions(), &Signer::Sha256).unwrap_err();
        assert!(error.message.contains(expected), "{expected}: {error}");
    }
}
