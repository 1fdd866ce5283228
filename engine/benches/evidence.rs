//! Building, signing (Ed25519) and zipping a bundle of 10,000 decisions:
//! the cost an auditor's export pays for a long agent session.

use cavra::evidence::session_log::SessionLog;
use cavra::evidence::signature::{generate_ed25519, parse_private_pem, Signer};
use cavra::evidence::zip::write_zip;
use cavra::evidence::{build_bundle_for, BundleContext, PolicyRef};
use cavra::policy::diff::SAMPLE_ACTIONS_JSON;
use cavra::{decide, ActionRequest, CompiledPolicy, DecideOptions, DecisionStamp, Library};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const DECISIONS: usize = 10_000;
const CREATED_AT: &str = "2026-11-25T10:00:00.000Z";

fn bench(c: &mut Criterion) {
    let policy = Library::embedded()
        .load_pack("cavra-ai-agent-baseline")
        .expect("loads");
    let policy = CompiledPolicy::compile(&policy).expect("compiles");
    let samples: Vec<serde_json::Value> =
        serde_json::from_str(SAMPLE_ACTIONS_JSON).expect("samples");
    let requests: Vec<ActionRequest> = samples
        .iter()
        .map(|v| ActionRequest::from_json(v).expect("valid"))
        .collect();
    let options = DecideOptions {
        mode: None,
        workspace: Some("/workspace".into()),
        mcp_registry: None,
    };
    let decisions: Vec<_> = (0..DECISIONS)
        .map(|n| {
            let request = &requests[n % requests.len()];
            let stamp = DecisionStamp::sequential(n as u64 + 1, CREATED_AT);
            decide(&policy, request, &options, stamp).expect("decides")
        })
        .collect();
    let ctx = BundleContext {
        session_id: "bench".into(),
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
    let pair = generate_ed25519([7; 32]).expect("key");
    let signer = Signer::Ed25519 {
        key: parse_private_pem(&pair.private_pem).expect("pem"),
        key_id: None,
    };

    let mut group = c.benchmark_group("evidence");
    group.sample_size(10);
    group.bench_function("log_bundle_sign_zip_10k", |b| {
        b.iter(|| {
            let mut log = SessionLog::new();
            for decision in &decisions {
                log.append(decision);
            }
            let files = build_bundle_for(&log, &decisions, &ctx, &signer).expect("bundle");
            black_box(write_zip(&files, CREATED_AT).expect("zip"))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
