//! DSSE envelope tests: the PAE bytes of the DSSE spec's example, the
//! statement's content, and verification against tampering.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::evidence::assemble::tests::{content, context, decisions, key};

#[test]
fn pae_matches_the_dsse_spec_example() {
    let cases: [(&str, &[u8], &[u8]); 3] = [
        (
            "http://example.com/HelloWorld",
            b"hello world",
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world",
        ),
        ("", b"", b"DSSEv1 0  0 "),
        // Lengths count bytes, not characters.
        ("t", "é".as_bytes(), "DSSEv1 1 t 2 é".as_bytes()),
    ];
    for (payload_type, body, expected) in cases {
        assert_eq!(pae(payload_type, body), expected);
    }
}

fn envelope(file: &BundleFile) -> Value {
    serde_json::from_slice(&file.bytes).unwrap()
}

#[test]
fn statement_names_every_content_file_and_summarises_the_session() {
    let files = content();
    let file = attestation(&files, &context(), &decisions(), &key(1), "kid");
    assert_eq!(file.name, ATTESTATION_FILE);
    let envelope = envelope(&file);
    assert_eq!(envelope["payloadType"], PAYLOAD_TYPE);
    assert_eq!(envelope["signatures"][0]["keyid"], "kid");
    let payload = BASE64
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    let statement: Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(statement["_type"], STATEMENT_TYPE);
    assert_eq!(statement["predicateType"], PREDICATE_TYPE);
    let subjects = statement["subject"].as_array().unwrap();
    assert_eq!(subjects.len(), 7);
    for (subject, file) in subjects.iter().zip(&files) {
        assert_eq!(subject["name"], file.name.as_str());
        assert_eq!(
            subject["digest"]["sha256"],
            sha256_hex(&file.bytes).as_str()
        );
    }
    let predicate = &statement["predicate"];
    assert_eq!(
        predicate["counts"],
        json!({"decisions": 4, "block": 2, "require_approval": 1, "allow_with_attestation": 0, "allow": 1})
    );
    assert_eq!(
        predicate["verdicts_by_rule"],
        json!({
            "filesystem.read.allow": {"allow": 1},
            "filesystem.read.block": {"block": 2},
            "git.push.approval": {"require_approval": 1},
        })
    );
    assert_eq!(
        predicate["policy"],
        json!({"id": "pack", "version": "1.0.0", "digest": "sha256:abc"})
    );
    assert_eq!(
        predicate["session"],
        json!({"id": "sess-1", "created_at": "2026-11-25T10:00:00+00:00"})
    );
}

#[test]
fn signature_covers_the_pae_of_the_payload() {
    let file = attestation(&content(), &context(), &decisions(), &key(1), "kid");
    let envelope = envelope(&file);
    let payload = BASE64
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    let sig = BASE64
        .decode(envelope["signatures"][0]["sig"].as_str().unwrap())
        .unwrap();
    let sig = Signature::from_slice(&sig).unwrap();
    let public = key(1).verifying_key();
    assert!(public
        .verify_strict(&pae(PAYLOAD_TYPE, &payload), &sig)
        .is_ok());
    assert!(
        public.verify_strict(&payload, &sig).is_err(),
        "not the raw payload"
    );
}

#[test]
fn verification_passes_and_fails_closed() {
    let files = content();
    let file = attestation(&files, &context(), &decisions(), &key(1), "kid");
    let public = key(1).verifying_key();
    // The attestation and manifest themselves are never subjects.
    let mut with_self = files.clone();
    with_self.push(file.clone());
    with_self.push(BundleFile::text("manifest.json", "{}".into()));
    verify_attestation(&file.bytes, &with_self, &public).unwrap();

    let mut changed = files.clone();
    changed[2].bytes.push(b'!');
    let mut extra = files.clone();
    extra.push(BundleFile::text("extra.txt", "x".into()));
    let fewer = files[1..].to_vec();
    let mut resigned = envelope(&file);
    resigned["payloadType"] = json!("application/json");
    let mut other_payload = envelope(&file);
    let forged = attestation(&changed, &context(), &decisions(), &key(2), "kid");
    other_payload["payload"] = envelope(&forged)["payload"].clone();
    let resigned = serde_json::to_vec(&resigned).unwrap();
    let other_payload = serde_json::to_vec(&other_payload).unwrap();

    let other_key = key(2).verifying_key();
    let cases: [(&[u8], &[BundleFile], &VerifyingKey, &str); 8] = [
        (
            &file.bytes,
            &changed,
            &public,
            "digest of `compliance-mapping.md` does not match",
        ),
        (&file.bytes, &extra, &public, "does not cover `extra.txt`"),
        (
            &file.bytes,
            &fewer,
            &public,
            "names `evidence.json`, which is not in the bundle",
        ),
        (
            &file.bytes,
            &files,
            &other_key,
            "does not verify with the supplied public key",
        ),
        (
            &forged.bytes,
            &changed,
            &public,
            "does not verify with the supplied public key",
        ),
        (
            &resigned,
            &files,
            &public,
            "payloadType is `application/json`",
        ),
        (&other_payload, &files, &public, "does not verify"),
        (b"not json", &files, &public, "attestation is not JSON"),
    ];
    for (bytes, files, key, expected) in cases {
        let error = verify_attestation(bytes, files, key).unwrap_err();
        assert!(
            error.message.contains(expected),
            "{expected:?} not in {:?}",
            error.message
        );
    }
}
