//! Human output: a coloured verdict line and the facts under it.
//!
//! Colour goes through `anstream`, which drops it when stdout is not a
//! terminal or `NO_COLOR` is set, so pipes and CI logs stay plain.

use crate::decision::Decision;
use crate::verdict::Verdict;
use anstyle::{AnsiColor, Style};
use std::io::Write;

/// The style of a verdict badge.
pub fn verdict_style(verdict: Verdict) -> Style {
    let color = match verdict {
        Verdict::Block => AnsiColor::Red,
        Verdict::RequireApproval => AnsiColor::Yellow,
        Verdict::AllowWithAttestation => AnsiColor::Cyan,
        Verdict::Allow => AnsiColor::Green,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

/// The badge text of a verdict.
pub fn badge(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Block => "BLOCK",
        Verdict::RequireApproval => "REQUIRE APPROVAL",
        Verdict::AllowWithAttestation => "ALLOW (ATTEST)",
        Verdict::Allow => "ALLOW",
    }
}

/// Prints a decision for a person.
pub fn print_decision(out: &mut impl Write, d: &Decision) -> std::io::Result<()> {
    let style = verdict_style(d.decision);
    let dim = Style::new().dimmed();
    writeln!(
        out,
        "{style}{}{style:#}  {} {}",
        badge(d.decision),
        d.action_type,
        d.target
    )?;
    if d.effective_decision != d.decision {
        let note = if d.break_glass {
            "break-glass: needs approval by the Change Advisory Board"
        } else {
            "audit_only: recorded, not enforced"
        };
        writeln!(
            out,
            "  {dim}effective{dim:#} {} ({note})",
            d.effective_decision
        )?;
    }
    let source = d
        .matched_rules
        .iter()
        .find(|m| m.rule_id == d.rule_id)
        .map(|m| m.source.as_str())
        .unwrap_or("");
    writeln!(
        out,
        "  {dim}rule{dim:#}      {}  {dim}{source}{dim:#}",
        d.rule_id
    )?;
    writeln!(
        out,
        "  {dim}severity{dim:#}  {} · risk {}/100",
        d.severity, d.risk_score
    )?;
    writeln!(out, "  {dim}reason{dim:#}    {}", d.reason)?;
    if let Some(group) = &d.approver_group {
        writeln!(out, "  {dim}approver{dim:#}  {group}")?;
    }
    if d.derived_actions.len() > 1 {
        writeln!(out, "  {dim}parts{dim:#}")?;
        for part in &d.derived_actions {
            let s = verdict_style(part.decision);
            writeln!(
                out,
                "    {s}{:<16}{s:#} {} {}  {dim}({}){dim:#}",
                part.decision.as_str(),
                part.action_type,
                part.target,
                part.rule_id
            )?;
        }
    }
    Ok(())
}
