use super::*;
use crate::evidence::fixtures::{context, decide_all, BASELINE_ACTIONS};
use crate::Mode;

fn attestation(mode: Option<Mode>, actions: &[&str]) -> String {
    let decisions = decide_all("cavra-ai-agent-baseline", mode, actions);
    render(&decisions, &context(&decisions))
}

/// The bullet of a guidance lead, if present.
fn bullet<'a>(markdown: &'a str, lead: &str) -> Option<&'a str> {
    let prefix = format!("- **{lead}:** ");
    markdown.lines().find(|l| l.starts_with(&prefix))
}

#[test]
fn header_summary_and_one_line_per_decision() {
    let markdown = attestation(None, &BASELINE_ACTIONS);
    let expected_lines = [
        "# CAVRA attestation: session `local`",
        "| block | 3 |",
        "| require_approval | 1 |",
        "| allow_with_attestation | 0 |",
        "| allow | 1 |",
        "| total | 5 |",
        "Highest severity: **critical**.",
        "1. `read_file` `config/.env` -> **block** via `filesystem.read.block` (high, `dec_000000000001`)",
        "2. `read_file` `src/main.rs` -> **allow** via `filesystem.read.allow` (low, `dec_000000000002`)",
        "3. `git_operation` `HEAD` -> **require_approval** via `baseline.git.reset_hard` (medium, `dec_000000000003`)",
        "4. `execute_command` `rm -rf /` -> **block** via `commands.block` (critical, `dec_000000000004`)",
        "- **Repository Owners**: 1 decision",
    ];
    for line in expected_lines {
        assert!(
            markdown.lines().any(|l| l == line),
            "missing {line:?}\n{markdown}"
        );
    }
    assert!(markdown.contains("(digest `sha256:"));
    assert!(markdown.ends_with('\n') && !markdown.ends_with("\n\n"));
}

/// (name, mode, actions, guidance leads present, leads absent).
type GuidanceCase<'a> = (
    &'a str,
    Option<Mode>,
    Vec<&'a str>,
    &'a [&'a str],
    &'a [&'a str],
);

#[test]
fn guidance_names_only_what_happened() {
    let pull_request =
        r#"{"type": "pull_request", "title": "Add retry", "branch": "feature/retry"}"#;
    let cases: [GuidanceCase; 5] = [
        (
            "mixed",
            None,
            BASELINE_ACTIONS.to_vec(),
            &["Blocked", "Approvals", "Severe actions that proceeded"][..2],
            &["Break-glass", "Audit only", "Attested"],
        ),
        (
            "break-glass",
            Some(Mode::BreakGlass),
            vec![BASELINE_ACTIONS[0]],
            &["Break-glass", "Approvals"],
            &["Blocked"],
        ),
        (
            "audit only",
            Some(Mode::AuditOnly),
            vec![BASELINE_ACTIONS[0]],
            &["Audit only", "Severe actions that proceeded"],
            &["Blocked", "Approvals"],
        ),
        (
            "attested",
            None,
            vec![pull_request],
            &["Attested"],
            &["Blocked", "Approvals"],
        ),
        (
            "all allowed",
            None,
            vec![BASELINE_ACTIONS[1]],
            &[],
            &["Blocked", "Approvals", "Attested"],
        ),
    ];
    for (name, mode, actions, present, absent) in cases {
        let markdown = attestation(mode, &actions);
        for lead in present {
            assert!(
                bullet(&markdown, lead).is_some(),
                "{name}: no {lead}\n{markdown}"
            );
        }
        for lead in absent {
            assert!(
                bullet(&markdown, lead).is_none(),
                "{name}: unexpected {lead}\n{markdown}"
            );
        }
        let quiet = "- Every action was allowed by policy and nothing was held, blocked or attested; review the change as usual.";
        assert_eq!(markdown.contains(quiet), present.is_empty(), "{name}");
    }
}

#[test]
fn break_glass_and_audit_only_approval_outcomes() {
    let markdown = attestation(Some(Mode::BreakGlass), &[BASELINE_ACTIONS[0]]);
    assert!(
        markdown.contains("- **Change Advisory Board**: 1 decision"),
        "{markdown}"
    );
    assert!(markdown.contains("blocked by policy; break-glass made it an emergency approval"));
    assert!(markdown.contains("-> **block** via `filesystem.read.block` (high, `dec_000000000001`); break-glass: **require_approval**"));
    assert_eq!(
        bullet(&markdown, "Approvals"),
        Some("- **Approvals:** 1 action needs sign-off (Change Advisory Board); do not merge until each approval is recorded: `dec_000000000001`.")
    );
    let audit = attestation(Some(Mode::AuditOnly), &[BASELINE_ACTIONS[2]]);
    assert!(
        audit.contains("would need approval; not enforced (audit_only)"),
        "{audit}"
    );
    assert!(audit.contains("; audit_only: not enforced"));
}

#[test]
fn targets_cannot_break_the_markdown() {
    let command = r#"{"type": "command", "command": "echo `id` | tee x\n# injected"}"#;
    let markdown = attestation(None, &[command]);
    let line = markdown
        .lines()
        .find(|l| l.starts_with("1. "))
        .unwrap_or_default();
    assert!(
        line.starts_with("1. `execute_command` ``echo `id` | tee x\\n# injected`` -> **"),
        "{line}"
    );
    assert!(!markdown.lines().any(|l| l.starts_with("# injected")));
}

#[test]
fn empty_session() {
    let markdown = render(&[], &context(&[]));
    assert!(markdown.contains("No decisions were recorded in this session."));
    assert!(markdown.contains("No action needed approval."));
    assert!(markdown.contains(
        "- No agent actions were recorded; this bundle attests only that the session was empty."
    ));
    assert!(!markdown.contains("Highest severity"));
}

#[test]
fn long_id_lists_are_cut() {
    let decisions = decide_all("cavra-ai-agent-baseline", None, &[BASELINE_ACTIONS[0]; 12]);
    let markdown = render(&decisions, &context(&decisions));
    let blocked = bullet(&markdown, "Blocked").unwrap_or_default();
    assert!(
        blocked.ends_with("`dec_00000000000a`, and 2 more."),
        "{blocked}"
    );
}
