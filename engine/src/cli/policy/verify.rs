//! `policy validate`, `policy lint`, `policy test`.

use super::{load_file_or_pack, DirArg};
use crate::cli::exit::{CliError, CliResult, Outcome};
use crate::cli::policy_args::read_policy_file;
use crate::policy::compile::CompiledPolicy;
use crate::policy::diagnostic::Diagnostic;
use crate::policy::library::parse_policy;
use crate::policy::lint::lint;
use crate::policy::testing::run_tests;
use anstyle::{AnsiColor, Style};
use clap::Args;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// `policy validate` / `policy lint`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Policy files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    /// Pack directory for parents.
    #[command(flatten)]
    pub dir: DirArg,
}

/// `policy test`.
#[derive(Debug, Clone, Args)]
pub struct TestArgs {
    /// Policy files or pack ids (default: every pack).
    pub targets: Vec<String>,
    /// JSON output.
    #[arg(long)]
    pub json: bool,
    /// Pack directory.
    #[command(flatten)]
    pub dir: DirArg,
}

/// Validates (and with `lint`, lints) every file; all files are checked
/// even when one fails.
pub fn validate(args: &ValidateArgs, with_lint: bool) -> CliResult {
    let library = args.dir.library()?;
    let mut outcome = Outcome::Success;
    let mut reports = Vec::new();
    let mut out = anstream::stdout().lock();
    for path in &args.files {
        let file = path.display().to_string();
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        let mut summary = None;
        match read_policy_file(path) {
            Err(e) => diagnostics.push(Diagnostic::error(e.to_string(), "").in_file(&file)),
            Ok(text) => match (parse_policy(&text, &file), library.load_text(&text, &file)) {
                (Ok(own), Ok(merged)) => match CompiledPolicy::compile(&merged) {
                    Ok(compiled) => {
                        summary = Some(format!(
                            "{} {} ({} rules, {} tests)",
                            compiled.id(),
                            compiled.version(),
                            compiled.rules.len(),
                            own.tests.len()
                        ));
                        if with_lint {
                            diagnostics.extend(lint(&own, &merged, &file));
                        }
                    }
                    Err(d) => diagnostics.extend(d),
                },
                (Err(d), _) | (_, Err(d)) => diagnostics.extend(d),
            },
        }
        let loads = summary.is_some();
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        if !loads {
            outcome = outcome.worst(Outcome::InputError);
        } else if errors > 0 {
            outcome = outcome.worst(Outcome::Negative);
        }
        if args.json {
            reports.push(
                json!({"file": file, "ok": loads && errors == 0, "diagnostics": diagnostics}),
            );
            continue;
        }
        for d in &diagnostics {
            let style = if d.is_error() {
                Style::new().fg_color(Some(AnsiColor::Red.into())).bold()
            } else {
                Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold()
            };
            writeln!(out, "{style}{d}{style:#}")?;
        }
        match summary {
            Some(s) if errors == 0 => writeln!(out, "ok: {file}: {s}")?,
            _ => writeln!(out, "failed: {file}")?,
        }
    }
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&reports)?)?;
    }
    Ok(outcome)
}

/// Runs policy tests.
pub fn test(args: &TestArgs) -> CliResult {
    let library = args.dir.library()?;
    let targets: Vec<String> = if args.targets.is_empty() {
        library.packs().iter().map(|p| p.id.clone()).collect()
    } else {
        args.targets.clone()
    };
    let mut outcome = Outcome::Success;
    let mut reports = Vec::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut out = anstream::stdout().lock();
    let red = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
    let green = Style::new().fg_color(Some(AnsiColor::Green.into())).bold();
    for target in &targets {
        let (policy, _file) = load_file_or_pack(&library, target)?;
        let compiled = CompiledPolicy::compile(&policy).map_err(|d| CliError::diagnostics(&d))?;
        let report = run_tests(&compiled, &policy.tests);
        passed += report.passed;
        failed += report.failed;
        if report.failed > 0 {
            outcome = Outcome::Negative;
        }
        if !args.json {
            let style = if report.failed == 0 { green } else { red };
            writeln!(
                out,
                "{style}{}{style:#} {}: {} passed, {} failed",
                if report.failed == 0 { "ok" } else { "FAIL" },
                report.policy_id,
                report.passed,
                report.failed
            )?;
            for o in report.outcomes.iter().filter(|o| !o.passed) {
                let actual = match (&o.actual, &o.actual_rule, &o.error) {
                    (_, _, Some(e)) => format!("error: {e}"),
                    (Some(v), Some(r), _) => format!("{v} via {r}"),
                    _ => "nothing".into(),
                };
                let expected_rule = o
                    .expected_rule
                    .as_ref()
                    .map(|r| format!(" via {r}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  {red}✗{red:#} {} ({})\n      expected {}{expected_rule}, got {actual}",
                    o.name, o.source, o.expected
                )?;
            }
            if report.outcomes.is_empty() {
                writeln!(out, "  (no tests)")?;
            }
        }
        reports.push(report);
    }
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&reports)?)?;
    } else {
        writeln!(out, "{passed} passed, {failed} failed")?;
    }
    Ok(outcome)
}
