//! The words of decisions: nouns, verdict phrases, list names, default
//! severities and approver groups, and the main reason sentence.

use super::*;

/// Whether a shell word names a file only after expansion.
pub(super) fn is_dynamic(word: &str) -> bool {
    word.contains(['$', '`', '*', '?', '[', '{'])
}

pub(super) fn kind_noun(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::FileRead => "file read",
        ActionKind::FileWrite => "file write",
        ActionKind::Command => "command",
        ActionKind::Git => "git operation",
        ActionKind::McpToolCall => "MCP tool call",
        ActionKind::Network => "network request",
        ActionKind::PullRequest => "pull request",
    }
}

pub(super) fn verdict_phrase(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Block => "is blocked",
        Verdict::RequireApproval => "needs approval",
        Verdict::AllowWithAttestation => "is allowed with an attestation",
        Verdict::Allow => "is allowed",
    }
}

/// The policy-language name of the list behind a section rule id.
pub(super) fn section_list_name(rule_id: &str) -> &'static str {
    match rule_id {
        "filesystem.read.block" => "filesystem.block_read",
        "filesystem.read.require_approval" => "filesystem.require_approval_read",
        "filesystem.read.allow" => "filesystem.allow_read",
        "filesystem.write.block" => "filesystem.block_write",
        "filesystem.write.require_approval" => "filesystem.require_approval_write",
        "filesystem.write.allow" => "filesystem.allow_write",
        "commands.block" => "commands.block",
        "commands.require_approval" => "commands.require_approval",
        "commands.allow" => "commands.allow",
        "network.block" => "network.block_domains",
        "network.allow" => "network.allow_domains",
        _ => "the policy",
    }
}

/// Words that make a blocked command critical: it destroys, or changes
/// production or identity and access.
const CRITICAL_WORDS: [&str; 14] = [
    "apply",
    "delete",
    "destroy",
    "drop",
    "truncate",
    "purge",
    "rm -rf",
    "rm -fr",
    "mkfs",
    "iam",
    "role",
    "policy",
    "access-key",
    "shred",
];

/// Default severity of a verdict for a kind of action (a rule's own wins).
pub(crate) fn default_severity(verdict: Verdict, kind: ActionKind, target: &str) -> Severity {
    match verdict {
        Verdict::Block => {
            if kind == ActionKind::Command && CRITICAL_WORDS.iter().any(|w| target.contains(w)) {
                Severity::Critical
            } else {
                Severity::High
            }
        }
        Verdict::RequireApproval if kind == ActionKind::FileWrite => Severity::High,
        Verdict::RequireApproval | Verdict::AllowWithAttestation => Severity::Medium,
        Verdict::Allow => Severity::Low,
    }
}

pub(super) fn default_approvers(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::FileWrite | ActionKind::FileRead | ActionKind::Network => "Platform Security",
        ActionKind::McpToolCall => "AI Governance",
        ActionKind::Command | ActionKind::Git | ActionKind::PullRequest => "Repository Owners",
    }
}

/// The decision's reason: the determining hit's sentence, prefixed with the
/// command when the hit came from a part of it.
pub(super) fn main_reason(action: &Action, target: &str, hit: &Hit) -> String {
    match action {
        Action::Command { .. } if hit.target != target => {
            format!("In `{target}`: {}", hit.reason)
        }
        _ => hit.reason.clone(),
    }
}
