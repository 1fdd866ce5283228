//! The small vocabularies every decision is written in: verdicts, severities
//! and enforcement modes.
//!
//! They are ordered so "most restrictive" and "most severe" are plain `max`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What the caller must do with an action, least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Go ahead.
    Allow,
    /// Go ahead, and record an attestation for reviewers.
    AllowWithAttestation,
    /// Stop until a human approves.
    RequireApproval,
    /// Never.
    Block,
}

impl Verdict {
    /// Every verdict, least restrictive first.
    pub const ALL: [Verdict; 4] = [
        Verdict::Allow,
        Verdict::AllowWithAttestation,
        Verdict::RequireApproval,
        Verdict::Block,
    ];

    /// The snake_case name used in JSON and YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::AllowWithAttestation => "allow_with_attestation",
            Verdict::RequireApproval => "require_approval",
            Verdict::Block => "block",
        }
    }

    /// Parses a verdict name, accepting the aliases of older CAVRA packs
    /// (`deny`, `requires_approval`).
    pub fn parse(text: &str) -> Option<Verdict> {
        match text {
            "allow" => Some(Verdict::Allow),
            "allow_with_attestation" => Some(Verdict::AllowWithAttestation),
            "require_approval" | "requires_approval" => Some(Verdict::RequireApproval),
            "block" | "deny" => Some(Verdict::Block),
            _ => None,
        }
    }

    /// True for the verdicts that let the action proceed.
    pub fn is_allowed(self) -> bool {
        self <= Verdict::AllowWithAttestation
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much harm the action could do, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Routine.
    Low,
    /// Worth a look.
    Medium,
    /// Damaging if wrong.
    High,
    /// Destructive, irreversible or privilege-changing.
    Critical,
}

impl Severity {
    /// The lowercase name used in JSON and YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a severity name.
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a verdict is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The verdict is what the caller must do.
    Enforce,
    /// Shadow mode: verdicts are recorded, everything proceeds.
    AuditOnly,
    /// No implicit allow: unmatched actions need approval.
    Strict,
    /// Emergency access: blocks become approvals by the change advisory board.
    BreakGlass,
}

impl Mode {
    /// The snake_case name used in JSON and YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::AuditOnly => "audit_only",
            Mode::Strict => "strict",
            Mode::BreakGlass => "break_glass",
        }
    }

    /// Parses a mode name (`strict_regulated` is an alias of `strict`).
    pub fn parse(text: &str) -> Option<Mode> {
        match text {
            "enforce" => Some(Mode::Enforce),
            "audit_only" | "audit" | "shadow" => Some(Mode::AuditOnly),
            "strict" | "strict_regulated" => Some(Mode::Strict),
            "break_glass" => Some(Mode::BreakGlass),
            _ => None,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
