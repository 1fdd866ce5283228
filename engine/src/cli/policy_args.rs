//! The options every evaluating command shares, and the one step that turns
//! them into a compiled policy ("parse, prepare, run").

use super::exit::CliError;
use crate::decide::DecideOptions;
use crate::policy::compile::CompiledPolicy;
use crate::policy::library::{Library, PackText, DEFAULT_PACK};
use crate::policy::mcp_registry::McpRegistry;
use crate::verdict::{Mode, Verdict};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Which policy to use and how to evaluate.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// Policy file (YAML or JSON); parents are resolved from the policy directory.
    #[arg(long, value_name = "FILE", conflicts_with = "pack", global = true)]
    pub policy: Option<PathBuf>,
    /// Pack id [default: env CAVRA_POLICY_PACK, else cavra-ai-agent-baseline].
    #[arg(long, value_name = "ID", global = true)]
    pub pack: Option<String>,
    /// Directory of packs (<id>/policy.yaml) [default: env CAVRA_POLICY_DIR, else ./policies, else the built-in packs].
    #[arg(long, value_name = "DIR", global = true)]
    pub policy_dir: Option<PathBuf>,
    /// Override the policy's mode.
    #[arg(long, value_enum, global = true)]
    pub mode: Option<ModeArg>,
    /// Workspace root for paths [default: the current directory].
    #[arg(long, value_name = "DIR", global = true)]
    pub workspace: Option<PathBuf>,
    /// MCP trust registry (JSON list of server records) refining MCP verdicts.
    #[arg(long, value_name = "FILE", global = true)]
    pub mcp_registry: Option<PathBuf>,
}

/// Who is acting.
#[derive(Debug, Clone, Args)]
pub struct ContextArgs {
    /// Session id [default: env CAVRA_SESSION, else local].
    #[arg(long, value_name = "ID", global = true)]
    pub session: Option<String>,
    /// Agent id.
    #[arg(long, value_name = "ID", global = true)]
    pub agent: Option<String>,
    /// Environment the action touches (e.g. production).
    #[arg(long, value_name = "NAME", global = true)]
    pub environment: Option<String>,
}

/// How to report a decision.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Print the decision record as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// Explain the decision in prose.
    #[arg(long, global = true)]
    pub explain: bool,
    /// Exit 1 when the effective decision is at least this restrictive.
    #[arg(long, value_enum, value_name = "LEVEL", global = true)]
    pub fail_on: Option<FailOn>,
}

/// `--mode` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    /// The verdict is enforced.
    Enforce,
    /// Record only; everything proceeds.
    AuditOnly,
    /// No implicit allow.
    Strict,
    /// Blocks become approvals.
    BreakGlass,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Enforce => Mode::Enforce,
            ModeArg::AuditOnly => Mode::AuditOnly,
            ModeArg::Strict => Mode::Strict,
            ModeArg::BreakGlass => Mode::BreakGlass,
        }
    }
}

/// `--fail-on` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FailOn {
    /// Exit 1 on block.
    Block,
    /// Exit 1 on block or require_approval.
    Approval,
}

impl FailOn {
    /// Whether a verdict counts as failure.
    pub fn fails(self, verdict: Verdict) -> bool {
        match self {
            FailOn::Block => verdict == Verdict::Block,
            FailOn::Approval => verdict >= Verdict::RequireApproval,
        }
    }
}

/// Builds the library: built-in packs, overridden by a policy directory.
pub fn library(policy_dir: Option<&Path>) -> Result<Library, CliError> {
    let mut library = Library::embedded();
    let explicit = policy_dir
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("CAVRA_POLICY_DIR").map(PathBuf::from));
    let dir = match explicit {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(CliError::new(format!(
                    "policy directory `{}` does not exist",
                    dir.display()
                )));
            }
            dir
        }
        None => PathBuf::from("policies"),
    };
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let file = entry.path().join("policy.yaml");
            if !file.is_file() {
                continue;
            }
            let text = read_policy_file(&file)?;
            library.add(PackText {
                id: entry.file_name().to_string_lossy().into_owned(),
                file: file.display().to_string(),
                text,
            });
        }
    }
    Ok(library)
}

/// Reads a policy file, refusing files over the size limit before reading
/// them whole.
pub fn read_policy_file(path: &Path) -> Result<String, CliError> {
    let limit = crate::policy::source::MAX_POLICY_BYTES;
    let meta = std::fs::metadata(path)
        .map_err(|e| CliError::new(format!("cannot read `{}`: {e}", path.display())))?;
    if meta.len() > limit as u64 {
        return Err(CliError::new(format!(
            "`{}` is {} bytes; policy files are limited to {limit} bytes",
            path.display(),
            meta.len()
        )));
    }
    std::fs::read_to_string(path)
        .map_err(|e| CliError::new(format!("cannot read `{}`: {e}", path.display())))
}

impl PolicyArgs {
    /// Loads and compiles the chosen policy.
    pub fn compile(&self) -> Result<CompiledPolicy, CliError> {
        let library = library(self.policy_dir.as_deref())?;
        let policy = match (&self.policy, &self.pack) {
            (Some(file), _) => {
                let text = read_policy_file(file)?;
                library.load_text(&text, &file.display().to_string())
            }
            (None, Some(id)) => library.load_pack(id),
            (None, None) => match std::env::var("CAVRA_POLICY_PACK") {
                Ok(id) if !id.is_empty() => library.load_pack(&id),
                _ => library.load_pack(DEFAULT_PACK),
            },
        }
        .map_err(|d| CliError::diagnostics(&d))?;
        CompiledPolicy::compile(&policy).map_err(|d| CliError::diagnostics(&d))
    }

    /// The workspace root: `--workspace`, else the current directory.
    pub fn workspace_dir(&self) -> PathBuf {
        let dir = self
            .workspace
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        std::path::absolute(&dir).unwrap_or(dir)
    }

    /// Evaluation options from the flags (reads the MCP registry, if any).
    pub fn options(&self) -> Result<DecideOptions, CliError> {
        let mcp_registry = match &self.mcp_registry {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    CliError::new(format!(
                        "cannot read MCP registry `{}`: {e}",
                        path.display()
                    ))
                })?;
                let registry = McpRegistry::from_json_str(&text)
                    .map_err(|e| CliError::new(format!("{}: {e}", path.display())))?;
                Some(Arc::new(registry))
            }
            None => None,
        };
        Ok(DecideOptions {
            mode: self.mode.map(Mode::from),
            workspace: Some(self.workspace_dir().display().to_string()),
            mcp_registry,
        })
    }
}

impl ContextArgs {
    /// The session id from the flag or `CAVRA_SESSION`.
    pub fn session(&self) -> Option<String> {
        self.session.clone().or_else(|| {
            std::env::var("CAVRA_SESSION")
                .ok()
                .filter(|s| !s.is_empty())
        })
    }
}
