//! The MCP server: CAVRA's decisions as Model Context Protocol tools, so an
//! agent can ask before it acts.
//!
//! Transport is stdio: one JSON-RPC 2.0 message per line on stdin, one reply
//! per request on stdout, logs on stderr only (stdout carries nothing but
//! protocol). A malformed line gets a -32700 reply and the loop goes on; a
//! notification never gets a reply. Requests that arrive before
//! `initialize` are answered as usual: refusing them would only break
//! clients that ping or list tools early, and nothing here depends on the
//! handshake.
//!
//! The server holds one compiled policy and one session. Every decision it
//! makes is appended to the session log in memory and on disk, so
//! `cavra.export_evidence` bundles exactly what was decided here. What
//! needs the native platform (clock, randomness, file locks, atomic bundle
//! writes) comes in through [`Host`], implemented by the CLI.

mod args;
mod protocol;
mod tools;

use crate::decision::{Decision, DecisionStamp};
use crate::evidence::session_log::SessionLog;
use crate::evidence::BundleFile;
use crate::policy::compile::CompiledPolicy;
use crate::policy::library::Library;
use crate::DecideOptions;
use protocol::Incoming;
use serde_json::Value;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

/// Longest accepted message line, in bytes; a longer line is answered with
/// -32700 and skipped.
const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// The native services the server needs.
pub(crate) trait Host {
    /// A fresh decision stamp (ids and time).
    fn stamp(&self) -> DecisionStamp;
    /// The current time, RFC 3339 UTC.
    fn now(&self) -> String;
    /// Appends a decision to its session's log under `workspace`; returns
    /// the log's path.
    fn append(&self, workspace: &Path, decision: &Decision) -> Result<PathBuf, String>;
    /// Writes a bundle (directory, or ZIP when `out` ends in `.zip`).
    fn write_bundle(
        &self,
        files: &[BundleFile],
        created_at: &str,
        out: &Path,
        overwrite: bool,
    ) -> Result<(), String>;
}

/// Whether `tools/list` shows the dotted names, the underscore aliases or
/// both. Both forms are always callable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ToolNames {
    /// `cavra.check_command` and `cavra_check_command` (default).
    Both,
    /// Only `cavra.check_command`.
    Dotted,
    /// Only `cavra_check_command`, for clients that reject dots.
    Underscore,
}

/// Everything prepared before serving.
pub(crate) struct Config {
    /// The policy, compiled once.
    pub policy: CompiledPolicy,
    /// The packs, for `cavra.policy_list` and `cavra.policy_validate`.
    pub library: Library,
    /// Mode override and workspace for every decision.
    pub options: DecideOptions,
    /// Absolute workspace root.
    pub workspace: PathBuf,
    /// The session every decision belongs to.
    pub session_id: String,
    /// Ed25519 key for bundles (absolute): `--key` or `CAVRA_EVIDENCE_KEY`.
    pub key: Option<PathBuf>,
    /// Names listed by `tools/list`.
    pub tool_names: ToolNames,
}

/// The server: its configuration and what it has decided so far.
pub(crate) struct Server<H: Host> {
    config: Config,
    host: H,
    log: SessionLog,
    decisions: Vec<Decision>,
}

impl<H: Host> Server<H> {
    /// A server with an empty session.
    pub fn new(config: Config, host: H) -> Self {
        Server {
            config,
            host,
            log: SessionLog::new(),
            decisions: Vec::new(),
        }
    }

    /// Serves until `input` ends. Only I/O errors on `output` stop it.
    pub fn serve(&mut self, input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
        let mut input = input;
        let mut line = Vec::new();
        loop {
            line.clear();
            let read = input
                .by_ref()
                .take(MAX_LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut line)?;
            if read == 0 {
                return Ok(());
            }
            let reply = if line.len() > MAX_LINE_BYTES && line.last() != Some(&b'\n') {
                skip_rest_of_line(&mut input)?;
                Some(protocol::parse_error(&format!(
                    "message longer than {MAX_LINE_BYTES} bytes"
                )))
            } else {
                self.handle_line(&line)
            };
            if let Some(reply) = reply {
                let mut text = serde_json::to_string(&reply)?;
                text.push('\n');
                output.write_all(text.as_bytes())?;
                output.flush()?;
            }
        }
    }

    /// The reply to one line, if it needs one.
    fn handle_line(&mut self, line: &[u8]) -> Option<Value> {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        match protocol::parse(line) {
            Incoming::Invalid(reply) => Some(reply),
            Incoming::Notification { method } => {
                if method != "notifications/initialized" && method != "notifications/cancelled" {
                    eprintln!("cavra mcp: ignoring notification `{method}`");
                }
                None
            }
            Incoming::Request { id, method, params } => {
                let result = self.request(&method, &params);
                Some(match result {
                    Ok(value) => protocol::success(id, value),
                    Err((code, message)) => protocol::error(id, code, &message),
                })
            }
        }
    }

    fn request(&mut self, method: &str, params: &Value) -> Result<Value, (i64, String)> {
        match method {
            "initialize" => Ok(protocol::initialize_result(params)),
            "ping" => Ok(serde_json::json!({})),
            "tools/list" => Ok(serde_json::json!({"tools": tools::list(self.config.tool_names)})),
            "tools/call" => tools::call(self, params),
            _ => Err((
                protocol::METHOD_NOT_FOUND,
                format!("method `{method}` not found"),
            )),
        }
    }

    /// Records a decision: in memory, then on disk. The error says the
    /// decision was made but not recorded.
    fn record(&mut self, decision: &Decision) -> Result<(), String> {
        self.log.append(decision);
        self.decisions.push(decision.clone());
        self.host
            .append(&self.config.workspace, decision)
            .map(|_| ())
            .map_err(|e| {
                format!(
                    "decision {} ({} by {}) was made but could not be written to the session log, so it is not evidence; do not proceed: {e}",
                    decision.decision_id,
                    decision.effective_decision.as_str(),
                    decision.rule_id
                )
            })
    }
}

#[cfg(test)]
mod tests;

/// Discards input up to and including the next newline.
fn skip_rest_of_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            input.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        input.consume(n);
    }
}
