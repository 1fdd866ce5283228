//! CAVRA against cedar-policy and regorus on one agent workload.
//!
//! [`workload`] makes the actions; [`cavra_engine`], [`cedar_engine`] and
//! [`rego_engine`] each hold one engine with its policy compiled or parsed
//! once and every per-action input built up front, and decide action `i`
//! to a [`Verdict`]. The agreement test (`tests/agreement.rs`) checks the
//! three agree on every action; `peer-bench` (`src/main.rs`) times them.

pub mod cavra_engine;
pub mod cedar_engine;
pub mod rego_engine;
pub mod workload;

use std::fmt;

/// The four verdicts, least restrictive first (so `max` is the most
/// restrictive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Go ahead.
    Allow,
    /// Go ahead, with an AI attestation.
    AllowWithAttestation,
    /// A human approves first.
    RequireApproval,
    /// Never.
    Block,
}

impl Verdict {
    /// Parses the policy spelling (`block`, `require_approval`, ...).
    pub fn parse(text: &str) -> Option<Verdict> {
        Some(match text {
            "allow" => Verdict::Allow,
            "allow_with_attestation" => Verdict::AllowWithAttestation,
            "require_approval" => Verdict::RequireApproval,
            "block" => Verdict::Block,
            _ => return None,
        })
    }

    /// The policy spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::AllowWithAttestation => "allow_with_attestation",
            Verdict::RequireApproval => "require_approval",
            Verdict::Block => "block",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Splits a command line into its simple commands at `&&`, `||`, `;` and
/// `|`, for the peers (which cannot lex a shell). Done once per action,
/// outside every timed loop. Good enough for this workload's commands
/// (no quoted separators); CAVRA does its own, full lexing inside `decide`.
pub fn split_command(command: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = command;
    loop {
        let cut = ["&&", "||", ";", "|"]
            .iter()
            .filter_map(|sep| rest.find(sep).map(|at| (at, sep.len())))
            .min();
        match cut {
            Some((at, len)) => {
                parts.push(rest[..at].trim().to_string());
                rest = &rest[at + len..];
            }
            None => {
                parts.push(rest.trim().to_string());
                break;
            }
        }
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// What the peers get for a command line: [`split_command`], and for a
/// part run under `sudo` also the unwrapped command (as CAVRA's analyser
/// reports both `sudo X` and `X`). Built once per action, outside every
/// timed loop.
pub fn peer_parts(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in split_command(command) {
        let inner = part
            .strip_prefix("sudo ")
            .map(|rest| rest.trim().to_string());
        out.push(part);
        out.extend(inner);
    }
    out
}
