//! `cavra policy ...`: inspecting, checking and transforming policies.

mod inspect;
mod signing;
mod transform;
mod verify;

use super::check::CheckArgs;
use super::exit::{CliError, CliResult};
use super::policy_args::library;
use crate::policy::library::Library;
use crate::policy::model::Policy;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// `cavra policy`.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PolicyCommand,
}

/// The policy subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum PolicyCommand {
    /// List the available packs.
    List(inspect::ListArgs),
    /// Print a pack with its parents merged in.
    Show(inspect::ShowArgs),
    /// Check that policy files load: syntax, schema, inheritance, patterns.
    Validate(verify::ValidateArgs),
    /// Validate, then warn about likely mistakes and untested rules.
    Lint(verify::ValidateArgs),
    /// Run the `tests:` of packs or files (all packs when none is named).
    Test(verify::TestArgs),
    /// Explain the decision for an action (same arguments as `check`).
    Explain(CheckArgs),
    /// Print the policy JSON Schema.
    Schema,
    /// Print policy files in canonical form (or rewrite them with --write).
    Fmt(transform::FmtArgs),
    /// Merge overlays onto a base policy and print the result.
    Compile(transform::CompileArgs),
    /// Show what changed between two policies and which decisions change.
    Diff(transform::DiffArgs),
    /// Sign a policy file with Ed25519 (writes FILE.sig.json).
    Sign(signing::SignArgs),
    /// Verify a policy file against its FILE.sig.json and a public key.
    Verify(signing::VerifyArgs),
}

/// Runs `cavra policy ...`.
pub fn run(args: &PolicyArgs) -> CliResult {
    match &args.command {
        PolicyCommand::List(a) => inspect::list(a),
        PolicyCommand::Show(a) => inspect::show(a),
        PolicyCommand::Validate(a) => verify::validate(a, false),
        PolicyCommand::Lint(a) => verify::validate(a, true),
        PolicyCommand::Test(a) => verify::test(a),
        PolicyCommand::Explain(a) => super::check::run(a, true),
        PolicyCommand::Schema => inspect::schema(),
        PolicyCommand::Fmt(a) => transform::fmt(a),
        PolicyCommand::Compile(a) => transform::compile(a),
        PolicyCommand::Diff(a) => transform::diff(a),
        PolicyCommand::Sign(a) => signing::sign(a),
        PolicyCommand::Verify(a) => signing::verify(a),
    }
}

/// Where to find packs by id.
#[derive(Debug, Clone, Args)]
pub struct DirArg {
    /// Directory of packs (<id>/policy.yaml) [default: env CAVRA_POLICY_DIR, else ./policies, else the built-in packs].
    #[arg(long, value_name = "DIR")]
    pub policy_dir: Option<PathBuf>,
}

impl DirArg {
    fn library(&self) -> Result<Library, CliError> {
        library(self.policy_dir.as_deref())
    }
}

/// Loads a policy named by a file path or a pack id, with its parents.
fn load_file_or_pack(library: &Library, name: &str) -> Result<(Policy, String), CliError> {
    let path = Path::new(name);
    if path.is_file() {
        let text = super::policy_args::read_policy_file(path)?;
        let policy = library
            .load_text(&text, name)
            .map_err(|d| CliError::diagnostics(&d))?;
        Ok((policy, name.to_string()))
    } else if library.get(name).is_some() {
        let policy = library
            .load_pack(name)
            .map_err(|d| CliError::diagnostics(&d))?;
        let file = library
            .get(name)
            .map(|p| p.file.clone())
            .unwrap_or_default();
        Ok((policy, file))
    } else {
        Err(CliError::new(format!(
            "`{name}` is neither a file nor a known pack id (see `cavra policy list`)"
        )))
    }
}
