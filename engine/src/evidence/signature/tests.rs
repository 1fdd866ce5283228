//! Key encoding, parsing and manifest signing, against published vectors
//! (RFC 8032, RFC 8410, RFC 4231) where there are some.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::evidence::assemble::tests::context;
use crate::evidence::BundleFile;
use ed25519_dalek::Signature;

/// RFC 8410 section 10.3: a private key and its public key.
const RFC8410_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
const RFC8410_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";

/// An X25519 private key and an EC P-256 public key (OpenSSL): right PEM
/// labels, wrong algorithms.
const X25519_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEIKijkFYHFPqBsb+BAVgJm19TQ5upz+8PIIGgy2pIpDRQ\n-----END PRIVATE KEY-----\n";
const EC_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaMOu8I8g5YZa4PVVd2amolmQzOHF\nw8iunpYYwCpPucYWGWl6YaJDSi3CkGD91gErk3XSQK3o3cfK9R7nCsjNfg==\n-----END PUBLIC KEY-----\n";

#[test]
fn rfc8410_keys_parse_and_reencode_byte_for_byte() {
    let private = parse_private_pem(RFC8410_PRIVATE).unwrap();
    assert_eq!(private_key_pem(&private).unwrap(), RFC8410_PRIVATE);
    let public = parse_public_pem(RFC8410_PUBLIC).unwrap();
    assert_eq!(private.verifying_key(), public);
    assert_eq!(public_key_pem(&public).unwrap(), RFC8410_PUBLIC);
}

#[test]
fn rfc8032_test_1_signature() {
    let seed: [u8; 32] =
        hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
            .unwrap()
            .try_into()
            .unwrap();
    let key = SigningKey::from_bytes(&seed);
    assert_eq!(
        hex::encode(key.verifying_key().to_bytes()),
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    );
    assert_eq!(
        hex::encode(key.sign(b"").to_bytes()),
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    );
}

#[test]
fn rfc4231_test_2_hmac() {
    let tag = hmac_sha256(b"Jefe", b"what do ya want for nothing?").unwrap();
    assert_eq!(
        hex::encode(&tag),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert!(hmac_sha256_verify(
        b"Jefe",
        b"what do ya want for nothing?",
        &tag
    ));
    assert!(!hmac_sha256_verify(
        b"jefe",
        b"what do ya want for nothing?",
        &tag
    ));
}

#[test]
fn generated_pair_has_the_documented_shape_and_round_trips() {
    let pair = generate_ed25519([42; 32]).unwrap();
    assert_eq!(
        pair,
        generate_ed25519([42; 32]).unwrap(),
        "seeded, so deterministic"
    );
    let lines: Vec<&str> = pair.public_pem.split('\n').collect();
    assert_eq!(lines.len(), 4, "three lines and a final newline");
    assert_eq!(lines[0], "-----BEGIN PUBLIC KEY-----");
    assert_eq!(lines[1].len(), 60);
    assert_eq!(lines[2], "-----END PUBLIC KEY-----");
    assert_eq!(lines[3], "");
    assert!(pair
        .private_pem
        .starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"));
    assert_eq!(pair.key_id.len(), 16);
    assert_eq!(pair.key_id, public_key_sha256(&pair.public_pem)[..16]);

    let private = parse_private_pem(&pair.private_pem).unwrap();
    assert_eq!(private.to_bytes(), [42; 32]);
    let public = parse_public_pem(&pair.public_pem).unwrap();
    assert_eq!(public, private.verifying_key());
    // Surrounding whitespace and CRLF files are accepted.
    assert_eq!(
        parse_public_pem(&format!("\n  {}  \n", pair.public_pem)).unwrap(),
        public
    );
    assert_eq!(
        parse_public_pem(&pair.public_pem.replace('\n', "\r\n")).unwrap(),
        public
    );
}

#[test]
fn bad_pems_are_refused_with_what_is_wrong() {
    let pair = generate_ed25519([1; 32]).unwrap();
    let truncated = pair.public_pem.replacen("MCow", "MC", 1);
    let cases: [(&str, &str, bool); 9] = [
        // (text, expected message part, parse as private?)
        (&pair.public_pem, "found `PUBLIC KEY`: this is a public key", true),
        (&pair.private_pem, "found `PRIVATE KEY`: this is a private key", false),
        ("hello", "not a PEM key", true),
        ("", "not a PEM key", false),
        (X25519_PRIVATE, "private key is not Ed25519: its algorithm is X25519 (1.3.101.110)", true),
        (EC_PUBLIC, "public key is not Ed25519: its algorithm is EC (1.2.840.10045.2.1)", false),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n", "OpenSSH keys are not supported", true),
        ("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n", "public key PEM is malformed", false),
        (&truncated, "public key", false),
    ];
    for (text, expected, private) in cases {
        let message = if private {
            parse_private_pem(text).unwrap_err().message
        } else {
            parse_public_pem(text).unwrap_err().message
        };
        assert!(
            message.contains(expected),
            "{expected:?} not in {message:?}"
        );
    }
}

fn manifest() -> Manifest {
    let files = [BundleFile::text("evidence.json", "{}\n".into())];
    Manifest::for_files(&files, &context())
}

#[test]
fn each_mode_signs_the_canonical_bytes_without_the_signature() {
    let key = SigningKey::from_bytes(&[9; 32]);
    let signers = [
        Signer::Sha256,
        Signer::Hmac {
            secret: b"k".to_vec(),
        },
        Signer::Ed25519 {
            key: key.clone(),
            key_id: None,
        },
    ];
    for signer in &signers {
        let mut m = manifest();
        let unsigned = m.signing_bytes();
        sign_manifest(&mut m, signer).unwrap();
        assert_eq!(m.signing_bytes(), unsigned, "the signature is not signed");
        let signature = m.signature.clone().unwrap();
        let message = unsigned.as_bytes();
        match signer {
            Signer::Sha256 => {
                assert_eq!(signature.algorithm, "SHA256");
                assert_eq!(signature.value, sha256_hex(message));
                assert_eq!(
                    (signature.key_id, signature.public_key_sha256),
                    (None, None)
                );
            }
            Signer::Hmac { secret } => {
                assert_eq!(signature.algorithm, "HS256");
                let tag = BASE64.decode(&signature.value).unwrap();
                assert!(hmac_sha256_verify(secret, message, &tag));
            }
            Signer::Ed25519 { key, .. } => {
                assert_eq!(signature.algorithm, "Ed25519");
                let raw = BASE64.decode(&signature.value).unwrap();
                let sig = Signature::from_slice(&raw).unwrap();
                assert!(key.verifying_key().verify_strict(message, &sig).is_ok());
            }
        }
        // Signing again replaces, never nests, the signature.
        let before = m.clone();
        sign_manifest(&mut m, signer).unwrap();
        assert_eq!(m, before);
    }
}

#[test]
fn signing_bytes_are_python_canonical() {
    let m = manifest();
    assert_eq!(
        m.signing_bytes(),
        format!(
            "{{\"created_at\": \"2026-11-25T10:00:00+00:00\", \"files\": [{{\"bytes\": 3, \"path\": \"evidence.json\", \"sha256\": \"{}\"}}], \"product\": \"CAVRA\", \"schema_version\": \"cavra.evidence.bundle.v1\", \"signer\": \"local\"}}",
            sha256_hex(b"{}\n")
        )
    );
}
