//! The policy model: a validated document turned into typed sections and
//! rules, each pattern remembering the `file:line` it came from.
//!
//! Scalars that inheritance can leave unset are `Option`s here; defaults are
//! applied only when the merged policy is compiled, so a child that says
//! nothing about `git.block_force_push` keeps its parent's choice.

use super::diagnostic::Diagnostic;
use super::source::SourceDocument;
use crate::action::ActionKind;
use crate::verdict::{Mode, Severity, Verdict};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Where a pattern or rule was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// File name as the user knows it (e.g. `policies/x/policy.yaml`).
    pub file: Arc<str>,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

/// One entry of a pattern list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written (a `!` prefix removes an inherited entry).
    pub text: String,
    /// Where it was written.
    pub source: Source,
}

/// `metadata`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// Pack id.
    pub id: String,
    /// Human title.
    pub title: String,
    /// What the pack is for.
    pub description: Option<String>,
    /// Version string.
    pub version: String,
    /// Parent pack ids, in order.
    pub inherits: Vec<String>,
    /// Enforcement mode set by the policy.
    pub mode: Option<Mode>,
    /// Other keys, kept for evidence and `policy fmt`.
    pub extra: Map<String, Value>,
}

/// `filesystem`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filesystem {
    /// Reads that are blocked.
    pub block_read: Vec<Pattern>,
    /// Reads that need approval.
    pub require_approval_read: Vec<Pattern>,
    /// Reads explicitly allowed (meaningful in strict mode).
    pub allow_read: Vec<Pattern>,
    /// Writes that are blocked.
    pub block_write: Vec<Pattern>,
    /// Writes that need approval.
    pub require_approval_write: Vec<Pattern>,
    /// Writes explicitly allowed (meaningful in strict mode).
    pub allow_write: Vec<Pattern>,
    /// Match paths case-sensitively (default false).
    pub case_sensitive: Option<bool>,
}

/// `commands`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Commands {
    /// Blocked command patterns.
    pub block: Vec<Pattern>,
    /// Command patterns that need approval.
    pub require_approval: Vec<Pattern>,
    /// Allowed command patterns.
    pub allow: Vec<Pattern>,
    /// Verdict for a command nothing matched (default require_approval).
    pub default: Option<Verdict>,
}

/// `git`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Git {
    /// Branch globs that are protected (default main, master).
    pub protected_branches: Vec<Pattern>,
    /// Block pushes straight to a protected branch (default true).
    pub block_direct_push: Option<bool>,
    /// Block force pushes to any branch (default true).
    pub block_force_push: Option<bool>,
    /// Block deleting a protected branch (default true).
    pub block_protected_branch_deletion: Option<bool>,
    /// Pull requests get an attestation (default true).
    pub require_pull_request: Option<bool>,
    /// Attest that an AI agent took part (default true).
    pub require_ai_attestation: Option<bool>,
    /// Where each boolean was set, for `file:line` sources.
    pub sources: BTreeMap<String, Source>,
}

/// `mcp`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mcp {
    /// Block servers that are not allowed (default true).
    pub block_unknown_servers: Option<bool>,
    /// Trusted server globs.
    pub allowed_servers: Vec<Pattern>,
    /// Blocked server globs.
    pub blocked_servers: Vec<Pattern>,
    /// Severity by server or capability name.
    pub risk_scoring: BTreeMap<String, Severity>,
    /// Where `block_unknown_servers` was set.
    pub source: Option<Source>,
}

/// `network`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Network {
    /// Allowed domain patterns.
    pub allow_domains: Vec<Pattern>,
    /// Blocked domain patterns.
    pub block_domains: Vec<Pattern>,
    /// Verdict for an unlisted domain (default require_approval).
    pub default: Option<Verdict>,
}

/// What kinds of action a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleTarget {
    /// Every kind.
    Any,
    /// One kind.
    Kind(ActionKind),
}

