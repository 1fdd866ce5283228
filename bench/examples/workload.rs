//! Writes the benchmark workload to `bench/workload.jsonl` for inspection
//! (generated, not committed): one action per line, with CAVRA's verdict
//! and determining rule, and what the peers are given for it.
//!
//! `cargo run --example workload`
use cavra_peer_bench::cavra_engine::CavraEngine;
use cavra_peer_bench::rego_engine::input_for;
use cavra_peer_bench::workload;
use serde_json::json;
use std::io::Write;

fn main() {
    let actions = workload::standard();
    let cavra = CavraEngine::new(&actions);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/workload.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    for (i, a) in actions.iter().enumerate() {
        let d = cavra.decision(i);
        let line = json!({
            "index": i,
            "action": a.json,
            "cavra": {"decision": d.decision.as_str(), "rule_id": d.rule_id},
            "peer_input": input_for(a),
        });
        writeln!(out, "{line}").expect("write");
    }
    println!("wrote {} actions to {path}", actions.len());
}
