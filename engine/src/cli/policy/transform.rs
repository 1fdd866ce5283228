//! `policy fmt`, `policy compile`, `policy diff`.

use super::{load_file_or_pack, DirArg};
use crate::cli::exit::{CliError, CliResult, Outcome};
use crate::cli::policy_args::read_policy_file;
use crate::policy::compile::CompiledPolicy;
use crate::policy::diff::diff as diff_policies;
use crate::policy::library::parse_policy;
use crate::policy::merge::merge;
use crate::policy::render::{to_value, to_yaml};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `policy fmt`.
#[derive(Debug, Clone, Args)]
pub struct FmtArgs {
    /// Policy files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Exit 1 if a file is not in canonical form; change nothing.
    #[arg(long, conflicts_with = "write")]
    pub check: bool,
    /// Rewrite the files in place (the leading comment block is kept).
    #[arg(long)]
    pub write: bool,
    /// With --write: allow dropping comments below the leading block.
    #[arg(long, requires = "write")]
    pub drop_comments: bool,
}

/// `policy compile`.
#[derive(Debug, Clone, Args)]
pub struct CompileArgs {
    /// Base policy file or pack id.
    pub base: String,
    /// Overlay files, applied in order.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub overlay: Vec<PathBuf>,
    /// Print JSON instead of YAML.
    #[arg(long)]
    pub json: bool,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Pack directory.
    #[command(flatten)]
    pub dir: DirArg,
}

/// `policy diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// Old policy: file or pack id.
    pub old: String,
    /// New policy: file or pack id.
    pub new: String,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    /// Pack directory.
    #[command(flatten)]
    pub dir: DirArg,
}

/// The leading block of comment and blank lines, which `fmt` keeps.
fn leading_comments(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('#') || t.is_empty() {
            out.push_str(line);
            out.push('\n');
        } else {
            break;
        }
    }
    out
}

/// Counts comment lines after the leading block (those `fmt` would drop).
fn later_comments(text: &str) -> usize {
    let header = leading_comments(text).lines().count();
    text.lines()
        .skip(header)
        .filter(|l| l.trim_start().starts_with('#') || l.contains(" #"))
        .count()
}

/// The canonical text of a policy file.
pub fn formatted(text: &str, file: &str) -> Result<String, CliError> {
    let policy = parse_policy(text, file).map_err(|d| CliError::diagnostics(&d))?;
    let header = leading_comments(text);
    let header = header.trim_end_matches('\n');
    let body = to_yaml(&to_value(&policy));
    Ok(if header.is_empty() {
        body
    } else {
        format!("{header}\n{body}")
    })
}

pub fn fmt(args: &FmtArgs) -> CliResult {
    let mut outcome = Outcome::Success;
    let mut out = std::io::stdout().lock();
    for path in &args.files {
        let file = path.display().to_string();
        let text = read_policy_file(path)?;
        let canonical = formatted(&text, &file)?;
        if args.check {
            if canonical != text {
                writeln!(out, "would reformat: {file}")?;
                outcome = Outcome::Negative;
            }
        } else if args.write {
            if canonical == text {
                continue;
            }
            let dropped = later_comments(&text);
            if dropped > 0 && !args.drop_comments {
                return Err(CliError::new(format!(
                    "{file}: rewriting would drop {dropped} comment line(s) below the leading comment block; pass --drop-comments to accept that, or fmt without --write to see the result"
                )));
            }
            write_atomically(path, &canonical)?;
            writeln!(out, "formatted: {file}")?;
        } else {
            write!(out, "{canonical}")?;
        }
    }
    Ok(outcome)
}

/// Writes through a temporary file and a rename, so a failure never leaves
/// a half-written policy behind.
fn write_atomically(path: &Path, text: &str) -> Result<(), CliError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "policy".into());
    let tmp = dir.join(format!(".{name}.cavra-tmp"));
    std::fs::write(&tmp, text)
        .map_err(|e| CliError::new(format!("cannot write `{}`: {e}", tmp.display())))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CliError::new(format!("cannot replace `{}`: {e}", path.display()))
    })
}

pub fn compile(args: &CompileArgs) -> CliResult {
    let library = args.dir.library()?;
    let (mut policy, _) = load_file_or_pack(&library, &args.base)?;
    for overlay in &args.overlay {
        let file = overlay.display().to_string();
        let text = read_policy_file(overlay)?;
        let layer = parse_policy(&text, &file).map_err(|d| CliError::diagnostics(&d))?;
        policy = merge(&policy, &layer);
    }
    // Compiling proves the merged result is usable before it is written.
    CompiledPolicy::compile(&policy).map_err(|d| CliError::diagnostics(&d))?;
    let value = to_value(&policy);
    let text = if args.json {
        serde_json::to_string_pretty(&value)? + "\n"
    } else {
        to_yaml(&value)
    };
    match &args.out {
        Some(path) => write_atomically(path, &text)?,
        None => write!(std::io::stdout().lock(), "{text}")?,
    }
    Ok(Outcome::Success)
}

pub fn diff(args: &DiffArgs) -> CliResult {
    let library = args.dir.library()?;
    let (old, _) = load_file_or_pack(&library, &args.old)?;
    let (new, _) = load_file_or_pack(&library, &args.new)?;
    let old_c = CompiledPolicy::compile(&old).map_err(|d| CliError::diagnostics(&d))?;
    let new_c = CompiledPolicy::compile(&new).map_err(|d| CliError::diagnostics(&d))?;
    let report = diff_policies(&old, &new, &old_c, &new_c);
    let mut out = anstream::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(Outcome::Success);
    }
    if report.changes.is_empty() {
        writeln!(out, "No policy entries changed.")?;
    }
    for c in &report.changes {
        let show =
            |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
        match c.kind {
            "added" => writeln!(out, "+ {}: {}", c.path, show(&c.new))?,
            "removed" => writeln!(out, "- {}: {}", c.path, show(&c.old))?,
            _ => writeln!(out, "~ {}: {} -> {}", c.path, show(&c.old), show(&c.new))?,
        }
    }
    writeln!(out)?;
    if report.decision_changes.is_empty() {
        writeln!(
            out,
            "No decision changes for the policies' tests or the sample actions."
        )?;
    } else {
        writeln!(out, "Decisions that change:")?;
        for d in &report.decision_changes {
            writeln!(
                out,
                "  {} {}: {} ({}) -> {} ({})",
                d.origin, d.action, d.old.0, d.old.1, d.new.0, d.new.1
            )?;
        }
    }
    Ok(Outcome::Success)
}
