//! CAVRA: the baseline pack loaded, validated and compiled once; each
//! decision is a full `cavra::decide` on the raw action (path
//! canonicalisation, shell lexing, refspec parsing and the whole decision
//! record included).

use crate::workload::WorkAction;
use crate::Verdict;
use cavra::{decide, ActionRequest, CompiledPolicy, DecideOptions, DecisionStamp, Library};

/// The baseline pack's id.
pub const PACK: &str = "cavra-ai-agent-baseline";

/// CAVRA with the baseline pack and the workload's requests.
pub struct CavraEngine {
    policy: CompiledPolicy,
    options: DecideOptions,
    stamp: DecisionStamp,
    requests: Vec<ActionRequest>,
}

/// Loads, validates and compiles the baseline pack.
pub fn compile_baseline(library: &Library) -> CompiledPolicy {
    let policy = library.load_pack(PACK).expect("baseline pack loads");
    CompiledPolicy::compile(&policy).expect("baseline pack compiles")
}

impl CavraEngine {
    /// Compiles the pack and parses every action's JSON into a request.
    pub fn new(actions: &[WorkAction]) -> Self {
        let policy = compile_baseline(&Library::embedded());
        let requests = actions
            .iter()
            .map(|a| ActionRequest::from_json(&a.json).expect("valid action"))
            .collect();
        Self {
            policy,
            options: DecideOptions {
                mode: None,
                workspace: Some("/workspace".into()),
                mcp_registry: None,
            },
            stamp: DecisionStamp::sequential(1, "2026-11-25T10:00:00.000Z"),
            requests,
        }
    }

    /// The full decision record for action `i`.
    pub fn decision(&self, i: usize) -> cavra::Decision {
        decide(
            &self.policy,
            &self.requests[i],
            &self.options,
            self.stamp.clone(),
        )
        .expect("decides")
    }

    /// The verdict for action `i`.
    #[inline]
    pub fn decide(&self, i: usize) -> Verdict {
        let d = self.decision(i);
        Verdict::parse(d.decision.as_str()).expect("known verdict")
    }
}
