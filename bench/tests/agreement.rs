//! CAVRA (baseline pack), Cedar and regorus (each peer in both of its
//! variants) give the same verdict for every action of the benchmark
//! workload.

use cavra_peer_bench::cavra_engine::CavraEngine;
use cavra_peer_bench::cedar_engine::CedarEngine;
use cavra_peer_bench::rego_engine::{RegoEngine, RegoVmEngine, POLICY, POLICY_GLOB};
use cavra_peer_bench::{workload, Verdict};
use std::collections::BTreeMap;

#[test]
fn the_workload_is_big_and_mixed() {
    let actions = workload::standard();
    assert!(actions.len() >= 1_000);
    let cavra = CavraEngine::new(&actions);
    let mut by_verdict: BTreeMap<Verdict, usize> = BTreeMap::new();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, a) in actions.iter().enumerate() {
        *by_verdict.entry(cavra.decide(i)).or_default() += 1;
        *by_kind.entry(a.kind.name()).or_default() += 1;
    }
    println!("by kind: {by_kind:?}\nby verdict: {by_verdict:?}");
    assert_eq!(by_kind.len(), 6, "every kind of action");
    assert_eq!(by_verdict.len(), 4, "every verdict");
    assert!(by_verdict[&Verdict::Block] >= 100);
    assert!(by_verdict[&Verdict::Allow] >= actions.len() / 2);
    // Deterministic: the same seed gives the same actions.
    let again = workload::standard();
    assert!(actions.iter().zip(&again).all(|(a, b)| a.json == b.json));
}

#[test]
fn cavra_cedar_and_regorus_agree_on_every_action() {
    let actions = workload::standard();
    let cavra = CavraEngine::new(&actions);
    let cedar = CedarEngine::new(&actions, true);
    let cedar_one_set = CedarEngine::new(&actions, false);
    let mut rego = RegoEngine::new(&actions, POLICY);
    let mut rego_glob = RegoEngine::new(&actions, POLICY_GLOB);
    let mut rego_vm = RegoVmEngine::new(&actions, POLICY);
    let mut disagreements = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        let c = cavra.decide(i);
        let peers = [
            ("cedar", cedar.decide(i)),
            ("cedar(one set)", cedar_one_set.decide(i)),
            ("regorus", rego.decide(i)),
            ("regorus(glob)", rego_glob.decide(i)),
            ("regorus(rvm)", rego_vm.decide(i)),
        ];
        for engine in [&cedar, &cedar_one_set] {
            let errors = engine.errors(i);
            assert!(
                errors.is_empty(),
                "Cedar errors on #{i} {}: {errors:?}",
                a.summary()
            );
        }
        if peers.iter().any(|(_, v)| *v != c) {
            let shown: Vec<String> = peers.iter().map(|(n, v)| format!("{n}={v}")).collect();
            disagreements.push(format!(
                "#{i}: cavra={c} {}  {}",
                shown.join(" "),
                a.summary()
            ));
        }
    }
    if !disagreements.is_empty() {
        let shown: Vec<_> = disagreements.iter().take(25).collect();
        panic!(
            "{} of {} actions disagree; the first {}:\n{}",
            disagreements.len(),
            actions.len(),
            shown.len(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    println!("all {} actions agree", actions.len());
}
