//! Loops one engine over the workload (or one action kind) for a fixed
//! time, for `perf record`:
//!
//! `cargo run --release --example profile -- ENGINE [KIND|all] [SECONDS]`
//!
//! ENGINE: cavra | cedar | cedar-one-set | rego | rego-glob | rego-vm.
use cavra_peer_bench::cavra_engine::CavraEngine;
use cavra_peer_bench::cedar_engine::CedarEngine;
use cavra_peer_bench::rego_engine::{RegoEngine, RegoVmEngine, POLICY, POLICY_GLOB};
use cavra_peer_bench::{workload, Verdict};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let engine = args.get(1).cloned().unwrap_or_else(|| "cavra".into());
    let kind = args.get(2).cloned().unwrap_or_else(|| "all".into());
    let secs: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5);
    let actions = workload::standard();
    let indices: Vec<usize> = (0..actions.len())
        .filter(|&i| kind == "all" || actions[i].kind.name() == kind)
        .collect();
    let mut decide: Box<dyn FnMut(usize) -> Verdict> = match engine.as_str() {
        "cavra" => {
            let e = CavraEngine::new(&actions);
            Box::new(move |i| e.decide(i))
        }
        "cedar" | "cedar-one-set" => {
            let e = CedarEngine::new(&actions, engine == "cedar");
            Box::new(move |i| e.decide(i))
        }
        "rego" | "rego-glob" => {
            let policy = if engine == "rego" {
                POLICY
            } else {
                POLICY_GLOB
            };
            let mut e = RegoEngine::new(&actions, policy);
            Box::new(move |i| e.decide(i))
        }
        "rego-vm" => {
            let mut e = RegoVmEngine::new(&actions, POLICY);
            Box::new(move |i| e.decide(i))
        }
        other => panic!("unknown engine {other}"),
    };
    let end = Instant::now() + Duration::from_secs(secs);
    let start = Instant::now();
    let mut n = 0u64;
    while Instant::now() < end {
        for &i in &indices {
            black_box(decide(black_box(i)));
        }
        n += indices.len() as u64;
    }
    println!(
        "{engine} {kind}: {:.0} ns/decision",
        start.elapsed().as_nanos() as f64 / n as f64
    );
}
