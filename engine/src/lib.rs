//! CAVRA: a runtime authority for AI coding agents.
//!
//! Before an agent reads or writes a file, runs a command, pushes with git,
//! calls an MCP tool or fetches a URL, CAVRA evaluates the action against a
//! policy and answers allow, allow_with_attestation, require_approval or
//! block, with the rule, reason, severity and risk score.
//!
//! ```
//! use cavra::{ActionRequest, CompiledPolicy, DecideOptions, DecisionStamp, Library, Verdict};
//!
//! let policy = Library::embedded().load_pack("cavra-ai-agent-baseline").unwrap();
//! let policy = CompiledPolicy::compile(&policy).unwrap();
//! let request = ActionRequest::from_json_str(r#"{"type": "file_read", "path": "config/.env"}"#).unwrap();
//! let stamp = DecisionStamp::sequential(1, "2026-11-25T10:00:00.000Z");
//! let decision = cavra::decide(&policy, &request, &DecideOptions::default(), stamp).unwrap();
//! assert_eq!(decision.decision, Verdict::Block);
//! assert_eq!(decision.rule_id, "filesystem.read.block");
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Diagnostics carry file, line, column, path and help; they are returned
// only when loading fails, never on the decision path, so their size costs
// nothing that matters.
#![allow(clippy::result_large_err)]
// A panic kills the WebAssembly module and fails open a CLI hook: no
// unwrap, expect or panic outside tests.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod action;
pub mod analyze;
pub mod api;
mod decide;
mod decision;
pub mod evidence;
mod explain;
#[cfg(feature = "cli")]
mod hooks;
pub mod policy;
pub mod posture;
mod risk;
pub mod scenario;
mod time;
mod verdict;

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
mod mcp;

pub use action::{Action, ActionContext, ActionKind, ActionRequest, InputError};
pub use decide::{decide, DecideOptions, DEFAULT_WORKSPACE};
pub use decision::{Decision, DecisionStamp, DerivedAction, MatchedRule};
pub use explain::explain;
pub use policy::compile::CompiledPolicy;
pub use policy::diagnostic::{Diagnostic, Level, Span};
pub use policy::library::{Library, PackText, DEFAULT_PACK};
pub use policy::model::Policy;
pub use posture::{assess, Posture, PostureOptions};
pub use risk::{risk_score, Signals};
pub use time::rfc3339_millis;
pub use verdict::{Mode, Severity, Verdict};

/// The crate version, reported in every decision.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
