//! Verification tests: round trips in every mode, then one tampering per
//! case, each expected to fail the named check (and nothing to panic).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::evidence::assemble::assemble;
use crate::evidence::assemble::tests::{
    bundle, chained_log, content, content_with_log, context, decisions, key,
};
use crate::evidence::signature::{generate_ed25519, Signer};
use crate::evidence::zip::write_zip;
use serde_json::json;

fn ed25519() -> Signer {
    Signer::Ed25519 {
        key: key(1),
        key_id: Some("ops".into()),
    }
}

fn hmac(secret: &str) -> Signer {
    Signer::Hmac {
        secret: secret.as_bytes().to_vec(),
    }
}

fn with(verifier: Verifier) -> VerifyOptions {
    VerifyOptions {
        verifier,
        ..VerifyOptions::default()
    }
}

fn public(n: u8) -> Verifier {
    Verifier::Ed25519 {
        key: key(n).verifying_key(),
        expected_key_id: None,
    }
}

fn status(report: &VerificationReport, name: &str) -> CheckStatus {
    report
        .checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no check {name} in {report:#?}"))
        .status
}

#[test]
fn every_mode_round_trips() {
    let cases = [
        (
            Signer::Sha256,
            with(Verifier::None),
            "SHA256",
            CheckStatus::Warn,
        ),
        (
            hmac("s3cret"),
            with(Verifier::Hmac {
                secret: b"s3cret".to_vec(),
            }),
            "HS256",
            CheckStatus::Pass,
        ),
        (ed25519(), with(public(1)), "Ed25519", CheckStatus::Pass),
    ];
    for (signer, options, algorithm, signature) in cases {
        let report = verify_bundle(&bundle(&signer), &options);
        assert!(report.verified, "{algorithm}: {report:#?}");
        assert_eq!(report.summary, "verified");
        assert_eq!(report.signature_algorithm.as_deref(), Some(algorithm));
        assert_eq!(status(&report, "signature"), signature);
        assert_eq!(status(&report, "session_log"), CheckStatus::Pass);
        assert!(report.checks.iter().all(|c| c.status != CheckStatus::Fail));
    }
    let report = verify_bundle(&bundle(&Signer::Sha256), &with(Verifier::None));
    let detail = &report
        .checks
        .iter()
        .find(|c| c.name == "signature")
        .unwrap()
        .detail;
    assert!(detail.contains("integrity only"), "{detail}");
    let report = verify_bundle(&bundle(&ed25519()), &with(public(1)));
    assert_eq!(status(&report, "attestation"), CheckStatus::Pass);
    assert_eq!(status(&report, "key_fingerprint"), CheckStatus::Pass);
    assert_eq!(report.key_id.as_deref(), Some("ops"));
}

#[test]
fn a_changed_byte_in_any_file_fails() {
    for signer in [Signer::Sha256, hmac("k"), ed25519()] {
        let options = match &signer {
            Signer::Sha256 => with(Verifier::None),
            Signer::Hmac { secret } => with(Verifier::Hmac {
                secret: secret.clone(),
            }),
            Signer::Ed25519 { .. } => with(public(1)),
        };
        let files = bundle(&signer);
        for index in 0..files.len() {
            let mut tampered = files.clone();
            let bytes = &mut tampered[index].bytes;
            let at = bytes.len() / 2;
            bytes[at] ^= 0x20;
            let report = verify_bundle(&tampered, &options);
            assert!(!report.verified, "{} in {:?}", files[index].name, signer);
            let name = &files[index].name;
            let expected = if name == "manifest.json" {
                "signature"
            } else {
                &format!("file:{name}")
            };
            // A changed manifest may no longer parse; otherwise the named check fails.
            let failed = report.checks.iter().any(|c| {
                c.status == CheckStatus::Fail && (c.name == expected || c.name == "manifest")
            });
            assert!(failed, "{name}: {report:#?}");
        }
    }
}

#[test]
fn a_removed_file_fails() {
    let files = bundle(&ed25519());
    for index in 0..files.len() {
        let mut fewer = files.clone();
        let removed = fewer.remove(index);
        let report = verify_bundle(&fewer, &with(public(1)));
        assert!(!report.verified, "{}", removed.name);
        if removed.name != "manifest.json" {
            assert_eq!(
                status(&report, &format!("file:{}", removed.name)),
                CheckStatus::Fail
            );
        }
    }
}

#[test]
fn an_extra_file_warns_and_fails_when_strict() {
    let mut files = bundle(&ed25519());
    files.push(BundleFile::text("notes.txt", "hi\n".into()));
    let report = verify_bundle(&files, &with(public(1)));
    assert!(report.verified);
    assert_eq!(status(&report, "unlisted_files"), CheckStatus::Warn);
    let strict = VerifyOptions {
        strict: true,
        ..with(public(1))
    };
    let report = verify_bundle(&files, &strict);
    assert!(!report.verified);
    assert_eq!(status(&report, "unlisted_files"), CheckStatus::Fail);
    assert!(report.summary.contains("unlisted_files"));
}

/// Edits the manifest JSON of a bundle in place (without re-signing).
fn edit_manifest(files: &mut [BundleFile], edit: impl FnOnce(&mut Value)) {
    let file = files
        .iter_mut()
        .find(|f| f.name == "manifest.json")
        .unwrap();
    let mut value: Value = serde_json::from_slice(&file.bytes).unwrap();
    edit(&mut value);
    file.bytes = serde_json::to_vec_pretty(&value).unwrap();
}

#[test]
fn manifest_tampering_fails_the_signature() {
    let other = bundle(&Signer::Ed25519 {
        key: key(1),
        key_id: Some("ops".into()),
    });
    let other_value = {
        let mut files = assemble(
            content_with_log(chained_log(&decisions()[..2])),
            &context(),
            &decisions(),
            &ed25519(),
        )
        .unwrap();
        let file = files.pop().unwrap();
        let value: Value = serde_json::from_slice(&file.bytes).unwrap();
        value["signature"]["value"].clone()
    };
    assert_ne!(other_value, Value::Null);
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "entry removed",
            Box::new(|m| {
                m["files"].as_array_mut().unwrap().remove(1);
            }),
            "signature",
        ),
        (
            "signature swapped",
            Box::new(move |m| m["signature"]["value"] = other_value.clone()),
            "signature",
        ),
        (
            "signature garbage",
            Box::new(|m| m["signature"]["value"] = json!("!!")),
            "signature",
        ),
        (
            "signer renamed",
            Box::new(|m| m["signer"] = json!("mallory")),
            "signature",
        ),
        (
            "unsigned",
            Box::new(|m| {
                m.as_object_mut().unwrap().remove("signature");
            }),
            "signature",
        ),
        (
            "unknown algorithm",
            Box::new(|m| m["signature"]["algorithm"] = json!("RS256")),
            "signature",
        ),
        (
            "fingerprint swapped",
            Box::new(|m| m["signature"]["public_key_sha256"] = json!("00")),
            "key_fingerprint",
        ),
        (
            "schema from the future",
            Box::new(|m| m["schema_version"] = json!("cavra.evidence.bundle.v9")),
            "schema_version",
        ),
    ];
    for (label, edit, check) in cases {
        let mut files = other.clone();
        edit_manifest(&mut files, edit);
        let report = verify_bundle(&files, &with(public(1)));
        assert!(!report.verified, "{label}");
        assert_eq!(
            status(&report, check),
            CheckStatus::Fail,
            "{label}: {report:#?}"
        );
    }
    let mut files = other.clone();
    edit_manifest(&mut files, |m| {
        m["files"].as_array_mut().unwrap().remove(1);
    });
    let report = verify_bundle(&files, &with(public(1)));
    assert_eq!(
        status(&report, "unlisted_files"),
        CheckStatus::Warn,
        "the dropped file is unlisted"
    );
}

