//! `cavra mcp` (also the `cavra-mcp-server` binary): the MCP server on
//! stdio. This file parses the flags, prepares the policy, session and
//! workspace once, and hands the native services (clock, randomness,
//! locked log appends, atomic bundle writes) to `crate::mcp`.

use super::exit::CliError;
use super::policy_args::{library, PolicyArgs};
use super::{evidence, session, stamp};
use crate::decision::{Decision, DecisionStamp};
use crate::evidence::BundleFile;
use crate::mcp::{Config, Host, Server, ToolNames};
use clap::{Args, Parser, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `cavra mcp`.
#[derive(Debug, Clone, Args)]
pub struct McpArgs {
    /// Policy selection [default: env CAVRA_POLICY (a file), else env CAVRA_POLICY_PACK, else the baseline pack].
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Session id [default: env CAVRA_SESSION, else mcp-<timestamp>-<pid>].
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Ed25519 private key (PKCS#8 PEM) for cavra.export_evidence [default: env CAVRA_EVIDENCE_KEY, else .cavra/keys/cavra-ed25519.pem if present, else SHA256].
    #[arg(long, value_name = "PEM")]
    pub key: Option<PathBuf>,
    /// Tool names listed by tools/list (both forms are always callable).
    #[arg(long, value_enum, default_value = "both")]
    pub tool_names: ToolNamesArg,
}

/// `--tool-names` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ToolNamesArg {
    /// `cavra.check_command` and `cavra_check_command`.
    Both,
    /// Only `cavra.check_command`.
    Dotted,
    /// Only `cavra_check_command`, for clients that reject dots in names.
    Underscore,
}

/// The `cavra-mcp-server` binary: the same flags as `cavra mcp`.
#[derive(Debug, Parser)]
#[command(
    name = "cavra-mcp-server",
    version,
    about = "CAVRA's MCP server on stdio (the same as `cavra mcp`)."
)]
struct Standalone {
    #[command(flatten)]
    args: McpArgs,
}

/// The native services.
struct NativeHost;

impl Host for NativeHost {
    fn stamp(&self) -> DecisionStamp {
        stamp::fresh()
    }

    fn now(&self) -> String {
        crate::rfc3339_millis(stamp::now_millis())
    }

    fn append(&self, workspace: &Path, decision: &Decision) -> Result<PathBuf, String> {
        session::append(workspace, decision).map_err(|e| e.to_string())
    }

    fn write_bundle(
        &self,
        files: &[BundleFile],
        created_at: &str,
        out: &Path,
        overwrite: bool,
    ) -> Result<(), String> {
        evidence::write_bundle(files, created_at, out, overwrite).map_err(|e| e.to_string())
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Compiles the policy and settles the session: everything before serving.
fn prepare(args: &McpArgs) -> Result<Config, CliError> {
    let mut policy_args = args.policy.clone();
    if policy_args.policy.is_none() && policy_args.pack.is_none() {
        policy_args.policy = env("CAVRA_POLICY").map(PathBuf::from);
    }
    let policy = policy_args.compile()?;
    let library = library(policy_args.policy_dir.as_deref())?;
    let session_id = match args.session.clone().or_else(|| env("CAVRA_SESSION")) {
        Some(id) => id,
        None => format!(
            "mcp-{}-{}",
            crate::rfc3339_millis(stamp::now_millis()).replace([':', '.'], "-"),
            std::process::id()
        ),
    };
    if !session::valid_session_id(&session_id) {
        return Err(CliError::new(format!(
            "session id `{session_id}` is not usable as a file name: use letters, digits, `.`, `_` and `-`"
        )));
    }
    Ok(Config {
        policy,
        library,
        options: policy_args.options()?,
        workspace: policy_args.workspace_dir(),
        session_id,
        // Relative to where the server was started, as with every CLI path.
        key: args
            .key
            .clone()
            .or_else(|| env("CAVRA_EVIDENCE_KEY").map(PathBuf::from))
            .map(|k| std::path::absolute(&k).unwrap_or(k)),
        tool_names: match args.tool_names {
            ToolNamesArg::Both => ToolNames::Both,
            ToolNamesArg::Dotted => ToolNames::Dotted,
            ToolNamesArg::Underscore => ToolNames::Underscore,
        },
    })
}

/// Runs the server until stdin closes.
pub fn run(args: &McpArgs) -> super::exit::CliResult {
    let config = prepare(args)?;
    eprintln!(
        "cavra mcp: serving on stdio (policy {} {}, session {}, workspace {})",
        config.policy.id(),
        config.policy.version(),
        config.session_id,
        config.workspace.display()
    );
    let mut server = Server::new(config, NativeHost);
    server.serve(std::io::stdin().lock(), std::io::stdout().lock())?;
    Ok(super::exit::Outcome::Success)
}

/// Entry point of the `cavra-mcp-server` binary.
pub fn server_main() -> ExitCode {
    let cli = Standalone::parse();
    match run(&cli.args) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(2)
        }
    }
}
