//! Explanations: a decision told as prose, for the developer who was just
//! stopped and wants to know why and what would change it.

use crate::decision::Decision;
use crate::verdict::{Mode, Verdict};
use std::fmt::Write as _;

fn asked(decision: &Decision) -> String {
    let t = &decision.target;
    match decision.action_type.as_str() {
        "read_file" => format!("read the file `{t}`"),
        "write_file" => format!("write the file `{t}`"),
        "execute_command" => format!("run the command `{t}`"),
        "git_operation" => format!("git {} `{t}`", decision.requested_operation),
        "mcp_tool_call" => format!("call the MCP tool `{t}`"),
        "network_request" => format!("fetch `{t}`"),
        "pull_request" => format!("open a pull request (`{t}`)"),
        _ => format!("act on `{t}`"),
    }
}

/// Renders a decision as prose: what was asked, what matched, why this
/// verdict, what would change it.
pub fn explain(decision: &Decision) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "What was asked: agent `{}` wanted to {}.",
        decision.agent_id,
        asked(decision)
    );
    let _ = writeln!(out, "\nWhat matched:");
    for rule in &decision.matched_rules {
        let pattern = rule
            .pattern
            .as_ref()
            .map(|p| format!(" pattern `{p}`"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  - {} -> {}{pattern} ({})",
            rule.rule_id, rule.decision, rule.source
        );
    }
    if decision.derived_actions.len() > 1 {
        let _ = writeln!(out, "\nParts of the command, each judged on its own:");
        for part in &decision.derived_actions {
            let _ = writeln!(
                out,
                "  - {} `{}` -> {} via {}",
                part.action_type, part.target, part.decision, part.rule_id
            );
        }
    }
    let _ = writeln!(
        out,
        "\nWhy {}: {} CAVRA takes the most restrictive verdict of everything that matched \
         (block > require_approval > allow_with_attestation > allow); the first rule with that \
         verdict, `{}`, decides. Severity {}, risk score {}/100.",
        decision.decision,
        decision.reason,
        decision.rule_id,
        decision.severity,
        decision.risk_score
    );
    match decision.mode {
        Mode::AuditOnly => {
            let _ = writeln!(
                out,
                "Mode audit_only: the verdict is recorded but not enforced; the action proceeds."
            );
        }
        Mode::BreakGlass if decision.break_glass => {
            let _ = writeln!(
                out,
                "Mode break_glass: the block becomes an approval by the Change Advisory Board."
            );
        }
        _ => {}
    }
    let _ = writeln!(out, "\nWhat would change it:");
    let change = what_would_change(decision);
    for line in change {
        let _ = writeln!(out, "  - {line}");
    }
    out
}

fn what_would_change(decision: &Decision) -> Vec<String> {
    let rule = decision.rule_id.as_str();
    let mut lines = Vec::new();
    let source = decision
        .matched_rules
        .iter()
        .find(|m| m.rule_id == rule)
        .map(|m| m.source.clone())
        .unwrap_or_default();
    match decision.decision {
        Verdict::Allow => lines.push(
            "Nothing needs to change: the action is allowed. A block or approval rule matching it would stop it."
                .to_string(),
        ),
        Verdict::AllowWithAttestation => lines.push(
            "The action proceeds; reviewers see the attestation in the evidence bundle.".to_string(),
        ),
        Verdict::RequireApproval => {
            if let Some(group) = &decision.approver_group {
                lines.push(format!("An approval from {group} lets it proceed."));
            }
            if rule.starts_with("commands.default") || rule == "mode.strict.require_approval" {
                lines.push(
                    "Adding a pattern for it to `commands.allow` (or an allow rule) makes it routine."
                        .to_string(),
                );
            }
        }
        Verdict::Block => {
            lines.push(format!(
                "Only a policy change lifts this block: the rule `{rule}` is defined at {source}."
            ));
            lines.push(
                "In an emergency, break_glass mode turns the block into an approval by the Change Advisory Board."
                    .to_string(),
            );
        }
    }
    if rule.starts_with("git.protected_branch") {
        lines.push("Push to a feature branch and open a pull request instead.".to_string());
    }
    if rule == "commands.unparseable" {
        lines.push("Quote the command so it parses as a shell command.".to_string());
    }
    lines
}