#[test]
fn wrong_keys_and_missing_keys_never_verify() {
    let signed = bundle(&ed25519());
    let hs = bundle(&hmac("right"));
    let sha = bundle(&Signer::Sha256);
    let pinned = |id: &str| {
        with(Verifier::Ed25519 {
            key: key(1).verifying_key(),
            expected_key_id: Some(id.into()),
        })
    };
    let cases: Vec<(&str, &[BundleFile], VerifyOptions, &str, CheckStatus)> = vec![
        (
            "wrong public key",
            &signed,
            with(public(2)),
            "signature",
            CheckStatus::Fail,
        ),
        (
            "wrong key's fingerprint",
            &signed,
            with(public(2)),
            "key_fingerprint",
            CheckStatus::Fail,
        ),
        (
            "wrong key, attestation",
            &signed,
            with(public(2)),
            "attestation",
            CheckStatus::Fail,
        ),
        (
            "no key for Ed25519",
            &signed,
            with(Verifier::None),
            "signature",
            CheckStatus::NotChecked,
        ),
        (
            "no key for HS256",
            &hs,
            with(Verifier::None),
            "signature",
            CheckStatus::NotChecked,
        ),
        (
            "wrong HMAC secret",
            &hs,
            with(Verifier::Hmac {
                secret: b"wrong".to_vec(),
            }),
            "signature",
            CheckStatus::Fail,
        ),
        (
            "HMAC secret for Ed25519",
            &signed,
            with(Verifier::Hmac {
                secret: b"right".to_vec(),
            }),
            "signature",
            CheckStatus::Fail,
        ),
        (
            "Ed25519 key for HS256",
            &hs,
            with(public(1)),
            "signature",
            CheckStatus::Fail,
        ),
        (
            "downgraded to SHA256",
            &sha,
            with(public(1)),
            "signature",
            CheckStatus::Fail,
        ),
        (
            "pinned key id differs",
            &signed,
            pinned("other"),
            "key_id",
            CheckStatus::Fail,
        ),
        (
            "options key id differs",
            &signed,
            VerifyOptions {
                expected_key_id: Some("other".into()),
                ..with(public(1))
            },
            "key_id",
            CheckStatus::Fail,
        ),
    ];
    for (label, files, options, check, expected) in cases {
        let report = verify_bundle(files, &options);
        assert!(!report.verified, "{label}: {report:#?}");
        assert_eq!(status(&report, check), expected, "{label}");
    }
    assert!(verify_bundle(&signed, &pinned("ops")).verified);
}