/// `match` of a rule: every non-empty list must match (AND), each list is OR.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleMatch {
    /// Path globs.
    pub paths: Vec<Pattern>,
    /// Command patterns.
    pub commands: Vec<Pattern>,
    /// Git operations.
    pub operations: Vec<Pattern>,
    /// Branch globs.
    pub branches: Vec<Pattern>,
    /// MCP server globs.
    pub servers: Vec<Pattern>,
    /// MCP tool globs.
    pub tools: Vec<Pattern>,
    /// MCP capability names.
    pub capabilities: Vec<Pattern>,
    /// Domain patterns.
    pub domains: Vec<Pattern>,
    /// Agent id globs.
    pub agents: Vec<Pattern>,
    /// Environment names.
    pub environments: Vec<Pattern>,
}

/// One rule of the rule style.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Unique id.
    pub id: String,
    /// Which actions it applies to.
    pub target: RuleTarget,
    /// Conditions.
    pub matches: RuleMatch,
    /// Verdict when it matches.
    pub decision: Verdict,
    /// Severity (default by decision).
    pub severity: Option<Severity>,
    /// Why, for the developer.
    pub reason: Option<String>,
    /// Approver group for require_approval.
    pub approvers: Option<String>,
    /// Compliance controls this rule evidences.
    pub controls: Vec<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Where the rule was written.
    pub source: Source,
}

/// One entry of `tests:`.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyTest {
    /// What the test checks.
    pub name: String,
    /// The action, in the `--action-json` form.
    pub action: Value,
    /// Expected verdict.
    pub expect: Verdict,
    /// Expected determining rule.
    pub rule: Option<String>,
    /// Mode to evaluate in.
    pub mode: Option<Mode>,
    /// Where the test was written.
    pub source: Source,
}

/// A policy as written (or as merged from its parents).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Policy {
    /// `metadata`.
    pub metadata: Metadata,
    /// `filesystem`.
    pub filesystem: Filesystem,
    /// `commands`.
    pub commands: Commands,
    /// `git`.
    pub git: Git,
    /// `mcp`.
    pub mcp: Mcp,
    /// `network`.
    pub network: Network,
    /// `rules`.
    pub rules: Vec<Rule>,
    /// `tests`.
    pub tests: Vec<PolicyTest>,
    /// Compliance controls of section rules, by section rule id.
    pub controls: BTreeMap<String, Vec<String>>,
    /// Root keys the engine keeps but does not interpret
    /// (`compliance`, `approvals`, `evidence`, free keys).
    pub extra: Map<String, Value>,
    /// Files this policy was built from, child last.
    pub files: Vec<Arc<str>>,
}

/// Reads a validated document into a [`Policy`].
///
/// The document has passed schema validation, but this still checks every
/// type it relies on, so a caller that skipped validation gets errors,
/// never a panic.
pub fn from_document(doc: &SourceDocument, file: &str) -> Result<Policy, Vec<Diagnostic>> {
    let mut reader = Reader {
        doc,
        file: Arc::from(file),
        errors: Vec::new(),
    };
    let policy = reader.policy();
    if reader.errors.is_empty() {
        Ok(policy)
    } else {
        Err(reader.errors)
    }
}

struct Reader<'a> {
    doc: &'a SourceDocument,
    file: Arc<str>,
    errors: Vec<Diagnostic>,
}

const KNOWN_ROOT: [&str; 9] = [
    "metadata",
    "filesystem",
    "commands",
    "git",
    "mcp",
    "network",
    "rules",
    "tests",
    "controls",
];

