//! Compiling a merged policy into matchers, once.
//!
//! A [`CompiledPolicy`] holds one matcher per pattern list and per rule
//! condition, the defaults resolved, and the policy digest. `decide` only
//! reads it, so one compiled policy serves any number of decisions (and
//! threads).

use super::diagnostic::Diagnostic;
use super::matcher::{PathList, WildcardList};
use super::merge::strip_removals;
use super::model::{Pattern, Policy, Rule, RuleTarget, Source};
use super::render::to_value;
use crate::action::ActionKind;
use crate::evidence::canonical::{canonical_json, sha256_hex};
use crate::verdict::{Mode, Severity, Verdict};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A section list compiled for matching paths.
#[derive(Debug, Clone)]
pub struct PathSection {
    /// Rule id reported when it matches (`filesystem.read.block`, ...).
    pub rule_id: &'static str,
    /// Verdict when it matches.
    pub decision: Verdict,
    /// The compiled globs.
    pub list: PathList,
}

/// A section list compiled for matching command or domain text.
#[derive(Debug, Clone)]
pub struct TextSection {
    /// Rule id reported when it matches.
    pub rule_id: &'static str,
    /// Verdict when it matches.
    pub decision: Verdict,
    /// The compiled patterns.
    pub list: WildcardList,
}

/// A rule with its conditions compiled.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    /// The rule as written.
    pub rule: Rule,
    /// Compiled `paths`.
    pub paths: Option<PathList>,
    /// Compiled `commands`.
    pub commands: Option<WildcardList>,
    /// Compiled `operations` (case folded).
    pub operations: Option<WildcardList>,
    /// Compiled `branches` (case folded).
    pub branches: Option<WildcardList>,
    /// Compiled `servers` (case folded).
    pub servers: Option<WildcardList>,
    /// Compiled `tools` (case folded).
    pub tools: Option<WildcardList>,
    /// Compiled `capabilities` (case folded).
    pub capabilities: Option<WildcardList>,
    /// Compiled `domains` (case folded).
    pub domains: Option<WildcardList>,
    /// Compiled `agents` (case folded).
    pub agents: Option<WildcardList>,
    /// Compiled `environments` (case folded).
    pub environments: Option<WildcardList>,
}

impl CompiledRule {
    /// Whether the rule applies to this kind of action at all.
    pub fn applies_to(&self, kind: ActionKind) -> bool {
        match self.rule.target {
            RuleTarget::Any => true,
            RuleTarget::Kind(k) => k == kind,
        }
    }
}

/// The resolved `git` section.
#[derive(Debug, Clone)]
pub struct GitSettings {
    /// Protected branch patterns (case folded).
    pub protected: WildcardList,
    /// Block direct pushes to protected branches.
    pub block_direct_push: bool,
    /// Block force pushes.
    pub block_force_push: bool,
    /// Block deleting protected branches.
    pub block_protected_branch_deletion: bool,
    /// Where each setting came from (`file:line`, or `default`).
    pub sources: BTreeMap<String, Source>,
}

/// The resolved `mcp` section.
#[derive(Debug, Clone)]
pub struct McpSettings {
    /// Block servers not in `allowed_servers`.
    pub block_unknown_servers: bool,
    /// Trusted servers.
    pub allowed: WildcardList,
    /// Blocked servers.
    pub blocked: WildcardList,
    /// Severity by lower-cased server or capability name.
    pub risk_scoring: BTreeMap<String, Severity>,
    /// Where `block_unknown_servers` came from.
    pub source: Source,
}

/// A policy ready to decide: every pattern compiled, every default resolved.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// The merged policy it was compiled from.
    pub policy: Policy,
    /// `sha256:` digest of the canonical JSON of the merged policy.
    pub digest: String,
    /// Mode set by the policy (enforce when unset).
    pub mode: Mode,
    /// Read lists, in evaluation order: block, approval, allow.
    pub read: Vec<PathSection>,
    /// Write lists, in evaluation order.
    pub write: Vec<PathSection>,
    /// Command lists, in evaluation order.
    pub commands: Vec<TextSection>,
    /// Verdict for an unmatched command.
    pub command_default: Verdict,
    /// Network lists, in evaluation order.
    pub network: Vec<TextSection>,
    /// Verdict for an unlisted domain.
    pub network_default: Verdict,
    /// Git settings.
    pub git: GitSettings,
    /// MCP settings.
    pub mcp: McpSettings,
    /// Rules, in policy order.
    pub rules: Vec<CompiledRule>,
    /// Whether path matching is case-sensitive.
    pub case_sensitive: bool,
}

fn default_source(what: &str) -> Source {
    Source {
        file: Arc::from(format!("default ({what})")),
        line: None,
    }
}

fn default_patterns(names: &[&str]) -> Vec<Pattern> {
    names
        .iter()
        .map(|name| Pattern {
            text: (*name).to_string(),
            source: default_source("git.protected_branches"),
        })
        .collect()
}

