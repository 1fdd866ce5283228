//! Golden files: one pinned bundle (clock, ids and key fixed) checked byte
//! for byte, so any change to a bundle file's format is a visible diff.
//!
//! Inputs: the "Before the agent acts" scenario, the embedded baseline pack,
//! decision ids `dec_000000000001`..., time 2026-11-25T10:00:00.000Z, and the
//! Ed25519 key from the seed [42; 32]. When a change is intended (a pack or
//! a format changed), regenerate with:
//!
//!     CAVRA_UPDATE_GOLDEN=1 cargo test -p cavra --test golden

use cavra::evidence::canonical::sha256_hex;
use cavra::evidence::session_log::SessionLog;
use cavra::evidence::signature::{generate_ed25519, parse_private_pem, Signer};
use cavra::evidence::zip::write_zip;
use cavra::evidence::{build_bundle, BundleContext, BundleFile, PolicyRef};
use cavra::scenario::Scenario;
use cavra::{decide, CompiledPolicy, DecideOptions, DecisionStamp, Library};
use std::path::PathBuf;

const CREATED_AT: &str = "2026-11-25T10:00:00.000Z";

fn pinned_bundle() -> (Vec<BundleFile>, Vec<u8>) {
    let scenario = Scenario::before_the_agent_acts().expect("scenario");
    let policy = Library::embedded()
        .load_pack(&scenario.policy_pack)
        .expect("pack");
    let policy = CompiledPolicy::compile(&policy).expect("compiles");
    let options = DecideOptions {
        mode: None,
        workspace: Some("/workspace".into()),
        mcp_registry: None,
    };
    let mut log = SessionLog::new();
    for (n, (request, _)) in scenario
        .requests()
        .expect("actions")
        .into_iter()
        .enumerate()
    {
        let stamp = DecisionStamp::sequential(n as u64 + 1, CREATED_AT);
        log.append(&decide(&policy, &request, &options, stamp).expect("decides"));
    }
    let ctx = BundleContext {
        session_id: scenario.session_id.clone(),
        created_at: CREATED_AT.into(),
        policy: PolicyRef {
            id: policy.id().into(),
            version: policy.version().into(),
            digest: policy.digest.clone(),
        },
        retention_days: 2555,
        legal_hold: false,
        classification: "regulated-sdlc".into(),
        signer: "local".into(),
    };
    let pair = generate_ed25519([42; 32]).expect("key");
    let signer = Signer::Ed25519 {
        key: parse_private_pem(&pair.private_pem).expect("pem"),
        key_id: None,
    };
    let files = build_bundle(&log, &ctx, &signer).expect("bundle");
    let zip = write_zip(&files, CREATED_AT).expect("zip");
    (files, zip)
}

#[test]
fn pinned_bundle_matches_the_golden_files() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/demo-session");
    let (files, zip) = pinned_bundle();
    let zip_digest = format!("{}\n", sha256_hex(&zip));
    if std::env::var_os("CAVRA_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(&dir).expect("golden dir");
        for file in &files {
            std::fs::write(dir.join(&file.name), &file.bytes).expect("write golden");
        }
        std::fs::write(dir.join("bundle.zip.sha256"), &zip_digest).expect("write golden");
        return;
    }
    let mut mismatches = Vec::new();
    for file in &files {
        let path = dir.join(&file.name);
        match std::fs::read(&path) {
            Ok(golden) if golden == file.bytes => {}
            Ok(golden) => {
                let first = golden
                    .iter()
                    .zip(&file.bytes)
                    .position(|(a, b)| a != b)
                    .unwrap_or(golden.len().min(file.bytes.len()));
                mismatches.push(format!("{} differs from byte {first}", file.name));
            }
            Err(e) => mismatches.push(format!("{}: {e}", path.display())),
        }
    }
    let golden_zip = std::fs::read_to_string(dir.join("bundle.zip.sha256")).unwrap_or_default();
    if golden_zip != zip_digest {
        mismatches.push(format!(
            "ZIP sha256 {} != golden {}",
            zip_digest.trim(),
            golden_zip.trim()
        ));
    }
    assert!(
        mismatches.is_empty(),
        "golden bundle mismatch (if intended: CAVRA_UPDATE_GOLDEN=1 cargo test -p cavra --test golden):\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let (files_a, zip_a) = pinned_bundle();
    let (files_b, zip_b) = pinned_bundle();
    assert_eq!(files_a, files_b);
    assert_eq!(zip_a, zip_b);
}
