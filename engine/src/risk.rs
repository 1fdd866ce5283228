//! The risk score: one number, 0-100, for sorting and dashboards.
//!
//! Score = base(severity) + the signals present, then clamped into the band
//! of the verdict so the number never contradicts it:
//!
//! | severity | base |   | signal | points |
//! |---|---|---|---|---|
//! | low | 10 | | secret path read | +10 |
//! | medium | 40 | | protected branch | +5 |
//! | high | 70 | | force push | +10 |
//! | critical | 90 | | production environment | +10 |
//! | | | | unknown MCP server | +5 |
//! | | | | download piped to an interpreter | +10 |
//! | | | | outside the workspace | +5 |
//! | | | | suspicious characters | +5 |
//!
//! Bands: block 70-100, require_approval 31-89, allow_with_attestation
//! 11-60, allow 0-30.

use crate::verdict::{Severity, Verdict};

/// Facts about an action that raise its risk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signals {
    /// A read of a path on a block list (secrets, keys, state).
    pub secret_path: bool,
    /// A git action on a protected branch.
    pub protected_branch: bool,
    /// A force push.
    pub force: bool,
    /// The action's environment is production.
    pub production: bool,
    /// An MCP server the policy does not trust.
    pub unknown_mcp_server: bool,
    /// A download piped into an interpreter.
    pub pipe_to_interpreter: bool,
    /// A path outside the workspace.
    pub outside_workspace: bool,
    /// Invisible or control characters in a target.
    pub suspicious: bool,
}

/// The risk score of a decision.
pub fn risk_score(severity: Severity, verdict: Verdict, signals: &Signals) -> u8 {
    let base: u32 = match severity {
        Severity::Low => 10,
        Severity::Medium => 40,
        Severity::High => 70,
        Severity::Critical => 90,
    };
    let points = [
        (signals.secret_path, 10),
        (signals.protected_branch, 5),
        (signals.force, 10),
        (signals.production, 10),
        (signals.unknown_mcp_server, 5),
        (signals.pipe_to_interpreter, 10),
        (signals.outside_workspace, 5),
        (signals.suspicious, 5),
    ]
    .iter()
    .filter(|(present, _)| *present)
    .map(|(_, p)| p)
    .sum::<u32>();
    let (low, high) = match verdict {
        Verdict::Block => (70, 100),
        Verdict::RequireApproval => (31, 89),
        Verdict::AllowWithAttestation => (11, 60),
        Verdict::Allow => (0, 30),
    };
    let score = (base + points).clamp(low, high);
    u8::try_from(score).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_never_contradicts_verdict() {
        let all = Signals {
            secret_path: true,
            protected_branch: true,
            force: true,
            production: true,
            unknown_mcp_server: true,
            pipe_to_interpreter: true,
            outside_workspace: true,
            suspicious: true,
        };
        for severity in [
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ] {
            for signals in [Signals::default(), all] {
                assert!(risk_score(severity, Verdict::Block, &signals) >= 70);
                assert!(risk_score(severity, Verdict::Allow, &signals) <= 30);
                assert!(risk_score(severity, Verdict::Block, &signals) <= 100);
            }
        }
        assert_eq!(
            risk_score(Severity::High, Verdict::Block, &Signals::default()),
            70
        );
        assert_eq!(risk_score(Severity::Critical, Verdict::Block, &all), 100);
        assert_eq!(
            risk_score(Severity::Low, Verdict::Allow, &Signals::default()),
            10
        );
    }
}