#[test]
fn signed_without_a_key_is_not_checked_unless_allowed() {
    let report = verify_bundle(&bundle(&ed25519()), &with(Verifier::None));
    assert!(!report.verified);
    assert!(
        report.summary.contains("not verified"),
        "{}",
        report.summary
    );
    let detail = &report
        .checks
        .iter()
        .find(|c| c.name == "signature")
        .unwrap()
        .detail;
    assert!(detail.starts_with("signature not checked"), "{detail}");
    let allowed = VerifyOptions {
        allow_unverified: true,
        ..with(Verifier::None)
    };
    let report = verify_bundle(&bundle(&ed25519()), &allowed);
    assert!(report.verified);
    assert!(report.summary.contains("not checked"), "{}", report.summary);
}

#[test]
fn a_broken_log_fails_even_when_properly_signed() {
    let log = chained_log(&decisions());
    let lines: Vec<&str> = log.lines().collect();
    let deleted = format!("{}\n{}\n{}\n", lines[0], lines[2], lines[3]);
    let reordered = format!("{}\n{}\n{}\n{}\n", lines[0], lines[2], lines[1], lines[3]);
    for (label, log) in [("deleted", deleted), ("reordered", reordered)] {
        let files = assemble(content_with_log(log), &context(), &decisions(), &ed25519()).unwrap();
        let report = verify_bundle(&files, &with(public(1)));
        assert!(!report.verified, "{label}");
        assert_eq!(status(&report, "session_log"), CheckStatus::Fail, "{label}");
        let detail = &report
            .checks
            .iter()
            .find(|c| c.name == "session_log")
            .unwrap()
            .detail;
        assert!(
            detail.starts_with("session log line 2:"),
            "{label}: {detail}"
        );
    }
}

