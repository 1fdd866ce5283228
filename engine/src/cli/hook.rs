//! `cavra hook claude-code`: answers one Claude Code hook event read on
//! stdin, before (PreToolUse) or after (PostToolUse) every tool call.
//!
//! It runs once per tool call, so it does only what one answer needs: read
//! the event, compile the one chosen pack, decide, append the decision to
//! `<cwd>/.cavra/sessions/<session_id>.jsonl`, print the answer.
//!
//! It fails closed. Whatever goes wrong (unreadable or oversized stdin, a
//! missing field, a session id unusable as a file name, a policy that does
//! not load, a log that cannot be written, even a panic) prints a `deny`
//! answer on stdout, the error on stderr, and exits 2: Claude Code blocks a
//! PreToolUse call on exit 2 whatever stdout holds, and shows stderr to the
//! model, so the tool does not run even if the JSON were lost.

use super::exit::{CliError, CliResult, Outcome};
use super::policy_args::{ModeArg, PolicyArgs};
use super::{session, stamp};
use crate::decide::{decide, DecideOptions};
use crate::hooks::claude_code::{self, HookEvent, HookEventName};
use crate::verdict::Mode;
use clap::{Args, Subcommand};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::PathBuf;

/// Largest hook event read from stdin, in bytes; a larger one is denied.
pub const MAX_EVENT_BYTES: usize = 4 * 1024 * 1024;

/// `cavra hook <agent>`.
#[derive(Debug, Clone, Args)]
pub struct HookArgs {
    /// The agent whose hook event is on stdin.
    #[command(subcommand)]
    pub agent: HookAgent,
}

/// The agents with a hook.
#[derive(Debug, Clone, Subcommand)]
pub enum HookAgent {
    /// Answer one Claude Code PreToolUse/PostToolUse event (JSON on stdin).
    ClaudeCode(HookPolicyArgs),
}

/// Which policy the hook evaluates with.
#[derive(Debug, Clone, Args)]
pub struct HookPolicyArgs {
    /// Policy file (YAML or JSON) [default: env CAVRA_POLICY].
    #[arg(long, value_name = "FILE", conflicts_with = "pack")]
    pub policy: Option<PathBuf>,
    /// Pack id [default: env CAVRA_POLICY_PACK, else cavra-ai-agent-baseline].
    #[arg(long, value_name = "ID")]
    pub pack: Option<String>,
    /// Directory of packs (<id>/policy.yaml) [default: env CAVRA_POLICY_DIR, else ./policies, else the built-in packs].
    #[arg(long, value_name = "DIR")]
    pub policy_dir: Option<PathBuf>,
    /// Override the policy's mode.
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// MCP trust registry (JSON list of server records).
    #[arg(long, value_name = "FILE")]
    pub mcp_registry: Option<PathBuf>,
}

impl HookPolicyArgs {
    /// The shared policy options; `CAVRA_POLICY` names a file when no flag
    /// chose a policy or pack.
    fn policy_args(&self) -> PolicyArgs {
        let policy = self.policy.clone().or_else(|| {
            if self.pack.is_some() {
                return None;
            }
            std::env::var_os("CAVRA_POLICY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        PolicyArgs {
            policy,
            pack: self.pack.clone(),
            policy_dir: self.policy_dir.clone(),
            mode: self.mode,
            workspace: None,
            mcp_registry: self.mcp_registry.clone(),
        }
    }
}

/// Runs `cavra hook`.
pub fn run(args: &HookArgs) -> CliResult {
    match &args.agent {
        HookAgent::ClaudeCode(policy) => claude_code(policy),
    }
}

fn claude_code(args: &HookPolicyArgs) -> CliResult {
    // A panic would exit 101, which Claude Code treats as a non-blocking
    // error: the tool would run. Catch it and deny instead.
    let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(args)))
        .unwrap_or_else(|_| Err(CliError::new("internal error (panic)")));
    let mut out = std::io::stdout().lock();
    match answer {
        Ok(Some(value)) => {
            writeln!(out, "{value}")?;
            Ok(Outcome::Success)
        }
        Ok(None) => Ok(Outcome::Success),
        Err(e) => {
            let message = e.to_string();
            let _ = writeln!(out, "{}", claude_code::fail_closed_output(&message));
            let _ = writeln!(std::io::stderr(), "CAVRA failed closed: {message}");
            Ok(Outcome::InputError)
        }
    }
}

/// Decides one event and records it; the JSON to print, if any.
fn answer(args: &HookPolicyArgs) -> Result<Option<Value>, CliError> {
    let text = read_event()?;
    let event = HookEvent::parse(&text)?;
    // Refuse an unusable session id before any work.
    session::log_path(&event.cwd, &event.session_id)?;
    let policy_args = args.policy_args();
    let policy = policy_args.compile()?;
    let mode_override = args.mode.map(Mode::from);
    let decision = match event.request() {
        Some(request) => {
            let options = DecideOptions {
                workspace: Some(event.cwd.display().to_string()),
                ..policy_args.options()?
            };
            decide(&policy, &request, &options, stamp::fresh())?
        }
        None => claude_code::unknown_tool_decision(
            &policy,
            mode_override.unwrap_or(policy.mode),
            &event,
            stamp::fresh(),
        ),
    };
    session::append(&event.cwd, &decision)?;
    Ok(match event.event {
        HookEventName::PreToolUse => Some(claude_code::pre_tool_use_output(&decision)),
        // After the call there is nothing to decide; printing nothing on
        // exit 0 lets Claude Code carry on.
        HookEventName::PostToolUse => None,
    })
}

/// Reads stdin whole, up to [`MAX_EVENT_BYTES`].
fn read_event() -> Result<String, CliError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_EVENT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::new(format!("cannot read stdin: {e}")))?;
    if bytes.len() > MAX_EVENT_BYTES {
        return Err(CliError::new(format!(
            "the hook event is over the limit of {MAX_EVENT_BYTES} bytes"
        )));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CliError::new(
            "stdin is empty: expected one hook event (JSON)",
        ));
    }
    String::from_utf8(bytes).map_err(|_| CliError::new("the hook event is not UTF-8"))
}
