//! Policy tests: the `tests:` block of a pack, run against the compiled
//! pack.
//!
//! A test names an action, the verdict it must get and (optionally) the
//! determining rule. Stamps are fixed so a test run is deterministic.

use super::compile::CompiledPolicy;
use super::model::PolicyTest;
use crate::action::ActionRequest;
use crate::decide::{decide, DecideOptions};
use crate::decision::DecisionStamp;
use crate::verdict::Verdict;
use serde::Serialize;

/// The result of one policy test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestOutcome {
    /// Test name.
    pub name: String,
    /// Whether verdict and rule were as expected.
    pub passed: bool,
    /// Expected verdict.
    pub expected: Verdict,
    /// Expected determining rule, when the test names one.
    pub expected_rule: Option<String>,
    /// Verdict the engine gave (None when the action was invalid).
    pub actual: Option<Verdict>,
    /// Rule the engine reported.
    pub actual_rule: Option<String>,
    /// Why the test could not run, when it could not.
    pub error: Option<String>,
    /// `file:line` of the test.
    pub source: String,
}

/// All outcomes for one policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestReport {
    /// Pack id.
    pub policy_id: String,
    /// Number of tests that passed.
    pub passed: usize,
    /// Number that failed.
    pub failed: usize,
    /// Every outcome, in order.
    pub outcomes: Vec<TestOutcome>,
}

/// Runs `tests` against `policy`.
pub fn run_tests(policy: &CompiledPolicy, tests: &[PolicyTest]) -> TestReport {
    let mut outcomes = Vec::with_capacity(tests.len());
    for (n, test) in tests.iter().enumerate() {
        let stamp = DecisionStamp::sequential(n as u64 + 1, "2026-01-01T00:00:00.000Z");
        let options = DecideOptions {
            mode: test.mode,
            workspace: None,
            mcp_registry: None,
        };
        let result = ActionRequest::from_json(&test.action)
            .and_then(|request| decide(policy, &request, &options, stamp));
        let outcome = match result {
            Ok(decision) => {
                let rule_ok = test
                    .rule
                    .as_ref()
                    .is_none_or(|rule| *rule == decision.rule_id);
                TestOutcome {
                    name: test.name.clone(),
                    passed: decision.decision == test.expect && rule_ok,
                    expected: test.expect,
                    expected_rule: test.rule.clone(),
                    actual: Some(decision.decision),
                    actual_rule: Some(decision.rule_id),
                    error: None,
                    source: test.source.to_string(),
                }
            }
            Err(e) => TestOutcome {
                name: test.name.clone(),
                passed: false,
                expected: test.expect,
                expected_rule: test.rule.clone(),
                actual: None,
                actual_rule: None,
                error: Some(e.to_string()),
                source: test.source.to_string(),
            },
        };
        outcomes.push(outcome);
    }
    let passed = outcomes.iter().filter(|o| o.passed).count();
    TestReport {
        policy_id: policy.id().to_string(),
        passed,
        failed: outcomes.len() - passed,
        outcomes,
    }
}
