//! `policy list`, `policy show`, `policy schema`.

use super::DirArg;
use crate::cli::exit::{CliError, CliResult, Outcome};
use crate::policy::render::{to_value, to_yaml};
use crate::policy::schema::POLICY_SCHEMA_JSON;
use clap::Args;
use serde_json::json;
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
    let mut rows = Vec::new();
    for pack in library.packs() {
        let row = match crate::policy::library::parse_policy(&pack.text, &pack.file) {
            Ok(p) => json!({
                "id": pack.id,
                "title": p.metadata.title,
                "description": p.metadata.description,
                "version": p.metadata.version,
                "inherits": p.metadata.inherits,
                "file": pack.file,
            }),
            Err(d) => {
                json!({"id": pack.id, "file": pack.file, "error": d.first().map(|d| d.to_string())})
            }
        };
        rows.push(row);
    }
    let mut out = anstream::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(Outcome::Success);
    }
    for row in &rows {
        let text = |k: &str| {
            row.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        if let Some(err) = row.get("error").and_then(|v| v.as_str()) {
            writeln!(out, "{:<28} (does not load: {err})", text("id"))?;
        } else {
            writeln!(
                out,
                "{:<28} {:<8} {}",
                text("id"),
                text("version"),
                text("title")
            )?;
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
