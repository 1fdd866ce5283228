//! `cavra evaluate`: actions as JSON, one object or JSON Lines streamed.
//!
//! JSON Lines are decided one line at a time as they arrive, so a producer
//! can pipe actions in and read decisions out. A bad line is reported with
//! its line number and the rest still run; the exit code is 2 at the end.

use super::exit::{CliError, CliResult, Outcome};
use super::policy_args::{ContextArgs, OutputArgs, PolicyArgs};
use super::{output, session, stamp};
use crate::action::ActionRequest;
use crate::decide::{decide, DecideOptions};
use crate::decision::Decision;
use crate::explain::explain;
use crate::policy::compile::CompiledPolicy;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;

/// `cavra evaluate --action-json FILE|-`.
#[derive(Debug, Clone, Args)]
pub struct EvaluateArgs {
    /// JSON action file, or `-` for stdin (one object, or JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub action_json: PathBuf,
    /// Policy selection.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Who is acting (fills fields the actions leave out).
    #[command(flatten)]
    pub context: ContextArgs,
    /// Output.
    #[command(flatten)]
    pub output: OutputArgs,
}

struct Runner<'a> {
    args: &'a EvaluateArgs,
    policy: CompiledPolicy,
    /// Built once: flags do not change between lines.
    options: DecideOptions,
    outcome: Outcome,
}

impl Runner<'_> {
    fn one(&mut self, request: ActionRequest, out: &mut impl Write) -> Result<Decision, CliError> {
        let mut request = request;
        if request.context.session_id.is_none() {
            request.context.session_id = self.args.context.session();
        }
        if request.context.agent_id.is_none() {
            request.context.agent_id = self.args.context.agent.clone();
        }
        if request.context.environment.is_none() {
            request.context.environment = self.args.context.environment.clone();
        }
        let decision = decide(&self.policy, &request, &self.options, stamp::fresh())?;
        if self.args.context.session().is_some() {
            session::append(&self.args.policy.workspace_dir(), &decision)?;
        }
        if let Some(level) = self.args.output.fail_on {
            if level.fails(decision.effective_decision) {
                self.outcome = self.outcome.worst(Outcome::Negative);
            }
        }
        Ok(decision).and_then(|d| {
            self.print(&d, out)?;
            Ok(d)
        })
    }

    fn print(&self, d: &Decision, out: &mut impl Write) -> Result<(), CliError> {
        if self.args.output.json {
            writeln!(out, "{}", serde_json::to_string(d)?)?;
        } else if self.args.output.explain {
            writeln!(out, "{}", explain(d))?;
        } else {
            output::print_decision(out, d)?;
        }
        Ok(())
    }
}

/// Runs `cavra evaluate`.
pub fn run(args: &EvaluateArgs) -> CliResult {
    let policy = args.policy.compile()?;
    let mut runner = Runner {
        args,
        policy,
        options: args.policy.options()?,
        outcome: Outcome::Success,
    };
    let from_stdin = args.action_json.as_os_str() == "-";
    let input: Box<dyn Read> = if from_stdin {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(&args.action_json).map_err(|e| {
            CliError::new(format!("cannot read `{}`: {e}", args.action_json.display()))
        })?)
    };
    let mut reader = BufReader::new(input);
    let mut out = anstream::stdout().lock();

    // Find the first non-empty line: if it is a whole JSON value, the input
    // is JSON Lines; otherwise it is one (pretty-printed) JSON document.
    let mut first = String::new();
    let mut line_no = 0usize;
    loop {
        first.clear();
        if reader.read_line(&mut first)? == 0 {
            return Err(CliError::new("no action in the input"));
        }
        line_no += 1;
        if !first.trim().is_empty() {
            break;
        }
    }
    if serde_json::from_str::<serde_json::Value>(first.trim()).is_err() {
        let mut rest = String::new();
        reader.read_to_string(&mut rest)?;
        let text = first + &rest;
        let request = ActionRequest::from_json_str(&text)?;
        runner.one(request, &mut out)?;
        return Ok(runner.outcome);
    }

    let progress = if std::io::stderr().is_terminal() && !from_stdin {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} decisions ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut line = first;
    loop {
        if !line.trim().is_empty() {
            let result = ActionRequest::from_json_str(line.trim())
                .map_err(CliError::from)
                .and_then(|r| runner.one(r, &mut out));
            if let Err(e) = result {
                progress.suspend(|| eprintln!("error: line {line_no}: {e}"));
                runner.outcome = runner.outcome.worst(Outcome::InputError);
            }
            progress.inc(1);
        }
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        line_no += 1;
    }
    progress.finish_and_clear();
    Ok(runner.outcome)
}
