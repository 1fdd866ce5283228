//! The native `cavra` command line: clap structs that only parse, one file
//! per subcommand, and a single place that maps outcomes to exit codes.

mod check;
mod demo;
mod evaluate;
mod evidence;
mod exit;
mod hook;
mod init;
mod keys;
mod mcp;
mod output;
mod policy;
mod policy_args;
mod session;
mod stamp;

use clap::{CommandFactory, Parser, Subcommand};
use exit::{CliResult, Outcome};
/// Entry point of the `cavra-mcp-server` binary.
pub use mcp::server_main as mcp_server_main;
use std::io::Write;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  cavra check read .env
  cavra check command \"terraform plan && terraform apply\" --explain
  cavra check git push origin main --json
  cavra evaluate --action-json actions.jsonl --json
  cavra policy test
  cavra demo";

/// CAVRA: a runtime authority for AI coding agents.
#[derive(Debug, Parser)]
#[command(name = "cavra", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check one action: read, write, command, git, mcp, url or pr.
    Check(check::CheckArgs),
    /// Evaluate actions given as JSON (one object, or JSON Lines).
    Evaluate(evaluate::EvaluateArgs),
    /// Work with policies: list, show, validate, lint, test, explain, fmt, compile, diff, schema.
    Policy(policy::PolicyArgs),
    /// Bundle, verify and export evidence.
    Evidence(evidence::EvidenceArgs),
    /// Manage signing keys.
    Keys(keys::KeysArgs),
    /// Run the "Before the agent acts" scenario.
    Demo(demo::DemoArgs),
    /// Answer an agent hook event on stdin (claude-code).
    Hook(hook::HookArgs),
    /// Set a project up for an agent (claude-code).
    Init(init::InitArgs),
    /// MCP server on stdio.
    Mcp(mcp::McpArgs),
    /// Print the version.
    Version {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Parses the command line, runs the command, and returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result: CliResult = match &cli.command {
        Command::Check(args) => check::run(args, false),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Policy(args) => policy::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Hook(args) => hook::run(args),
        Command::Init(args) => init::run(args),
        Command::Mcp(args) => mcp::run(args),
        Command::Evidence(args) => evidence::run(args),
        Command::Keys(args) => keys::run(args),
        Command::Version { json } => version(*json),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(*shell, &mut command, "cavra", &mut std::io::stdout());
            Ok(Outcome::Success)
        }
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) if e.is_broken_pipe() => Outcome::Success,
        Err(e) => {
            // Diagnostics arrive already prefixed with their level.
            let text = e.to_string();
            let prefix = if text.starts_with("error: ") {
                ""
            } else {
                "error: "
            };
            let _ = writeln!(anstream::stderr(), "{prefix}{text}");
            Outcome::InputError
        }
    };
    ExitCode::from(outcome.code())
}

fn version(json: bool) -> CliResult {
    let mut out = std::io::stdout().lock();
    if json {
        let packs = crate::policy::library::Library::embedded().packs().len();
        writeln!(
            out,
            "{}",
            serde_json::json!({"name": "cavra", "version": crate::ENGINE_VERSION, "embedded_packs": packs})
        )?;
    } else {
        writeln!(out, "cavra {}", crate::ENGINE_VERSION)?;
    }
    Ok(Outcome::Success)
}