impl CompiledPolicy {
    /// Compiles a merged policy. Errors name the pattern and its `file:line`.
    pub fn compile(policy: &Policy) -> Result<CompiledPolicy, Vec<Diagnostic>> {
        let mut policy = policy.clone();
        strip_removals(&mut policy);
        let mut errors = Vec::new();
        let case_sensitive = policy.filesystem.case_sensitive.unwrap_or(false);
        let mut path_section = |rule_id, decision, patterns: &[Pattern]| match PathList::compile(
            patterns,
            case_sensitive,
        ) {
            Ok(list) => Some(PathSection {
                rule_id,
                decision,
                list,
            }),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let fs = &policy.filesystem;
        let read: Vec<PathSection> = [
            path_section("filesystem.read.block", Verdict::Block, &fs.block_read),
            path_section(
                "filesystem.read.require_approval",
                Verdict::RequireApproval,
                &fs.require_approval_read,
            ),
            path_section("filesystem.read.allow", Verdict::Allow, &fs.allow_read),
        ]
        .into_iter()
        .flatten()
        .collect();
        let write: Vec<PathSection> = [
            path_section("filesystem.write.block", Verdict::Block, &fs.block_write),
            path_section(
                "filesystem.write.require_approval",
                Verdict::RequireApproval,
                &fs.require_approval_write,
            ),
            path_section("filesystem.write.allow", Verdict::Allow, &fs.allow_write),
        ]
        .into_iter()
        .flatten()
        .collect();
        let cmd = &policy.commands;
        let commands = vec![
            text_section("commands.block", Verdict::Block, &cmd.block, false),
            text_section(
                "commands.require_approval",
                Verdict::RequireApproval,
                &cmd.require_approval,
                false,
            ),
            text_section("commands.allow", Verdict::Allow, &cmd.allow, false),
        ];
        let net = &policy.network;
        let network = vec![
            text_section("network.block", Verdict::Block, &net.block_domains, true),
            text_section("network.allow", Verdict::Allow, &net.allow_domains, true),
        ];
        let git = &policy.git;
        let protected = if git.protected_branches.is_empty() {
            default_patterns(&["main", "master"])
        } else {
            git.protected_branches.clone()
        };
        let mut git_sources = git.sources.clone();
        for key in [
            "block_direct_push_to_protected_branch",
            "block_force_push",
            "block_protected_branch_deletion",
        ] {
            git_sources
                .entry(key.to_string())
                .or_insert_with(|| default_source(&format!("git.{key}")));
        }
        let git = GitSettings {
            protected: WildcardList::new(&protected, true),
            block_direct_push: git.block_direct_push.unwrap_or(true),
            block_force_push: git.block_force_push.unwrap_or(true),
            block_protected_branch_deletion: git.block_protected_branch_deletion.unwrap_or(true),
            sources: git_sources,
        };
        let mcp = &policy.mcp;
        let mcp = McpSettings {
            block_unknown_servers: mcp.block_unknown_servers.unwrap_or(true),
            allowed: WildcardList::new(&mcp.allowed_servers, true),
            blocked: WildcardList::new(&mcp.blocked_servers, true),
            risk_scoring: mcp
                .risk_scoring
                .iter()
                .map(|(k, v)| (k.to_lowercase(), *v))
                .collect(),
            source: mcp
                .source
                .clone()
                .unwrap_or_else(|| default_source("mcp.block_unknown_servers")),
        };
        let mut rules = Vec::with_capacity(policy.rules.len());
        for rule in &policy.rules {
            match compile_rule(rule, case_sensitive) {
                Ok(rule) => rules.push(rule),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let digest = format!(
            "sha256:{}",
            sha256_hex(canonical_json(&to_value(&policy)).as_bytes())
        );
        Ok(CompiledPolicy {
            mode: policy.metadata.mode.unwrap_or(Mode::Enforce),
            command_default: policy.commands.default.unwrap_or(Verdict::RequireApproval),
            network_default: policy.network.default.unwrap_or(Verdict::RequireApproval),
            digest,
            read,
            write,
            commands,
            network,
            git,
            mcp,
            rules,
            case_sensitive,
            policy,
        })
    }

    /// Pack id.
    pub fn id(&self) -> &str {
        &self.policy.metadata.id
    }

    /// Pack version.
    pub fn version(&self) -> &str {
        &self.policy.metadata.version
    }

    /// Compliance controls cited for a rule id (section rules via the root
    /// `controls` map, rule-style rules via their own `controls`).
    pub fn controls_for(&self, rule_id: &str) -> Vec<String> {
        if let Some(rule) = self.rules.iter().find(|r| r.rule.id == rule_id) {
            return rule.rule.controls.clone();
        }
        self.policy
            .controls
            .get(rule_id)
            .cloned()
            .unwrap_or_default()
    }
}

fn text_section(
    rule_id: &'static str,
    decision: Verdict,
    patterns: &[Pattern],
    fold_case: bool,
) -> TextSection {
    TextSection {
        rule_id,
        decision,
        list: WildcardList::new(patterns, fold_case),
    }
}

fn compile_rule(rule: &Rule, case_sensitive: bool) -> Result<CompiledRule, Diagnostic> {
    let m = &rule.matches;
    let list = |patterns: &[Pattern], fold: bool| {
        (!patterns.is_empty()).then(|| WildcardList::new(patterns, fold))
    };
    let paths = if m.paths.is_empty() {
        None
    } else {
        Some(
            PathList::compile(&m.paths, case_sensitive).map_err(|e| Diagnostic {
                message: format!("rule `{}`: {}", rule.id, e.message),
                ..e
            })?,
        )
    };
    Ok(CompiledRule {
        paths,
        commands: list(&m.commands, false),
        operations: list(&m.operations, true),
        branches: list(&m.branches, true),
        servers: list(&m.servers, true),
        tools: list(&m.tools, true),
        capabilities: list(&m.capabilities, true),
        domains: list(&m.domains, true),
        agents: list(&m.agents, true),
        environments: list(&m.environments, true),
        rule: rule.clone(),
    })
}
