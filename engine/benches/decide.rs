//! `decide` over a realistic mix of agent actions with the baseline pack,
//! plus the cost of loading and compiling the pack itself.

use cavra::policy::diff::SAMPLE_ACTIONS_JSON;
use cavra::{decide, ActionRequest, CompiledPolicy, DecideOptions, DecisionStamp, Library};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn actions() -> Vec<ActionRequest> {
    let values: Vec<serde_json::Value> =
        serde_json::from_str(SAMPLE_ACTIONS_JSON).expect("sample actions");
    values
        .iter()
        .map(|v| ActionRequest::from_json(v).expect("valid action"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let library = Library::embedded();
    let policy = library.load_pack("cavra-ai-agent-baseline").expect("loads");
    let compiled = CompiledPolicy::compile(&policy).expect("compiles");
    let requests = actions();
    let options = DecideOptions {
        mode: None,
        workspace: Some("/workspace".into()),
        mcp_registry: None,
    };
    let stamp = DecisionStamp::sequential(1, "2026-11-25T10:00:00.000Z");

    let mut group = c.benchmark_group("decide");
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("baseline_mix", |b| {
        b.iter(|| {
            for request in &requests {
                let d = decide(&compiled, black_box(request), &options, stamp.clone());
                black_box(d.ok());
            }
        })
    });
    // Per kind, to see where the time goes.
    for kind in [
        "file_read",
        "file_write",
        "command",
        "git",
        "mcp_tool_call",
        "network",
    ] {
        let subset: Vec<&ActionRequest> = requests
            .iter()
            .filter(|r| r.action.kind().policy_name() == kind)
            .collect();
        group.throughput(Throughput::Elements(subset.len() as u64));
        group.bench_function(kind, |b| {
            b.iter(|| {
                for request in &subset {
                    black_box(decide(&compiled, black_box(request), &options, stamp.clone()).ok());
                }
            })
        });
    }
    group.finish();

    c.bench_function("load_validate_compile_baseline", |b| {
        b.iter(|| {
            let policy = library.load_pack(black_box("cavra-ai-agent-baseline")).ok();
            black_box(policy.and_then(|p| CompiledPolicy::compile(&p).ok()))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
