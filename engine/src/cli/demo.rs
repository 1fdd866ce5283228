//! `cavra demo`: the canonical "Before the agent acts" run, as a table or
//! as JSON decision records.

use super::exit::{CliResult, Outcome};
use super::output::verdict_style;
use super::policy_args::PolicyArgs;
use super::stamp;
use crate::decide::decide;
use crate::scenario::Scenario;
use crate::verdict::Verdict;
use clap::Args;
use std::io::Write;

/// `cavra demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Print the decision records as a JSON array.
    #[arg(long)]
    pub json: bool,
    /// Policy selection (default: the scenario's pack).
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Runs `cavra demo`.
pub fn run(args: &DemoArgs) -> CliResult {
    let scenario = Scenario::before_the_agent_acts()?;
    let mut policy_args = args.policy.clone();
    if policy_args.policy.is_none() && policy_args.pack.is_none() {
        policy_args.pack = Some(scenario.policy_pack.clone());
    }
    let policy = policy_args.compile()?;
    let options = policy_args.options();
    let mut decisions = Vec::new();
    for (request, _) in scenario.requests()? {
        decisions.push(decide(&policy, &request, &options, stamp::fresh())?);
    }
    let mut out = anstream::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&decisions)?)?;
        return Ok(Outcome::Success);
    }
    writeln!(out, "{}\n{}\n", scenario.title, scenario.description)?;
    writeln!(
        out,
        "{:<3} {:<16} {:<32} {:<24} {:<40} severity",
        "#", "action", "target", "decision", "rule"
    )?;
    for (i, d) in decisions.iter().enumerate() {
        let style = verdict_style(d.decision);
        let target: String = d.target.chars().take(32).collect();
        writeln!(
            out,
            "{:<3} {:<16} {:<32} {style}{:<24}{style:#} {:<40} {}",
            i + 1,
            d.action_type,
            target,
            d.decision.as_str(),
            d.rule_id,
            d.severity
        )?;
    }
    let count = |v: Verdict| decisions.iter().filter(|d| d.decision == v).count();
    writeln!(
        out,
        "\n{} decisions: {} block, {} require_approval, {} allow_with_attestation, {} allow (policy {} {})",
        decisions.len(),
        count(Verdict::Block),
        count(Verdict::RequireApproval),
        count(Verdict::AllowWithAttestation),
        count(Verdict::Allow),
        policy.id(),
        policy.version()
    )?;
    Ok(Outcome::Success)
}
