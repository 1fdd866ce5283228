//! Properties that must hold for every action: adding a block rule never
//! makes a verdict more permissive, and evaluation is deterministic.

use cavra::policy::model::{Pattern, Rule, RuleMatch, RuleTarget, Source};
use cavra::{
    decide, Action, ActionKind, ActionRequest, CompiledPolicy, DecideOptions, DecisionStamp,
    Library, Verdict,
};
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

fn baseline() -> &'static (cavra::Policy, CompiledPolicy) {
    static BASELINE: OnceLock<(cavra::Policy, CompiledPolicy)> = OnceLock::new();
    BASELINE.get_or_init(|| {
        let policy = Library::embedded()
            .load_pack("cavra-ai-agent-baseline")
            .expect("loads");
        let compiled = CompiledPolicy::compile(&policy).expect("compiles");
        (policy, compiled)
    })
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(".env".to_string()),
        Just("src".to_string()),
        Just("iam".to_string()),
        Just(".github".to_string()),
        Just("workflows".to_string()),
        Just("main.tf".to_string()),
        Just("..".to_string()),
        Just(".".to_string()),
        "[a-zA-Z0-9_.-]{1,8}",
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 1..5).prop_map(|s| s.join("/"))
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("terraform".to_string()),
        Just("apply".to_string()),
        Just("cat".to_string()),
        Just("git".to_string()),
        Just("push".to_string()),
        Just("main".to_string()),
        Just("&&".to_string()),
        Just("|".to_string()),
        Just(">".to_string()),
        Just("sudo".to_string()),
        Just("-f".to_string()),
        path(),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        path().prop_map(|path| Action::FileRead { path }),
        path().prop_map(|path| Action::FileWrite { path }),
        prop::collection::vec(word(), 1..7).prop_map(|w| Action::Command {
            command: w.join(" ")
        }),
        "[a-z-]{1,12}".prop_map(|url| Action::Network {
            url: format!("https://{url}.example/x")
        }),
        ("[a-z]{1,8}", "[a-z_]{1,8}").prop_map(|(server, tool)| Action::McpToolCall {
            server,
            tool,
            capability: None,
            arguments: serde_json::Value::Null
        }),
    ]
}

fn block_rule(pattern: &str, kind: Option<ActionKind>) -> Rule {
    let p = Pattern {
        text: pattern.to_string(),
        source: Source {
            file: Arc::from("prop"),
            line: None,
        },
    };
    let mut matches = RuleMatch::default();
    match kind {
        Some(ActionKind::Command) => matches.commands = vec![p],
        _ => matches.paths = vec![p],
    }
    Rule {
        id: "prop.extra_block".into(),
        target: kind.map(RuleTarget::Kind).unwrap_or(RuleTarget::Any),
        matches,
        decision: Verdict::Block,
        severity: None,
        reason: None,
        approvers: None,
        controls: vec![],
        description: None,
        source: Source {
            file: Arc::from("prop"),
            line: None,
        },
    }
}

fn verdict(policy: &CompiledPolicy, action: &Action) -> Option<Verdict> {
    let stamp = DecisionStamp::sequential(1, "2026-11-25T10:00:00.000Z");
    decide(
        policy,
        &ActionRequest::new(action.clone()),
        &DecideOptions::default(),
        stamp,
    )
    .ok()
    .map(|d| d.decision)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn adding_a_block_rule_never_loosens_a_verdict(
        action in action(),
        pattern in prop_oneof![path(), "[a-z*]{1,6}\\*".prop_map(|s| s)],
        command_rule in any::<bool>(),
    ) {
        let (policy, compiled) = baseline();
        let mut stricter = policy.clone();
        let kind = if command_rule { Some(ActionKind::Command) } else { None };
        stricter.rules.push(block_rule(&pattern, kind));
        let stricter = CompiledPolicy::compile(&stricter).expect("compiles");
        if let (Some(before), Some(after)) = (verdict(compiled, &action), verdict(&stricter, &action)) {
            prop_assert!(after >= before, "{action:?}: {before} became {after} after adding a block on {pattern}");
        }
    }

    #[test]
    fn evaluation_is_deterministic(action in action()) {
        let (_, compiled) = baseline();
        let run = || {
            let stamp = DecisionStamp::sequential(7, "2026-11-25T10:00:00.000Z");
            decide(compiled, &ActionRequest::new(action.clone()), &DecideOptions::default(), stamp)
                .map(|d| serde_json::to_string(&d).unwrap_or_default())
                .map_err(|e| e.to_string())
        };
        prop_assert_eq!(run(), run());
    }
}

#[test]
fn compiling_twice_gives_the_same_digest() {
    let (policy, compiled) = baseline();
    let again = CompiledPolicy::compile(policy).expect("compiles");
    assert_eq!(compiled.digest, again.digest);
    assert!(compiled.digest.starts_with("sha256:"));
    assert_eq!(compiled.digest.len(), "sha256:".len() + 64);
}
