use super::*;
use crate::evidence::fixtures::{context, decide_all, BASELINE_ACTIONS};
use crate::Mode;

const SAMPLE_ACTIONS: &str = include_str!("../../policy/sample-actions.json");

fn sample_actions() -> Vec<String> {
    let values: Vec<serde_json::Value> = serde_json::from_str(SAMPLE_ACTIONS).unwrap_or_default();
    values.iter().map(|v| v.to_string()).collect()
}

/// The table row of `control` under `framework`'s heading, if any.
fn row<'a>(markdown: &'a str, framework: &str, id: &str) -> Option<&'a str> {
    let heading = format!("\n## {}\n", text(framework));
    let start = markdown.find(&heading)? + heading.len();
    let section = &markdown[start..];
    let section = section.find("\n## ").map_or(section, |end| &section[..end]);
    let prefix = format!("| {} |", text(id));
    section.lines().find(|line| line.starts_with(&prefix))
}

/// For every embedded pack, the sample actions' decisions put each cited
/// control in its framework's table, with the decision's id.
#[test]
fn real_packs_group_every_cited_control() {
    let actions = sample_actions();
    let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
    assert!(actions.len() > 20);
    let mut frameworks_seen = std::collections::BTreeSet::new();
    for pack in crate::Library::embedded().packs() {
        let decisions = decide_all(&pack.id, None, &actions);
        let markdown = render(&decisions, &context(&decisions));
        for d in &decisions {
            for control in &d.controls {
                let (framework, id) = split(control);
                frameworks_seen.insert(framework);
                let line = row(&markdown, framework, &id)
                    .unwrap_or_else(|| panic!("{}: no row for {control}", pack.id));
                assert!(
                    line.contains(&cell_code(&d.decision_id)),
                    "{}: {line}",
                    pack.id
                );
                assert!(
                    title(framework, &id).is_some_and(|t| line.contains(t)),
                    "{line}"
                );
            }
        }
    }
    for expected in [
        "SOC 2",
        "ISO/IEC 27001:2022",
        "NIST SP 800-53 Rev. 5",
        "HIPAA",
        "PCI DSS v4.0",
        "EU AI Act",
    ] {
        assert!(
            frameworks_seen.contains(expected),
            "no {expected} control fired: {frameworks_seen:?}"
        );
    }
}

#[test]
fn baseline_rows_and_order() {
    let decisions = decide_all("cavra-ai-agent-baseline", None, &BASELINE_ACTIONS);
    let markdown = render(&decisions, &context(&decisions));
    let cases = [
        ("SOC 2", "CC6.1", "| CC6.1 | Logical access security | `dec_000000000001`, `dec_000000000004` | enforced |"),
        ("SOC 2", "CC8.1", "| CC8.1 | Change management | `dec_000000000003`, `dec_000000000004` | enforced |"),
        ("OWASP Top 10 for LLM Applications", "LLM06:2025", "| LLM06:2025 | Excessive agency | `dec_000000000004`, `dec_000000000005` | enforced |"),
    ];
    for (framework, id, expected) in cases {
        assert_eq!(row(&markdown, framework, id), Some(expected));
    }
    let position = |needle: &str| markdown.find(needle).unwrap_or(usize::MAX);
    assert!(
        position("| A.8.2 |") < position("| A.8.12 |"),
        "natural order"
    );
    assert!(
        position("## ISO/IEC") < position("## NIST") && position("## NIST") < position("## SOC 2")
    );
    assert!(markdown.contains("4 of 5 decisions cite at least one control."));
}

#[test]
fn status_follows_what_happened() {
    let pull_request =
        r#"{"type": "pull_request", "title": "Add retry", "branch": "feature/retry"}"#;
    let cases = [
        (None, BASELINE_ACTIONS[0], "enforced"),
        (None, BASELINE_ACTIONS[2], "enforced"),
        (Some(Mode::AuditOnly), BASELINE_ACTIONS[0], "observed"),
        (Some(Mode::BreakGlass), BASELINE_ACTIONS[0], "enforced"),
        (None, pull_request, "attested"),
    ];
    for (mode, action, status) in cases {
        let decisions = decide_all("cavra-ai-agent-baseline", mode, &[action]);
        let markdown = render(&decisions, &context(&decisions));
        let rows: Vec<&str> = markdown
            .lines()
            .filter(|l| {
                l.starts_with("| ") && !l.starts_with("| control") && !l.starts_with("| ---")
            })
            .collect();
        assert!(!rows.is_empty(), "{action}: no rows\n{markdown}");
        for line in rows {
            assert!(
                line.ends_with(&format!("| {status} |")),
                "{action} {mode:?}: {line}"
            );
        }
    }
}

#[test]
fn strongest_status_wins() {
    let mut decisions = decide_all(
        "cavra-ai-agent-baseline",
        Some(Mode::AuditOnly),
        &BASELINE_ACTIONS[..1],
    );
    decisions.extend(decide_all(
        "cavra-ai-agent-baseline",
        None,
        &BASELINE_ACTIONS[..1],
    ));
    decisions[1].decision_id = "dec_000000000002".into();
    let markdown = render(&decisions, &context(&decisions));
    assert_eq!(
        row(&markdown, "SOC 2", "CC6.1"),
        Some("| CC6.1 | Logical access security | `dec_000000000001`, `dec_000000000002` | enforced |")
    );
}

#[test]
fn no_controls_says_so() {
    let one = decide_all("cavra-ai-agent-baseline", None, &BASELINE_ACTIONS[1..2]);
    let markdown = render(&one, &context(&one));
    assert!(markdown.contains("The one decision cited no compliance control: the rule that decided it (`filesystem.read.allow`) names no controls in policy `cavra-ai-agent-baseline`."), "{markdown}");
    assert!(!markdown.contains("\n## "));
    let none = render(&[], &context(&[]));
    assert!(
        none.contains("No decisions were recorded in this session, so no control is evidenced.")
    );
    assert!(none.ends_with(".\n"));
}

#[test]
fn unknown_controls_go_last_and_are_escaped() {
    let mut decisions = decide_all("cavra-ai-agent-baseline", None, &BASELINE_ACTIONS[..1]);
    decisions[0].controls = vec!["GDPR Art. 32 | *bold*".into(), "SOC 2 CC6.1".into()];
    decisions[0].decision_id = "dec_a|b".into();
    let markdown = render(&decisions, &context(&decisions));
    assert!(markdown.find("## SOC 2") < markdown.find("## Other"));
    assert!(
        markdown.contains("| GDPR Art. 32 \\| \\*bold\\* | - | `dec_a\\|b` | enforced |"),
        "{markdown}"
    );
}
