//! `compliance-mapping.md`: which compliance controls this session's
//! decisions evidence, one table per framework.
//!
//! The rows come only from the `controls` each decision carries (those of
//! the rule that decided it), so the mapping says what actually happened
//! rather than restating a pack's claims. A control's status is the
//! strongest of its decisions: **enforced** (a block or approval that was
//! enforced), then **attested** (allowed with attestation), then
//! **observed** (allowed, or flagged but not enforced in audit_only mode).

use super::controls::{split, title, OTHER_FRAMEWORK};
use super::markdown::{cell_code, code, text};
use super::BundleContext;
use crate::{Decision, Verdict};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a decision shows about the controls it cites, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Observed,
    Attested,
    Enforced,
}

impl Status {
    fn of(d: &Decision) -> Status {
        match d.decision {
            Verdict::Block | Verdict::RequireApproval if d.enforced => Status::Enforced,
            Verdict::AllowWithAttestation => Status::Attested,
            _ => Status::Observed,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Status::Observed => "observed",
            Status::Attested => "attested",
            Status::Enforced => "enforced",
        }
    }
}

/// One control row being gathered.
struct Row<'a> {
    id: String,
    decisions: Vec<&'a str>,
    status: Status,
}

/// Renders the mapping.
pub(crate) fn render(decisions: &[Decision], ctx: &BundleContext) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Compliance mapping: session {}\n",
        code(&ctx.session_id)
    );
    let _ = writeln!(
        out,
        "Policy {} version {} (digest {}), created {}. Each table lists the controls cited by the rules that decided this session's actions and the decisions that evidence them. Status: **enforced** when a citing decision blocked the action or held it for approval and was enforced; **attested** when it was allowed with attestation; **observed** when it was only allowed or not enforced.",
        code(&ctx.policy.id),
        code(&ctx.policy.version),
        code(&ctx.policy.digest),
        code(&ctx.created_at)
    );
    let frameworks = gather(decisions);
    if frameworks.is_empty() {
        let _ = writeln!(out, "\n{}", no_controls(decisions, ctx));
        return out;
    }
    let citing = decisions.iter().filter(|d| !d.controls.is_empty()).count();
    let _ = writeln!(
        out,
        "\n{citing} of {} decisions cite at least one control.",
        decisions.len()
    );
    for (framework, rows) in frameworks {
        let _ = writeln!(out, "\n## {}\n", text(framework));
        let _ = writeln!(out, "| control | title | decisions | status |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for row in rows {
            let ids: Vec<String> = row.decisions.iter().map(|id| cell_code(id)).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                text(&row.id),
                title(framework, &row.id).unwrap_or("-"),
                ids.join(", "),
                row.status.as_str()
            );
        }
    }
    out
}

/// Rows by framework: frameworks by name ("Other" last), controls in
/// natural order (A.8.2 before A.8.12), decisions in log order.
fn gather(decisions: &[Decision]) -> Vec<(&'static str, Vec<Row<'_>>)> {
    let mut by_framework: BTreeMap<&'static str, Vec<Row<'_>>> = BTreeMap::new();
    for d in decisions {
        let status = Status::of(d);
        for control in &d.controls {
            let (framework, id) = split(control);
            let rows = by_framework.entry(framework).or_default();
            let index = match rows.iter().position(|r| r.id == id) {
                Some(index) => index,
                None => {
                    rows.push(Row {
                        id,
                        decisions: Vec::new(),
                        status,
                    });
                    rows.len() - 1
                }
            };
            if let Some(row) = rows.get_mut(index) {
                if !row.decisions.contains(&d.decision_id.as_str()) {
                    row.decisions.push(&d.decision_id);
                }
                row.status = row.status.max(status);
            }
        }
    }
    let mut frameworks: Vec<(&'static str, Vec<Row<'_>>)> = by_framework.into_iter().collect();
    frameworks.sort_by_key(|(name, _)| (*name == OTHER_FRAMEWORK, *name));
    for (_, rows) in &mut frameworks {
        rows.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    }
    frameworks
}

/// Compares ids with digit runs read as numbers, so `A.8.2` < `A.8.12`.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let key = |s: &str| -> Vec<(u8, u64, String)> {
        let mut parts = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(&c) = chars.peek() {
            let digits = c.is_ascii_digit();
            let mut run = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_ascii_digit() != digits {
                    break;
                }
                run.push(c);
                chars.next();
            }
            let number = if digits {
                run.parse().unwrap_or(u64::MAX)
            } else {
                0
            };
            parts.push((u8::from(digits), number, run));
        }
        parts
    };
    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
}

fn no_controls(decisions: &[Decision], ctx: &BundleContext) -> String {
    if decisions.is_empty() {
        return "No decisions were recorded in this session, so no control is evidenced."
            .to_string();
    }
    let mut rules: Vec<&str> = decisions.iter().map(|d| d.rule_id.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    let rules: Vec<String> = rules.into_iter().map(code).collect();
    let (subject, verb) = match decisions.len() {
        1 => (
            "The one decision cited no compliance control: the rule that decided it".to_string(),
            "names",
        ),
        n => (
            format!(
                "None of the {n} decisions cited a compliance control: the rules that decided them"
            ),
            "name",
        ),
    };
    format!(
        "{subject} ({}) {verb} no controls in policy {}.",
        rules.join(", "),
        code(&ctx.policy.id)
    )
}

#[cfg(test)]
mod tests;
