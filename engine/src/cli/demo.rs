//! `cavra demo`: the canonical "Before the agent acts" run, as a table or
//! as JSON decision records.

use super::evidence::write_bundle;
use super::exit::{CliError, CliResult, Outcome};
use super::keys::{fresh_key_pair, write_key_pair, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE};
use super::output::verdict_style;
use super::policy_args::PolicyArgs;
use super::stamp;
use crate::decide::decide;
use crate::decision::Decision;
use crate::evidence::session_log::SessionLog;
use crate::evidence::signature::{parse_private_pem, Signer};
use crate::evidence::{build_bundle_for, BundleContext, PolicyRef};
use crate::policy::compile::CompiledPolicy;
use crate::rfc3339_millis;
use crate::scenario::Scenario;
use crate::verdict::Verdict;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `cavra demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Print the decision records as a JSON array.
    #[arg(long)]
    pub json: bool,
    /// Where to write the evidence bundle (a folder and a ZIP).
    #[arg(long, value_name = "DIR", default_value = ".cavra/demo")]
    pub out: PathBuf,
    /// Ed25519 private key to sign with [default: .cavra/keys/cavra-ed25519.pem, created if missing].
    #[arg(long, value_name = "PEM")]
    pub key: Option<PathBuf>,
    /// Policy selection (default: the scenario's pack).
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Signs the demo's bundle: the given key, else the local key, else a new
/// local key. Returns the signer and the public key path to verify with.
fn demo_signer(key: Option<&Path>) -> Result<(Signer, String), CliError> {
    let dir = PathBuf::from(".cavra/keys");
    let (private, public) = match key {
        Some(path) => (path.to_path_buf(), "<your public key>".to_string()),
        None => {
            if !dir.join(PRIVATE_KEY_FILE).exists() {
                write_key_pair(&dir, &fresh_key_pair()?, false)?;
            }
            (
                dir.join(PRIVATE_KEY_FILE),
                dir.join(PUBLIC_KEY_FILE).display().to_string(),
            )
        }
    };
    let pem = std::fs::read_to_string(&private)
        .map_err(|e| CliError::new(format!("cannot read `{}`: {e}", private.display())))?;
    let key = parse_private_pem(&pem)
        .map_err(|e| CliError::new(format!("{}: {e}", private.display())))?;
    Ok((Signer::Ed25519 { key, key_id: None }, public))
}

/// Writes the demo session as a signed bundle folder and ZIP; returns the
/// ZIP's path and the public key to verify it with.
fn write_evidence(
    args: &DemoArgs,
    scenario: &Scenario,
    policy: &CompiledPolicy,
    decisions: &[Decision],
) -> Result<(PathBuf, String), CliError> {
    let mut log = SessionLog::new();
    for decision in decisions {
        log.append(decision);
    }
    let created_at = rfc3339_millis(stamp::now_millis());
    let ctx = BundleContext {
        session_id: scenario.session_id.clone(),
        created_at: created_at.clone(),
        policy: PolicyRef {
            id: policy.id().to_string(),
            version: policy.version().to_string(),
            digest: policy.digest.clone(),
        },
        retention_days: 2555,
        legal_hold: false,
        classification: "regulated-sdlc".into(),
        signer: "local".into(),
    };
    let (signer, public) = demo_signer(args.key.as_deref())?;
    let files = build_bundle_for(&log, decisions, &ctx, &signer)?;
    let stem = format!("{}-evidence-bundle", scenario.session_id);
    write_bundle(&files, &created_at, &args.out.join(&stem), true)?;
    let zip = args.out.join(format!("{stem}.zip"));
    write_bundle(&files, &created_at, &zip, true)?;
    Ok((zip, public))
}

/// Runs `cavra demo`.
pub fn run(args: &DemoArgs) -> CliResult {
    let scenario = Scenario::before_the_agent_acts()?;
    let mut policy_args = args.policy.clone();
    if policy_args.policy.is_none() && policy_args.pack.is_none() {
        policy_args.pack = Some(scenario.policy_pack.clone());
    }
    let policy = policy_args.compile()?;
    let options = policy_args.options()?;
    let mut decisions = Vec::new();
    for (request, _) in scenario.requests()? {
        decisions.push(decide(&policy, &request, &options, stamp::fresh())?);
    }
    let (zip, public_key) = write_evidence(args, &scenario, &policy, &decisions)?;
    let verify_hint = format!(
        "Evidence: {} (signed, Ed25519)\nVerify it:  cavra evidence verify {} --public-key {public_key}",
        zip.display(),
        zip.display()
    );
    let mut out = anstream::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&decisions)?)?;
        eprintln!("{verify_hint}");
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
    writeln!(out, "\n{verify_hint}")?;
    Ok(Outcome::Success)
}