#[test]
fn verify_chain_names_the_first_broken_line() {
    let log = chained_log(&decisions());
    let lines: Vec<String> = log.lines().map(str::to_string).collect();
    let join = |ls: &[&str]| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    let l = |i: usize| lines[i].as_str();
    let edited = lines[1].replace("file2.txt", "file9.txt");
    let bad_genesis = lines[0].replace(&"0".repeat(64), &"1".repeat(64));
    let cases: Vec<(&str, String, Result<usize, &str>)> = vec![
        ("valid", log.clone(), Ok(4)),
        ("no final newline", log.trim_end().to_string(), Ok(4)),
        ("empty", String::new(), Ok(0)),
        ("deleted", join(&[l(0), l(2), l(3)]), Err("line 2")),
        ("reordered", join(&[l(0), l(2), l(1), l(3)]), Err("line 2")),
        ("first deleted", join(&[l(1), l(2), l(3)]), Err("line 1")),
        (
            "edited line 2",
            join(&[l(0), &edited, l(2), l(3)]),
            Err("line 2"),
        ),
        ("bad genesis", join(&[&bad_genesis]), Err("line 1")),
        (
            "blank line",
            format!("{}\n\n{}\n", l(0), l(1)),
            Err("line 2"),
        ),
        ("CRLF", log.replace('\n', "\r\n"), Err("line 1")),
        ("not JSON", format!("{}\n{{nope\n", l(0)), Err("line 2")),
        ("no seq", "{\"prev\": \"x\"}\n".into(), Err("line 1")),
        ("no prev", "{\"seq\": 1}\n".into(), Err("line 1")),
    ];
    for (label, text, expected) in cases {
        let result = verify_chain(text.as_bytes()).map_err(|e| e.message);
        match (result, expected) {
            (Ok(n), Ok(m)) => assert_eq!(n, m, "{label}"),
            (Err(message), Err(part)) => {
                assert!(message.contains(&format!("{part}:")), "{label}: {message}")
            }
            (other, expected) => panic!("{label}: got {other:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn retention_is_checked_when_asked() {
    let files = bundle(&ed25519());
    let cases = [
        (365, CheckStatus::Pass),
        (2555, CheckStatus::Pass),
        (2556, CheckStatus::Fail),
    ];
    for (min, expected) in cases {
        let options = VerifyOptions {
            min_retention_days: Some(min),
            ..with(public(1))
        };
        let report = verify_bundle(&files, &options);
        assert_eq!(status(&report, "retention"), expected, "{min}");
        assert_eq!(report.verified, expected == CheckStatus::Pass);
    }
    assert!(verify_bundle(&files, &with(public(1)))
        .checks
        .iter()
        .all(|c| c.name != "retention"));
}

#[test]
fn malformed_manifests_fail_the_manifest_check() {
    let base: Vec<BundleFile> = content();
    let cases: [(&str, Option<&str>, &str); 4] = [
        ("missing", None, "manifest.json is missing"),
        ("not JSON", Some("{"), "manifest.json is not valid JSON"),
        (
            "not an object",
            Some("[]"),
            "manifest.json is not a JSON object",
        ),
        (
            "no files",
            Some("{\"schema_version\": \"cavra.evidence.bundle.v1\"}"),
            "has no `files` list",
        ),
    ];
    for (label, manifest, expected) in cases {
        let mut files = base.clone();
        if let Some(text) = manifest {
            files.push(BundleFile::text("manifest.json", text.into()));
        }
        let report = verify_bundle(&files, &VerifyOptions::default());
        assert!(!report.verified, "{label}");
        assert_eq!(report.checks.len(), 1);
        assert!(
            report.checks[0].detail.contains(expected),
            "{label}: {:?}",
            report.checks[0]
        );
    }
}

#[test]
fn zips_verify_and_hostile_zips_are_failed_checks() {
    let files = bundle(&ed25519());
    let zip = write_zip(&files, "2026-11-25T10:00:00Z").unwrap();
    let report = verify_zip(&zip, &with(public(1)));
    assert!(report.verified, "{report:#?}");
    assert_eq!(report.checks[0].name, "zip");

    let mut slip = files.clone();
    slip[0].name = "placeholder".into();
    let mut slip_zip = write_zip(&slip, "2026-11-25T10:00:00Z").unwrap();
    // Rename the entry in place (same length) to escape the folder.
    for window in 0..slip_zip.len() - 11 {
        if &slip_zip[window..window + 11] == b"placeholder" {
            slip_zip[window..window + 11].copy_from_slice(b"../../evil!");
        }
    }
    for (label, bytes) in [
        ("zip-slip", slip_zip),
        ("garbage", b"PK\x03\x04 garbage".to_vec()),
    ] {
        let report = verify_zip(&bytes, &with(public(1)));
        assert!(!report.verified, "{label}");
        assert_eq!(status(&report, "zip"), CheckStatus::Fail, "{label}");
    }
    let pair = generate_ed25519([1; 32]).unwrap();
    assert_eq!(
        verify_zip(&zip, &with(public(1))).public_key_sha256,
        Some(crate::evidence::signature::public_key_sha256(
            &pair.public_pem
        ))
    );
}

#[test]
fn report_serialises_with_snake_case_statuses() {
    let report = verify_bundle(&bundle(&ed25519()), &with(Verifier::None));
    let value = serde_json::to_value(&report).unwrap();
    assert_eq!(value["verified"], json!(false));
    let statuses: Vec<&str> = value["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"not_checked"), "{statuses:?}");
    assert!(statuses.contains(&"pass"));
}