impl Reader<'_> {
    fn source(&self, pointer: &str) -> Source {
        Source {
            file: self.file.clone(),
            line: self.doc.line(pointer),
        }
    }

    fn error(&mut self, message: String, pointer: &str) {
        let diagnostic = Diagnostic::error(message, pointer)
            .at(self.doc.span(pointer))
            .in_file(&self.file);
        self.errors.push(diagnostic);
    }

    fn policy(&mut self) -> Policy {
        let empty = Map::new();
        let root = match self.doc.value.as_object() {
            Some(root) => root,
            None => {
                self.error("a policy must be a mapping".into(), "");
                &empty
            }
        };
        let mut policy = Policy {
            files: vec![self.file.clone()],
            ..Policy::default()
        };
        policy.metadata = self.metadata(root.get("metadata"));
        if let Some(fs) = self.section(root, "filesystem") {
            let f = &mut policy.filesystem;
            f.block_read = self.patterns(fs, "/filesystem", "block_read");
            f.require_approval_read = self.patterns(fs, "/filesystem", "require_approval_read");
            f.allow_read = self.patterns(fs, "/filesystem", "allow_read");
            f.block_write = self.patterns(fs, "/filesystem", "block_write");
            f.require_approval_write = self.patterns(fs, "/filesystem", "require_approval_write");
            f.allow_write = self.patterns(fs, "/filesystem", "allow_write");
            f.case_sensitive = self.boolean(fs, "/filesystem", "case_sensitive");
        }
        if let Some(cmd) = self.section(root, "commands") {
            let c = &mut policy.commands;
            c.block = self.patterns(cmd, "/commands", "block");
            c.require_approval = self.patterns(cmd, "/commands", "require_approval");
            c.allow = self.patterns(cmd, "/commands", "allow");
            c.default = self.verdict(cmd, "/commands", "default");
        }
        if let Some(git) = self.section(root, "git") {
            let g = &mut policy.git;
            g.protected_branches = self.patterns(git, "/git", "protected_branches");
            let flags: [(&str, &mut Option<bool>); 5] = [
                (
                    "block_direct_push_to_protected_branch",
                    &mut g.block_direct_push,
                ),
                ("block_force_push", &mut g.block_force_push),
                (
                    "block_protected_branch_deletion",
                    &mut g.block_protected_branch_deletion,
                ),
                ("require_pull_request", &mut g.require_pull_request),
                ("require_ai_attestation", &mut g.require_ai_attestation),
            ];
            for (key, slot) in flags {
                *slot = self.boolean(git, "/git", key);
                if slot.is_some() {
                    let source = self.source(&format!("/git/{key}"));
                    g.sources.insert(key.to_string(), source);
                }
            }
        }
        if let Some(mcp) = self.section(root, "mcp") {
            let m = &mut policy.mcp;
            m.block_unknown_servers = self.boolean(mcp, "/mcp", "block_unknown_servers");
            if m.block_unknown_servers.is_some() {
                m.source = Some(self.source("/mcp/block_unknown_servers"));
            }
            m.allowed_servers = self.patterns(mcp, "/mcp", "allowed_servers");
            m.blocked_servers = self.patterns(mcp, "/mcp", "blocked_servers");
            if let Some(scoring) = mcp.get("risk_scoring").and_then(Value::as_object) {
                for (name, level) in scoring {
                    match level.as_str().and_then(Severity::parse) {
                        Some(severity) => {
                            m.risk_scoring.insert(name.clone(), severity);
                        }
                        None => self.error(
                            format!("risk level of `{name}` must be low, medium, high or critical"),
                            &format!("/mcp/risk_scoring/{}", escape_pointer(name)),
                        ),
                    }
                }
            }
        }
        if let Some(net) = self.section(root, "network") {
            let n = &mut policy.network;
            n.allow_domains = self.patterns(net, "/network", "allow_domains");
            n.block_domains = self.patterns(net, "/network", "block_domains");
            n.default = self.verdict(net, "/network", "default");
        }
        if let Some(rules) = root.get("rules").and_then(Value::as_array) {
            for (i, rule) in rules.iter().enumerate() {
                if let Some(rule) = self.rule(rule, &format!("/rules/{i}")) {
                    if policy.rules.iter().any(|r| r.id == rule.id) {
                        self.error(
                            format!("rule id `{}` is used twice", rule.id),
                            &format!("/rules/{i}/id"),
                        );
                    }
                    policy.rules.push(rule);
                }
            }
        }
        if let Some(tests) = root.get("tests").and_then(Value::as_array) {
            for (i, test) in tests.iter().enumerate() {
                if let Some(test) = self.test(test, &format!("/tests/{i}")) {
                    policy.tests.push(test);
                }
            }
        }
        if let Some(controls) = root.get("controls").and_then(Value::as_object) {
            for (rule_id, list) in controls {
                let pointer = format!("/controls/{}", escape_pointer(rule_id));
                policy
                    .controls
                    .insert(rule_id.clone(), self.strings(list, &pointer));
            }
        }
        for (key, value) in root {
            if !KNOWN_ROOT.contains(&key.as_str()) {
                policy.extra.insert(key.clone(), value.clone());
            }
        }
        policy
    }

    fn section<'v>(
        &mut self,
        root: &'v Map<String, Value>,
        key: &str,
    ) -> Option<&'v Map<String, Value>> {
        match root.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(map)) => Some(map),
            Some(_) => {
                self.error(format!("`{key}` must be a mapping"), &format!("/{key}"));
                None
            }
        }
    }

    fn metadata(&mut self, value: Option<&Value>) -> Metadata {
        let Some(map) = value.and_then(Value::as_object) else {
            self.error("`metadata` is missing or not a mapping".into(), "/metadata");
            return Metadata::default();
        };
        let mut metadata = Metadata::default();
        for (key, value) in map {
            let pointer = format!("/metadata/{}", escape_pointer(key));
            match key.as_str() {
                "id" | "title" | "version" | "description" => {
                    let Some(text) = value.as_str() else {
                        self.error(format!("`metadata.{key}` must be a string"), &pointer);
                        continue;
                    };
                    let text = text.to_string();
                    match key.as_str() {
                        "id" => metadata.id = text,
                        "title" => metadata.title = text,
                        "version" => metadata.version = text,
                        _ => metadata.description = Some(text),
                    }
                }
                "inherits" => {
                    metadata.inherits = match value {
                        Value::String(parent) => vec![parent.clone()],
                        other => self.strings(other, &pointer),
                    }
                }
                "mode" => match value.as_str().and_then(Mode::parse) {
                    Some(mode) => metadata.mode = Some(mode),
                    None => self.error(
                        "`metadata.mode` must be enforce, audit_only, strict or break_glass".into(),
                        &pointer,
                    ),
                },
                _ => {
                    metadata.extra.insert(key.clone(), value.clone());
                }
            }
        }
        for key in ["id", "title", "version"] {
            if !map.contains_key(key) {
                self.error(format!("`metadata.{key}` is required"), "/metadata");
            }
        }
        metadata
    }

    fn strings(&mut self, value: &Value, pointer: &str) -> Vec<String> {
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| match item.as_str() {
                    Some(text) => Some(text.to_string()),
                    None => {
                        self.error(
                            "list entries must be strings".into(),
                            &format!("{pointer}/{i}"),
                        );
                        None
                    }
                })
                .collect(),
            Value::String(text) => vec![text.clone()],
            Value::Null => Vec::new(),
            _ => {
                self.error("must be a list of strings".into(), pointer);
                Vec::new()
            }
        }
    }

    fn pattern_list(&mut self, value: Option<&Value>, pointer: &str) -> Vec<Pattern> {
        let Some(value) = value else {
            return Vec::new();
        };
        let texts = self.strings(value, pointer);
        let single = value.is_string();
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Pattern {
                source: if single {
                    self.source(pointer)
                } else {
                    self.source(&format!("{pointer}/{i}"))
                },
                text,
            })
            .collect()
    }

    fn patterns(&mut self, section: &Map<String, Value>, base: &str, key: &str) -> Vec<Pattern> {
        self.pattern_list(section.get(key), &format!("{base}/{key}"))
    }

    fn boolean(&mut self, section: &Map<String, Value>, base: &str, key: &str) -> Option<bool> {
        match section.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.error(
                    format!("`{key}` must be true or false"),
                    &format!("{base}/{key}"),
                );
                None
            }
        }
    }

    fn verdict(&mut self, section: &Map<String, Value>, base: &str, key: &str) -> Option<Verdict> {
        let value = section.get(key)?;
        match value.as_str().and_then(Verdict::parse) {
            Some(verdict) => Some(verdict),
            None => {
                self.error(
                    format!(
                        "`{key}` must be allow, allow_with_attestation, require_approval or block"
                    ),
                    &format!("{base}/{key}"),
                );
                None
            }
        }
    }

    fn rule(&mut self, value: &Value, pointer: &str) -> Option<Rule> {
        let Some(map) = value.as_object() else {
            self.error("a rule must be a mapping".into(), pointer);
            return None;
        };
        let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
        let Some(id) = text("id") else {
            self.error("a rule needs an `id`".into(), pointer);
            return None;
        };
        let target = match text("action").as_deref() {
            Some("any") => RuleTarget::Any,
            Some(kind) => match ActionKind::parse(kind) {
                Some(kind) => RuleTarget::Kind(kind),
                None => {
                    self.error(
                        format!("unknown action `{kind}` in rule `{id}`"),
                        &format!("{pointer}/action"),
                    );
                    return None;
                }
            },
            None => {
                self.error(format!("rule `{id}` needs an `action`"), pointer);
                return None;
            }
        };
        let Some(decision) = text("decision").as_deref().and_then(Verdict::parse) else {
            self.error(
                format!("rule `{id}` needs a `decision`: allow, allow_with_attestation, require_approval or block"),
                &format!("{pointer}/decision"),
            );
            return None;
        };
        let severity = match text("severity") {
            Some(level) => match Severity::parse(&level) {
                Some(severity) => Some(severity),
                None => {
                    self.error(
                        format!("unknown severity `{level}`"),
                        &format!("{pointer}/severity"),
                    );
                    None
                }
            },
            None => None,
        };
        let mut matches = RuleMatch::default();
        if let Some(m) = map.get("match").and_then(Value::as_object) {
            let base = format!("{pointer}/match");
            let lists: [(&str, &mut Vec<Pattern>); 10] = [
                ("paths", &mut matches.paths),
                ("commands", &mut matches.commands),
                ("operations", &mut matches.operations),
                ("branches", &mut matches.branches),
                ("servers", &mut matches.servers),
                ("tools", &mut matches.tools),
                ("capabilities", &mut matches.capabilities),
                ("domains", &mut matches.domains),
                ("agents", &mut matches.agents),
                ("environments", &mut matches.environments),
            ];
            for (key, slot) in lists {
                *slot = self.pattern_list(m.get(key), &format!("{base}/{key}"));
            }
        }
        let controls = match map.get("controls") {
            Some(list) => self.strings(list, &format!("{pointer}/controls")),
            None => Vec::new(),
        };
        Some(Rule {
            id,
            target,
            matches,
            decision,
            severity,
            reason: text("reason"),
            approvers: text("approvers"),
            controls,
            description: text("description"),
            source: self.source(pointer),
        })
    }

    fn test(&mut self, value: &Value, pointer: &str) -> Option<PolicyTest> {
        let map = value.as_object()?;
        let name = map
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("unnamed test");
        let Some(expect) = map
            .get("expect")
            .and_then(Value::as_str)
            .and_then(Verdict::parse)
        else {
            self.error(
                format!("test `{name}` needs an `expect` verdict"),
                &format!("{pointer}/expect"),
            );
            return None;
        };
        let Some(action) = map.get("action").filter(|a| a.is_object()) else {
            self.error(
                format!("test `{name}` needs an `action` mapping"),
                &format!("{pointer}/action"),
            );
            return None;
        };
        Some(PolicyTest {
            name: name.to_string(),
            action: action.clone(),
            expect,
            rule: map.get("rule").and_then(Value::as_str).map(str::to_string),
            mode: map
                .get("mode")
                .and_then(Value::as_str)
                .and_then(Mode::parse),
            source: self.source(pointer),
        })
    }
}

/// Escapes a key for use in a JSON pointer (RFC 6901).
pub(crate) fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
