//! `pr-attestation.md`: the page a pull-request reviewer reads to learn what
//! the agent did in this session and what still needs a human.
//!
//! Every section is derived from the decisions: the summary counts them,
//! the list shows each one, approval outcomes group what needs sign-off by
//! approver group, and the guidance only names situations that occurred
//! (blocks, pending approvals, break-glass, audit-only, attestations,
//! severe actions that proceeded, a policy other than the bundle's).

use super::bundle::{max_severity, Counts};
use super::markdown::{code, text};
use super::BundleContext;
use crate::{Decision, Severity, Verdict};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How many decision ids a guidance bullet lists before "and N more".
const IDS_SHOWN: usize = 10;

/// Renders the attestation.
pub(crate) fn render(decisions: &[Decision], ctx: &BundleContext) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# CAVRA attestation: session {}",
        code(&ctx.session_id)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Created {} under policy {} version {} (digest {}).",
        code(&ctx.created_at),
        code(&ctx.policy.id),
        code(&ctx.policy.version),
        code(&ctx.policy.digest)
    );
    summary(decisions, &mut out);
    decision_list(decisions, &mut out);
    approvals(decisions, &mut out);
    guidance(decisions, ctx, &mut out);
    out
}

fn summary(decisions: &[Decision], out: &mut String) {
    let counts = Counts::of(decisions);
    let _ = writeln!(out, "\n## Summary\n");
    let _ = writeln!(out, "| verdict | decisions |\n| --- | --- |");
    let rows = [
        (Verdict::Block, counts.blocked),
        (Verdict::RequireApproval, counts.approval_required),
        (Verdict::AllowWithAttestation, counts.attested),
        (Verdict::Allow, counts.allowed - counts.attested),
    ];
    for (verdict, count) in rows {
        let _ = writeln!(out, "| {} | {count} |", verdict.as_str());
    }
    let _ = writeln!(out, "| total | {} |", counts.total);
    if let Some(severity) = max_severity(decisions) {
        let _ = writeln!(out, "\nHighest severity: **{severity}**.");
    }
}

fn decision_list(decisions: &[Decision], out: &mut String) {
    let _ = writeln!(out, "\n## Decisions\n");
    if decisions.is_empty() {
        let _ = writeln!(out, "No decisions were recorded in this session.");
        return;
    }
    for (index, d) in decisions.iter().enumerate() {
        let _ = write!(
            out,
            "{}. {} {} -> **{}** via {} ({}, {})",
            index + 1,
            code(&d.action_type),
            code(&d.target),
            d.decision,
            code(&d.rule_id),
            d.severity,
            code(&d.decision_id)
        );
        if d.break_glass {
            let _ = write!(out, "; break-glass: **{}**", d.effective_decision);
        } else if !d.enforced {
            let _ = write!(out, "; {}: not enforced", d.mode);
        } else if d.effective_decision != d.decision {
            let _ = write!(out, "; effective **{}**", d.effective_decision);
        }
        let _ = writeln!(out);
    }
}

/// True when the decision needed, or would have needed, a human approval.
fn needs_approval(d: &Decision) -> bool {
    d.decision == Verdict::RequireApproval || d.effective_decision == Verdict::RequireApproval
}

fn approvals(decisions: &[Decision], out: &mut String) {
    let _ = writeln!(out, "\n## Approval outcomes\n");
    let mut groups: BTreeMap<&str, Vec<&Decision>> = BTreeMap::new();
    for d in decisions.iter().filter(|d| needs_approval(d)) {
        let group = d
            .approver_group
            .as_deref()
            .unwrap_or("(no approver group named)");
        groups.entry(group).or_default().push(d);
    }
    if groups.is_empty() {
        let _ = writeln!(out, "No action needed approval.");
        return;
    }
    let _ = writeln!(
        out,
        "CAVRA records that an approval is required; the approval itself is given outside CAVRA and should be linked from this pull request.\n"
    );
    for (group, items) in groups {
        let noun = if items.len() == 1 {
            "decision"
        } else {
            "decisions"
        };
        let _ = writeln!(out, "- **{}**: {} {noun}", text(group), items.len());
        for d in items {
            let outcome = if d.break_glass {
                "blocked by policy; break-glass made it an emergency approval"
            } else if !d.enforced {
                "would need approval; not enforced (audit_only)"
            } else {
                "pending approval"
            };
            let _ = writeln!(
                out,
                "  - {} {} {} via {}: {}. {}",
                code(&d.decision_id),
                code(&d.action_type),
                code(&d.target),
                code(&d.rule_id),
                outcome,
                text(&d.reason)
            );
        }
    }
}

