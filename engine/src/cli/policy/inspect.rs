//! `policy list`, `policy show`, `policy schema`.

use super::DirArg;
use crate::cli::exit::{CliError, CliResult, Outcome};
use crate::policy::render::{to_value, to_yaml};
use crate::policy::schema::POLICY_SCHEMA_JSON;
use clap::Args;
use std::io::Write;

/// `policy list`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    /// Pack directory.
    #[command(flatten)]
    pub dir: DirArg,
}

/// `policy show`.
#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// Pack id.
    pub id: String,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    /// Pack directory.
    #[command(flatten)]
    pub dir: DirArg,
}

pub fn list(args: &ListArgs) -> CliResult {
    let library = args.dir.library()?;
    let rows = library.summaries();
    let mut out = anstream::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(Outcome::Success);
    }
    for row in &rows {
        match &row.error {
            Some(err) => writeln!(out, "{:<28} (does not load: {err})", row.id)?,
            None => writeln!(
                out,
                "{:<28} {:<8} {}",
                row.id,
                row.version.as_deref().unwrap_or(""),
                row.title.as_deref().unwrap_or("")
            )?,
        }
    }
    Ok(Outcome::Success)
}

pub fn show(args: &ShowArgs) -> CliResult {
    let library = args.dir.library()?;
    let policy = library
        .load_pack(&args.id)
        .map_err(|d| CliError::diagnostics(&d))?;
    let value = to_value(&policy);
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        write!(out, "{}", to_yaml(&value))?;
    }
    Ok(Outcome::Success)
}

pub fn schema() -> CliResult {
    let mut out = std::io::stdout().lock();
    write!(out, "{POLICY_SCHEMA_JSON}")?;
    if !POLICY_SCHEMA_JSON.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(Outcome::Success)
}
