//! regorus: a Rego policy (`bench/policies/baseline.rego`, tuned with
//! string built-ins, or `baseline-glob.rego`, the literal glob.match
//! translation) added to one `Engine` once;
//! every input document built once, outside the timed loop. A decision is
//! `Engine::set_input` (a cheap clone of the prepared `Value`) plus
//! `Engine::eval_rule("data.cavra.verdict")`.

use crate::workload::{Kind, WorkAction};
use crate::{peer_parts, Verdict};
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::RegoVM;
use regorus::{Engine, Rc, Value};
use serde_json::json;

/// The tuned Rego policy (string built-ins), as text.
pub const POLICY: &str = include_str!("../policies/baseline.rego");

/// The literal Rego translation (every pattern a glob.match), as text.
pub const POLICY_GLOB: &str = include_str!("../policies/baseline-glob.rego");

/// The rule every decision evaluates.
pub const RULE: &str = "data.cavra.verdict";

/// regorus with the baseline policy and the workload's inputs.
pub struct RegoEngine {
    engine: Engine,
    inputs: Vec<Value>,
    rule: String,
}

/// The Rego input document for one action.
pub fn input_for(a: &WorkAction) -> serde_json::Value {
    match a.kind {
        Kind::FileRead | Kind::FileWrite => json!({"kind": a.kind.name(), "path": a.path}),
        Kind::Command => {
            let command = a.command.as_deref().unwrap_or("");
            json!({"kind": "command", "command": command, "parts": peer_parts(command)})
        }
        Kind::Git => json!({"kind": "git", "operation": a.operation, "branch": a.branch,
                            "force": a.force}),
        Kind::Mcp => json!({"kind": "mcp_tool_call", "server": a.server, "tool": a.tool,
                            "capability": a.capability}),
        Kind::PullRequest => json!({"kind": "pull_request", "branch": a.branch}),
    }
}

impl RegoEngine {
    /// Parses `policy` ([`POLICY`] or [`POLICY_GLOB`]) and builds every input.
    pub fn new(actions: &[WorkAction], policy: &str) -> Self {
        let mut engine = Engine::new();
        engine
            .add_policy("baseline.rego".to_string(), policy.to_string())
            .expect("Rego policy parses");
        let inputs = actions
            .iter()
            .map(|a| Value::from_json_str(&input_for(a).to_string()).expect("input"))
            .collect();
        Self {
            engine,
            inputs,
            rule: RULE.to_string(),
        }
    }

    /// The verdict for action `i`.
    #[inline]
    pub fn decide(&mut self, i: usize) -> Verdict {
        self.engine.set_input(self.inputs[i].clone());
        let value = self.engine.eval_rule(self.rule.clone()).expect("evaluates");
        match value {
            Value::String(s) => Verdict::parse(&s).expect("known verdict"),
            other => panic!("{RULE} gave {other} for action {i}"),
        }
    }
}

/// regorus's Rego virtual machine: the same policy compiled once to RVM
/// bytecode for the `data.cavra.verdict` entry point; a decision is
/// `RegoVM::set_input` (a clone of the prepared `Value`) plus
/// `RegoVM::execute`.
pub struct RegoVmEngine {
    vm: RegoVM,
    inputs: Vec<Value>,
}

impl RegoVmEngine {
    /// Parses and compiles `policy` to bytecode and builds every input.
    pub fn new(actions: &[WorkAction], policy: &str) -> Self {
        let mut engine = Engine::new();
        engine
            .add_policy("baseline.rego".to_string(), policy.to_string())
            .expect("Rego policy parses");
        let compiled = engine
            .compile_with_entrypoint(&Rc::from(RULE))
            .expect("Rego policy compiles");
        let program = Compiler::compile_from_policy(&compiled, &[RULE]).expect("RVM program");
        let mut vm = RegoVM::new();
        vm.load_program(program);
        let inputs = actions
            .iter()
            .map(|a| Value::from_json_str(&input_for(a).to_string()).expect("input"))
            .collect();
        Self { vm, inputs }
    }

    /// The verdict for action `i`.
    #[inline]
    pub fn decide(&mut self, i: usize) -> Verdict {
        self.vm.set_input(self.inputs[i].clone());
        match self.vm.execute().expect("executes") {
            Value::String(s) => Verdict::parse(&s).expect("known verdict"),
            other => panic!("{RULE} gave {other} for action {i} on the RVM"),
        }
    }
}
