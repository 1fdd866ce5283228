//! Policy signature tests: a round trip, the file's shape, and one failure
//! per way a signature can be wrong.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::evidence::signature::generate_ed25519;

const POLICY: &[u8] = b"version: 1\nrules: []\n";
const SIGNED_AT: &str = "2026-11-25T10:00:00Z";

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn sign(id: Option<&str>) -> String {
    sign_policy(POLICY, &key(1), id, "alice", SIGNED_AT).unwrap()
}

#[test]
fn signs_and_verifies_the_raw_bytes() {
    let pair = generate_ed25519([1; 32]).unwrap();
    let text = sign(None);
    verify_policy(POLICY, &text, &pair.public_pem, None).unwrap();
    verify_policy(POLICY, &text, &pair.public_pem, Some(&pair.key_id)).unwrap();
    assert!(text.ends_with("}\n"));
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["algorithm"], "Ed25519");
    assert_eq!(value["digest"], format!("sha256:{}", sha256_hex(POLICY)));
    assert_eq!(value["signed_at"], SIGNED_AT);
    assert_eq!(value["signer"], "alice");
    assert_eq!(value["key_id"], pair.key_id.as_str());
    assert_eq!(
        value["public_key_sha256"],
        public_key_sha256(&pair.public_pem)
    );
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 7);
    assert_eq!(sign(None), text, "deterministic");
    assert_eq!(signature_path("policy.yaml"), "policy.yaml.sig.json");
}

#[test]
fn each_wrong_part_is_named() {
    let right = generate_ed25519([1; 32]).unwrap().public_pem;
    let wrong = generate_ed25519([2; 32]).unwrap().public_pem;
    let text = sign(Some("team-key"));
    let edit = |field: &str, to: Value| {
        let mut value: Value = serde_json::from_str(&text).unwrap();
        value[field] = to;
        value.to_string()
    };
    let other_signature = {
        let other: Value =
            serde_json::from_str(&sign_policy(b"other", &key(1), None, "a", SIGNED_AT).unwrap())
                .unwrap();
        other["signature"].clone()
    };
    let no_fingerprint = {
        let mut value: Value = serde_json::from_str(&text).unwrap();
        value.as_object_mut().unwrap().remove("public_key_sha256");
        value.to_string()
    };
    let tampered = b"version: 1\nrules: [] \n";
    // (policy bytes, sig.json text, public key PEM, expected key id, error part)
    type Case<'a> = (&'a [u8], String, &'a str, Option<&'a str>, &'a str);
    let cases: Vec<Case> = vec![
        (
            tampered,
            text.clone(),
            &right,
            None,
            "policy file was modified after signing",
        ),
        (
            POLICY,
            text.clone(),
            &wrong,
            None,
            "signed with a different key",
        ),
        (
            POLICY,
            no_fingerprint,
            &wrong,
            None,
            "does not verify with the supplied public key",
        ),
        (
            POLICY,
            edit("signature", other_signature),
            &right,
            None,
            "does not verify",
        ),
        (
            POLICY,
            edit("signature", json!("AAAA")),
            &right,
            None,
            "not a base64 Ed25519 signature",
        ),
        (
            POLICY,
            text.clone(),
            &right,
            Some("other-key"),
            "names key id `team-key`, expected `other-key`",
        ),
        (
            POLICY,
            edit("algorithm", json!("HS256")),
            &right,
            None,
            "only `Ed25519` is supported",
        ),
        (
            POLICY,
            edit("digest", json!(null)),
            &right,
            None,
            "no string `digest`",
        ),
        (POLICY, "not json".into(), &right, None, "not valid JSON"),
        (POLICY, text.clone(), "garbage", None, "not a PEM key"),
    ];
    for (bytes, sig, pem, key_id, expected) in cases {
        let error = verify_policy(bytes, &sig, pem, key_id).unwrap_err();
        assert!(
            error.message.contains(expected),
            "{expected:?} not in {:?}",
            error.message
        );
    }
}
