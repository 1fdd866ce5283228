//! The decision record: everything CAVRA says about one action.
//!
//! Field order and names are a compatibility promise: the first seventeen
//! fields are the decision fields of older CAVRA, so existing consumers keep
//! working; the rest add enforcement, risk and provenance. Every field is
//! always present (null where it does not apply).

use crate::verdict::{Mode, Severity, Verdict};
use serde::{Deserialize, Serialize};

/// One rule that matched the action or one of its derived actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedRule {
    /// Rule id (`filesystem.read.block`, a rule-style id, ...).
    pub rule_id: String,
    /// The rule's verdict.
    pub decision: Verdict,
    /// The pattern that matched (null for defaults and built-ins).
    pub pattern: Option<String>,
    /// Where the rule is written: `file:line`, or `default (...)`/`builtin`.
    pub source: String,
}

/// A part of a command, or an action derived from it, with its own verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerivedAction {
    /// Decision-record action type (`execute_command`, `read_file`, ...).
    pub action_type: String,
    /// Canonical target.
    pub target: String,
    /// Its own verdict.
    pub decision: Verdict,
    /// The rule that determined it.
    pub rule_id: String,
    /// Its severity.
    pub severity: Severity,
}

/// The full decision record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// `dec_` + 12 lowercase hex.
    pub decision_id: String,
    /// Session (default `local`).
    pub session_id: String,
    /// Agent (default `unknown-agent`).
    pub agent_id: String,
    /// Actor (default `ai-agent`).
    pub actor: String,
    /// `read_file`, `write_file`, `execute_command`, `git_operation`,
    /// `mcp_tool_call`, `network_request` or `pull_request`.
    pub action_type: String,
    /// Canonical path, command, `server:tool`, `remote/branch` or URL.
    pub target: String,
    /// `read`, `write`, the command, the git operation, the capability, `create`.
    pub requested_operation: String,
    /// Pack id.
    pub policy_pack: String,
    /// Pack id (kept for older consumers).
    pub policy_id: String,
    /// The determining rule.
    pub rule_id: String,
    /// The verdict.
    pub decision: Verdict,
    /// Severity.
    pub severity: Severity,
    /// One sentence a developer understands.
    pub reason: String,
    /// `evidence://<session>/<decision_id>`.
    pub evidence_refs: Vec<String>,
    /// Who approves, for require_approval.
    pub approver_group: Option<String>,
    /// RFC 3339 UTC.
    pub timestamp: String,
    /// `corr_` + 12 hex.
    pub correlation_id: String,
    /// What the caller must actually do after the mode is applied.
    pub effective_decision: Verdict,
    /// False in audit_only mode.
    pub enforced: bool,
    /// The mode the decision was made in.
    pub mode: Mode,
    /// True when break-glass turned a block into an approval.
    pub break_glass: bool,
    /// 0-100.
    pub risk_score: u8,
    /// Pack version.
    pub policy_version: String,
    /// `sha256:` of the compiled policy.
    pub policy_digest: String,
    /// Every matching rule.
    pub matched_rules: Vec<MatchedRule>,
    /// Parts and derived actions of a command, with their own verdicts.
    pub derived_actions: Vec<DerivedAction>,
    /// Compliance controls of the determining rule.
    pub controls: Vec<String>,
    /// The engine's crate version.
    pub engine_version: String,
}

/// The identifiers and time of one decision, supplied by the caller so the
/// engine stays deterministic (tests pin them; the CLI and the browser draw
/// them from their own clock and randomness).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionStamp {
    /// `dec_` + 12 lowercase hex.
    pub decision_id: String,
    /// `corr_` + 12 lowercase hex.
    pub correlation_id: String,
    /// RFC 3339 UTC timestamp.
    pub timestamp: String,
}

impl DecisionStamp {
    /// A stamp from 12 random bytes and a time in milliseconds since the
    /// Unix epoch.
    pub fn from_parts(random: [u8; 12], unix_millis: i64) -> DecisionStamp {
        let hex = hex::encode(random);
        DecisionStamp {
            decision_id: format!("dec_{}", &hex[..12]),
            correlation_id: format!("corr_{}", &hex[12..]),
            timestamp: crate::time::rfc3339_millis(unix_millis),
        }
    }

    /// A deterministic stamp: ids from a counter, a fixed time. For tests,
    /// golden files and the demo's `--deterministic` output.
    pub fn sequential(n: u64, timestamp: &str) -> DecisionStamp {
        DecisionStamp {
            decision_id: format!("dec_{n:012x}"),
            correlation_id: format!("corr_{n:012x}"),
            timestamp: timestamp.to_string(),
        }
    }
}
