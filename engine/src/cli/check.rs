//! `cavra check`: the quick forms, one action from the command line.

use super::exit::{CliResult, Outcome};
use super::policy_args::{ContextArgs, OutputArgs, PolicyArgs};
use super::{output, session, stamp};
use crate::action::{git_action, Action, ActionContext, ActionRequest};
use crate::decide::decide;
use crate::explain::explain;
use clap::{Args, Subcommand};
use std::io::Write;

/// The action to check.
#[derive(Debug, Clone, Subcommand)]
pub enum CheckTarget {
    /// Reading a file.
    Read {
        /// The path.
        path: String,
    },
    /// Writing a file.
    Write {
        /// The path.
        path: String,
    },
    /// Running a shell command (quote it).
    Command {
        /// The command line.
        command: String,
    },
    /// A git operation (push, delete_branch, force_push, merge, ...).
    Git {
        /// The operation.
        operation: String,
        /// The remote.
        remote: Option<String>,
        /// The branch or ref.
        #[arg(value_name = "REF")]
        reference: Option<String>,
        /// A force push.
        #[arg(long)]
        force: bool,
    },
    /// Calling an MCP tool.
    Mcp {
        /// Server name.
        server: String,
        /// Tool name.
        tool: String,
        /// Capability the tool uses.
        #[arg(long)]
        capability: Option<String>,
    },
    /// Fetching a URL.
    Url {
        /// The URL.
        url: String,
    },
    /// Opening a pull request.
    Pr {
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Source branch.
        #[arg(long)]
        branch: Option<String>,
    },
}

/// `cavra check ...`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// What to check.
    #[command(subcommand)]
    pub target: CheckTarget,
    /// Policy selection.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Who is acting.
    #[command(flatten)]
    pub context: ContextArgs,
    /// Output.
    #[command(flatten)]
    pub output: OutputArgs,
}

impl CheckTarget {
    /// The action this target describes.
    pub fn action(&self) -> Action {
        match self.clone() {
            CheckTarget::Read { path } => Action::FileRead { path },
            CheckTarget::Write { path } => Action::FileWrite { path },
            CheckTarget::Command { command } => Action::Command { command },
            CheckTarget::Git {
                operation,
                remote,
                reference,
                force,
            } => Action::Git(git_action(&operation, remote, reference, force)),
            CheckTarget::Mcp {
                server,
                tool,
                capability,
            } => Action::McpToolCall {
                server,
                tool,
                capability,
                arguments: serde_json::Value::Null,
            },
            CheckTarget::Url { url } => Action::Network { url },
            CheckTarget::Pr { title, branch } => Action::PullRequest { title, branch },
        }
    }
}

/// Builds the request from flags.
pub fn request(target: &CheckTarget, context: &ContextArgs) -> ActionRequest {
    ActionRequest {
        action: target.action(),
        context: ActionContext {
            session_id: context.session(),
            agent_id: context.agent.clone(),
            actor: None,
            environment: context.environment.clone(),
            workspace: None,
        },
    }
}

/// Runs `cavra check`.
pub fn run(args: &CheckArgs, force_explain: bool) -> CliResult {
    let policy = args.policy.compile()?;
    let request = request(&args.target, &args.context);
    let decision = decide(&policy, &request, &args.policy.options()?, stamp::fresh())?;
    if args.context.session().is_some() {
        session::append(&args.policy.workspace_dir(), &decision)?;
    }
    let mut out = anstream::stdout().lock();
    if args.output.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&decision)?)?;
    } else if force_explain || args.output.explain {
        write!(out, "{}", explain(&decision))?;
    } else {
        output::print_decision(&mut out, &decision)?;
    }
    if args.output.json && args.output.explain {
        eprint!("{}", explain(&decision));
    }
    Ok(match args.output.fail_on {
        Some(level) if level.fails(decision.effective_decision) => Outcome::Negative,
        _ => Outcome::Success,
    })
}
