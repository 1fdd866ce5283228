//! `cavra init claude-code`: sets a project up so Claude Code asks CAVRA
//! before every tool call and can reach CAVRA's MCP server.
//!
//! It merges into what the project already has and never replaces it:
//! `.claude/settings.json` gains one PreToolUse and one PostToolUse matcher
//! group running `cavra hook claude-code`, `.mcp.json` gains
//! `mcpServers.cavra`. Every other hook, matcher, server and key stays as it
//! was. A file that already has cavra's entry is left byte for byte alone,
//! so a second run changes nothing. Both files are read and checked before
//! either is written; invalid JSON stops the command with nothing written.
//! Writes go to a temporary file in the same directory and are renamed over
//! the original, so a crash never leaves half a file.

use super::exit::{CliError, CliResult, Outcome};
use clap::{Args, Subcommand};
use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The command the hooks run.
pub const HOOK_COMMAND: &str = "cavra hook claude-code";
/// The tools the hooks fire for: every tool CAVRA maps to an action.
/// Claude Code's own bookkeeping tools (TodoWrite, Agent, ...) are left out,
/// since the hook would send them to a human every time.
pub const TOOL_MATCHER: &str =
    "Bash|Read|Write|Edit|MultiEdit|NotebookEdit|Glob|Grep|WebFetch|WebSearch|mcp__.*";
const HOOK_EVENTS: [&str; 2] = ["PreToolUse", "PostToolUse"];

/// `cavra init <agent>`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The agent to set up.
    #[command(subcommand)]
    pub agent: InitAgent,
}

/// The agents `init` knows.
#[derive(Debug, Clone, Subcommand)]
pub enum InitAgent {
    /// Add CAVRA's hooks to .claude/settings.json and its MCP server to .mcp.json.
    ClaudeCode(InitClaudeCodeArgs),
}

/// `cavra init claude-code` options.
#[derive(Debug, Clone, Args)]
pub struct InitClaudeCodeArgs {
    /// The project directory [default: the current directory].
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Print the files that would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `cavra init`.
pub fn run(args: &InitArgs) -> CliResult {
    match &args.agent {
        InitAgent::ClaudeCode(args) => claude_code(args),
    }
}

/// One file to bring up to date.
struct Plan {
    /// Path as shown to the user (relative to the project).
    shown: &'static str,
    path: PathBuf,
    /// The new text, when the file changes.
    new_text: Option<String>,
    /// What is added, for the summary.
    added: Vec<String>,
}

fn claude_code(args: &InitClaudeCodeArgs) -> CliResult {
    let project = match &args.project {
        Some(dir) => dir.clone(),
        None => std::env::current_dir()
            .map_err(|e| CliError::new(format!("cannot read the current directory: {e}")))?,
    };
    if !project.is_dir() {
        return Err(CliError::new(format!(
            "project directory `{}` does not exist",
            project.display()
        )));
    }
    let plans = [
        plan(
            ".claude/settings.json",
            project.join(".claude").join("settings.json"),
            merge_settings,
        )?,
        plan(".mcp.json", project.join(".mcp.json"), merge_mcp)?,
    ];
    let mut out = std::io::stdout().lock();
    let changed = plans.iter().any(|p| p.new_text.is_some());
    for plan in &plans {
        let Some(text) = &plan.new_text else {
            writeln!(
                out,
                "unchanged {}: cavra is already set up there",
                plan.shown
            )?;
            continue;
        };
        if args.dry_run {
            writeln!(
                out,
                "would write {} (adding {}):",
                plan.shown,
                plan.added.join(", ")
            )?;
            write!(out, "{text}")?;
        } else {
            write_atomic(&plan.path, text)?;
            writeln!(
                out,
                "updated {}: added {}",
                plan.shown,
                plan.added.join(", ")
            )?;
        }
    }
    if !changed {
        writeln!(
            out,
            "nothing changed: Claude Code is already set up for CAVRA"
        )?;
    } else if args.dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    Ok(Outcome::Success)
}

/// Adds cavra's entries to a file's top-level object; returns what it added
/// (nothing when they are already there) or why the file's shape is wrong.
type Merge = fn(&mut Map<String, Value>) -> Result<Vec<String>, String>;

/// Reads a file (absent or blank counts as `{}`), merges cavra's entries,
/// and returns what would change.
fn plan(shown: &'static str, path: PathBuf, merge: Merge) -> Result<Plan, CliError> {
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(CliError::new(format!(
                "cannot read `{}`: {e}",
                path.display()
            )))
        }
    };
    let mut value = match text.as_deref().filter(|t| !t.trim().is_empty()) {
        None => Value::Object(Map::new()),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            CliError::new(format!(
                "`{}` is not valid JSON (line {}, column {}: {e}); fix it and run again, nothing was written",
                path.display(),
                e.line(),
                e.column()
            ))
        })?,
    };
    let Value::Object(object) = &mut value else {
        return Err(CliError::new(format!(
            "`{}` must hold a JSON object; nothing was written",
            path.display()
        )));
    };
    let added = merge(object)
        .map_err(|e| CliError::new(format!("`{}`: {e}; nothing was written", path.display())))?;
    let new_text = if added.is_empty() {
        None
    } else {
        let mut text = serde_json::to_string_pretty(&value)?;
        text.push('\n');
        Some(text)
    };
    Ok(Plan {
        shown,
        path,
        new_text,
        added,
    })
}

/// Adds a matcher group running the hook to PreToolUse and PostToolUse,
/// unless one of the event's hooks already runs it.
fn merge_settings(root: &mut Map<String, Value>) -> Result<Vec<String>, String> {
    let hooks = root
        .entry("hooks")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(hooks) = hooks else {
        return Err("`hooks` must be an object".into());
    };
    let mut added = Vec::new();
    for event in HOOK_EVENTS {
        let groups = hooks
            .entry(event)
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(groups) = groups else {
            return Err(format!("`hooks.{event}` must be an array"));
        };
        if groups.iter().any(runs_cavra) {
            continue;
        }
        groups.push(json!({
            "matcher": TOOL_MATCHER,
            "hooks": [{"type": "command", "command": HOOK_COMMAND}],
        }));
        added.push(format!("the {event} hook"));
    }
    Ok(added)
}

/// Whether a matcher group already runs `cavra hook claude-code` (with or
/// without flags or a full path to the binary).
fn runs_cavra(group: &Value) -> bool {
    group
        .get("hooks")
        .and_then(Value::as_array)
        .is_some_and(|hooks| {
            hooks.iter().any(|hook| {
                hook.get("command")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.contains("cavra hook claude-code"))
            })
        })
}

/// Adds `mcpServers.cavra`, unless a server of that name is configured (the
/// user's own definition wins).
fn merge_mcp(root: &mut Map<String, Value>) -> Result<Vec<String>, String> {
    let servers = root
        .entry("mcpServers")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(servers) = servers else {
        return Err("`mcpServers` must be an object".into());
    };
    if servers.contains_key("cavra") {
        return Ok(Vec::new());
    }
    servers.insert("cavra".into(), json!({"command": "cavra", "args": ["mcp"]}));
    Ok(vec!["the `cavra` MCP server".into()])
}

/// Writes `text` to a temporary file next to `path`, then renames it over
/// `path`, keeping the original's permissions.
fn write_atomic(path: &Path, text: &str) -> Result<(), CliError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::new(format!("cannot create `{}`: {e}", dir.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.cavra-{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CliError::new(format!("cannot write `{}`: {e}", path.display()))
    })
}
