//! The shared test vectors: `tests/fixtures/baseline-vectors.json` (the
//! adversarial and benign actions of the baseline pack) and the canonical
//! "Before the agent acts" scenario. Every mismatch is reported with the
//! differing field and a command to reproduce it.

use cavra::scenario::Scenario;
use cavra::{
    decide, ActionRequest, CompiledPolicy, DecideOptions, DecisionStamp, Library, Verdict,
};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorFile {
    #[allow(dead_code)]
    description: String,
    policy_pack: String,
    workspace: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    action: Value,
    expect: Verdict,
    rule: Option<String>,
}

const VECTORS: &str = include_str!("../../tests/fixtures/baseline-vectors.json");

fn compiled(pack: &str) -> CompiledPolicy {
    let policy = Library::embedded()
        .load_pack(pack)
        .unwrap_or_else(|d| panic!("pack {pack} does not load: {d:?}"));
    CompiledPolicy::compile(&policy)
        .unwrap_or_else(|d| panic!("pack {pack} does not compile: {d:?}"))
}

#[test]
fn baseline_vectors_get_their_verdicts() {
    let file: VectorFile = serde_json::from_str(VECTORS).expect("vector file parses");
    let policy = compiled(&file.policy_pack);
    let options = DecideOptions {
        mode: None,
        workspace: Some(file.workspace.clone()),
        mcp_registry: None,
    };
    let mut failures = Vec::new();
    for (n, case) in file.cases.iter().enumerate() {
        let request = ActionRequest::from_json(&case.action)
            .unwrap_or_else(|e| panic!("case `{}`: invalid action: {e}", case.name));
        let stamp = DecisionStamp::sequential(n as u64, "2026-11-25T10:00:00.000Z");
        let decision = match decide(&policy, &request, &options, stamp) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("`{}`: input error: {e}", case.name));
                continue;
            }
        };
        let rule_ok = case.rule.as_ref().is_none_or(|r| *r == decision.rule_id);
        if decision.decision != case.expect || !rule_ok {
            failures.push(format!(
                "`{}`: expected {} via {}, got {} via {} ({})\n    reproduce: echo '{}' | cargo run -q -- evaluate --action-json - --workspace {} --explain",
                case.name,
                case.expect,
                case.rule.as_deref().unwrap_or("any rule"),
                decision.decision,
                decision.rule_id,
                decision.reason,
                case.action,
                file.workspace
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        file.cases.len(),
        failures.join("\n")
    );
}

#[test]
fn before_the_agent_acts_scenario_matches_expectations() {
    let scenario = Scenario::before_the_agent_acts().expect("scenario parses");
    let policy = compiled(&scenario.policy_pack);
    let mut counts = std::collections::BTreeMap::new();
    for (n, (request, expect)) in scenario
        .requests()
        .expect("actions parse")
        .into_iter()
        .enumerate()
    {
        let expect = expect.expect("every scenario action has an expectation");
        let stamp = DecisionStamp::sequential(n as u64, "2026-11-25T10:00:00.000Z");
        let d = decide(&policy, &request, &DecideOptions::default(), stamp).expect("decides");
        assert_eq!(
            d.decision.as_str(),
            expect.decision,
            "action {n}: decision ({})",
            d.reason
        );
        if let Some(rule) = &expect.rule_id {
            assert_eq!(&d.rule_id, rule, "action {n}: rule_id");
        }
        if let Some(severity) = &expect.severity {
            assert_eq!(d.severity.as_str(), severity, "action {n}: severity");
        }
        if let Some(group) = &expect.approver_group {
            assert_eq!(
                d.approver_group.as_ref(),
                Some(group),
                "action {n}: approver_group"
            );
        }
        assert_eq!(d.session_id, "demo-session");
        assert_eq!(d.agent_id, "demo-agent");
        assert_eq!(d.actor, "simulated-ai-agent");
        *counts.entry(d.decision.as_str()).or_insert(0) += 1;
    }
    let totals: Value = serde_json::from_str::<Value>(cavra::scenario::BEFORE_THE_AGENT_ACTS)
        .unwrap()["totals"]
        .clone();
    for verdict in [
        "block",
        "require_approval",
        "allow",
        "allow_with_attestation",
    ] {
        assert_eq!(
            counts.get(verdict).copied().unwrap_or(0),
            totals[verdict].as_u64().unwrap_or(0) as usize,
            "count of {verdict}"
        );
    }
}

#[test]
fn every_embedded_pack_loads_and_passes_its_own_tests() {
    let library = Library::embedded();
    let ids: Vec<String> = library.packs().iter().map(|p| p.id.clone()).collect();
    assert!(ids.len() >= 14, "expected at least 14 packs, found {ids:?}");
    let mut failures = Vec::new();
    for id in &ids {
        let policy = library
            .load_pack(id)
            .unwrap_or_else(|d| panic!("{id}: {d:?}"));
        assert!(!policy.tests.is_empty(), "{id} has no tests");
        let compiled = CompiledPolicy::compile(&policy).unwrap_or_else(|d| panic!("{id}: {d:?}"));
        let report = cavra::policy::testing::run_tests(&compiled, &policy.tests);
        for o in report.outcomes.iter().filter(|o| !o.passed) {
            failures.push(format!(
                "{id}: `{}` ({}) expected {} via {:?}, got {:?} via {:?} {}",
                o.name,
                o.source,
                o.expected,
                o.expected_rule,
                o.actual,
                o.actual_rule,
                o.error.as_deref().unwrap_or("")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "policy tests failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn an_older_community_pack_loads_unchanged_and_decides() {
    let text = include_str!("../../tests/fixtures/community-pack.yaml");
    let policy = Library::embedded()
        .load_text(text, "community-pack.yaml")
        .unwrap_or_else(|d| panic!("community pack does not load: {d:?}"));
    let policy = CompiledPolicy::compile(&policy).expect("compiles");
    let cases = [
        (
            r#"{"type": "file_read", "path": "config/.env"}"#,
            Verdict::Block,
            "filesystem.read.block",
        ),
        (
            r#"{"type": "file_read", "path": "secrets/db.txt"}"#,
            Verdict::Block,
            "filesystem.read.block",
        ),
        (
            r#"{"type": "file_write", "path": ".github/workflows/x.yml"}"#,
            Verdict::Block,
            "filesystem.write.block",
        ),
        (
            r#"{"type": "file_write", "path": "infra/vpc.tf"}"#,
            Verdict::RequireApproval,
            "filesystem.write.require_approval",
        ),
        (
            r#"{"type": "command", "command": "terraform apply"}"#,
            Verdict::Block,
            "commands.block",
        ),
        (
            r#"{"type": "command", "command": "ls -la"}"#,
            Verdict::Allow,
            "commands.allow",
        ),
        (
            r#"{"type": "git", "operation": "push", "remote": "origin", "branch": "main"}"#,
            Verdict::Block,
            "git.protected_branch.block_direct_push",
        ),
        (
            r#"{"type": "mcp_tool_call", "server": "github", "tool": "list_issues"}"#,
            Verdict::Allow,
            "mcp.server.trust.allow",
        ),
        (
            r#"{"action_type": "read_file", "target": ".env", "policy_pack": "cavra-community-starter"}"#,
            Verdict::Block,
            "filesystem.read.block",
        ),
    ];
    for (n, (action, verdict, rule)) in cases.iter().enumerate() {
        let request = ActionRequest::from_json_str(action).expect("valid action");
        let stamp = DecisionStamp::sequential(n as u64, "2026-11-25T10:00:00.000Z");
        let d = decide(&policy, &request, &DecideOptions::default(), stamp).expect("decides");
        assert_eq!(
            (d.decision, d.rule_id.as_str()),
            (*verdict, *rule),
            "{action}"
        );
    }
    assert_eq!(
        policy
            .policy
            .extra
            .get("notes")
            .and_then(Value::as_str)
            .map(str::trim),
        Some("Free text that older tooling kept next to the policy.")
    );
}

#[test]
fn oversized_and_malformed_inputs_are_errors_not_panics() {
    let library = Library::embedded();
    let huge = format!(
        "metadata: {{id: big, title: Big, version: \"1\"}}\nnotes: \"{}\"\n",
        "x".repeat(1024 * 1024)
    );
    let errors = library
        .load_text(&huge, "big.yaml")
        .expect_err("over the size limit");
    assert!(errors[0].message.contains("limit"), "{}", errors[0]);

    for (text, needle) in [
        ("", "empty"),
        ("- a\n- b\n", "mapping"),
        ("metadata: [unclosed\n", "yaml"),
        ("metadata: {id: x, title: X, version: \"1\"}\nfilesystem: {block_read: 5}\n", "block_read"),
        ("metadata: {id: x, title: X, version: \"1\"}\nrules: [{id: r, action: teleport, decision: block}]\n", "teleport"),
        ("metadata: {id: x, title: X, version: \"1\"}\ncommands: {default: maybe}\n", "default"),
    ] {
        let errors = library.load_text(text, "bad.yaml").expect_err(text);
        let all = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n").to_lowercase();
        assert!(all.contains(needle), "{text:?} -> {all}");
    }

    let long_command = format!(
        r#"{{"type": "command", "command": "{}"}}"#,
        "a".repeat(cavra::action::MAX_COMMAND_BYTES + 1)
    );
    let err = ActionRequest::from_json_str(&long_command).expect_err("too long");
    assert!(err.to_string().contains("limit"), "{err}");
    let long_path = format!(
        r#"{{"type": "file_read", "path": "{}"}}"#,
        "a/".repeat(5000)
    );
    let policy = compiled("cavra-ai-agent-baseline");
    let request = ActionRequest::from_json_str(&long_path);
    let outcome = request.map(|r| {
        decide(
            &policy,
            &r,
            &DecideOptions::default(),
            DecisionStamp::sequential(1, "t"),
        )
    });
    assert!(
        matches!(outcome, Err(_) | Ok(Err(_))),
        "an over-long path is an input error"
    );
    for bad in [
        r#"{"type": "file_read"}"#,
        r#"{"type": "file_read", "path": 5}"#,
        r#"[]"#,
        r#"{"path": "x"}"#,
        "{",
    ] {
        assert!(ActionRequest::from_json_str(bad).is_err(), "{bad}");
    }
}