fn guidance(decisions: &[Decision], ctx: &BundleContext, out: &mut String) {
    let _ = writeln!(out, "\n## Reviewer guidance\n");
    if decisions.is_empty() {
        let _ = writeln!(
            out,
            "- No agent actions were recorded; this bundle attests only that the session was empty."
        );
        return;
    }
    let pick = |f: fn(&Decision) -> bool| -> Vec<&Decision> {
        decisions.iter().filter(|d| f(d)).collect()
    };
    let pending = pick(|d| d.enforced && d.effective_decision == Verdict::RequireApproval);
    let mut groups: Vec<&str> = pending
        .iter()
        .filter_map(|d| d.approver_group.as_deref())
        .collect();
    groups.sort_unstable();
    groups.dedup();
    let groups: Vec<String> = groups.into_iter().map(text).collect();
    let groups = if groups.is_empty() {
        "no approver group named".to_string()
    } else {
        groups.join(", ")
    };
    let approvals_tail =
        format!(" sign-off ({groups}); do not merge until each approval is recorded:");
    let other_policy: Vec<&Decision> = decisions
        .iter()
        .filter(|d| d.policy_digest != ctx.policy.digest)
        .collect();
    let other_session: Vec<&Decision> = decisions
        .iter()
        .filter(|d| d.session_id != ctx.session_id)
        .collect();
    let bullets = [
        (
            pick(|d| d.decision == Verdict::Block && d.enforced && !d.break_glass),
            "Blocked",
            ("action was", "actions were"),
            " stopped; check the change does not reach the same result another way:",
        ),
        (pending, "Approvals", ("action needs", "actions need"), approvals_tail.as_str()),
        (
            pick(|d| d.break_glass),
            "Break-glass",
            ("blocked action", "blocked actions"),
            " went ahead under emergency access; record the justification for each:",
        ),
        (
            pick(|d| !d.enforced && !d.decision.is_allowed()),
            "Audit only",
            ("action was", "actions were"),
            " flagged by policy but not enforced (audit_only mode); review them as if they had been stopped:",
        ),
        (
            pick(|d| d.decision == Verdict::AllowWithAttestation),
            "Attested",
            ("action was", "actions were"),
            " allowed with attestation; this page is that attestation, spot-check them:",
        ),
        (
            pick(|d| d.effective_decision.is_allowed() && d.severity >= Severity::High),
            "Severe actions that proceeded",
            ("action", "actions"),
            " of high or critical severity went ahead:",
        ),
        (
            other_policy,
            "Other policy",
            ("decision was", "decisions were"),
            " made under a policy digest other than this bundle's; check which policy applied:",
        ),
        (
            other_session,
            "Other session",
            ("decision carries", "decisions carry"),
            " a session id other than this bundle's:",
        ),
    ];
    let mut notes: Vec<String> = Vec::new();
    for (picked, lead, (one, many), tail) in bullets {
        if picked.is_empty() {
            continue;
        }
        let phrase = if picked.len() == 1 { one } else { many };
        notes.push(format!(
            "**{lead}:** {} {phrase}{tail} {}",
            picked.len(),
            ids(&picked)
        ));
    }
    if notes.is_empty() {
        let _ = writeln!(
            out,
            "- Every action was allowed by policy and nothing was held, blocked or attested; review the change as usual."
        );
    }
    for line in notes {
        let _ = writeln!(out, "- {line}");
    }
}

fn ids(picked: &[&Decision]) -> String {
    let mut shown: Vec<String> = picked
        .iter()
        .take(IDS_SHOWN)
        .map(|d| code(&d.decision_id))
        .collect();
    if picked.len() > IDS_SHOWN {
        shown.push(format!("and {} more", picked.len() - IDS_SHOWN));
    }
    format!("{}.", shown.join(", "))
}

#[cfg(test)]
mod tests;
