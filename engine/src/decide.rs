//! Evaluation: an action against a compiled policy gives a [`Decision`].
//!
//! Every part of the action is evaluated (a command's simple commands and
//! the reads, writes, git pushes and downloads derived from them), every
//! matching rule is collected as a [`Hit`], and the verdict is the most
//! restrictive hit. The determining rule is the first hit, in evaluation
//! order (main action first, section entries before rules), whose verdict
//! equals the final one. Modes are applied last.

use crate::action::{Action, ActionKind, ActionRequest, InputError};
use crate::analyze::git::{parse_git_args, GitAction, GitOperation};
use crate::analyze::path::{canonicalize, PathTarget};
use crate::analyze::shell::{self, Effect};
use crate::analyze::suspicious::{describe, find_suspicious};
use crate::analyze::url::parse_url;
use crate::decision::{Decision, DecisionStamp, DerivedAction, MatchedRule};
use crate::policy::compile::{CompiledPolicy, CompiledRule, PathSection};
use crate::policy::mcp_registry::{ApprovalState, McpRegistry, TrustTier};
use crate::risk::{risk_score, Signals};
use crate::verdict::{Mode, Severity, Verdict};
use globset::Candidate;
use std::borrow::Cow;
use std::sync::Arc;

/// Workspace root used when neither the caller nor the action names one.
pub const DEFAULT_WORKSPACE: &str = "/workspace";

/// Per-call settings.
#[derive(Debug, Clone, Default)]
pub struct DecideOptions {
    /// Overrides the policy's mode.
    pub mode: Option<Mode>,
    /// Workspace root (the action's own `workspace` wins).
    pub workspace: Option<String>,
    /// MCP trust registry refining the verdict for servers the policy allows.
    pub mcp_registry: Option<Arc<McpRegistry>>,
}

/// One matching rule, with what is needed to explain and score it.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub rule_id: Cow<'static, str>,
    pub decision: Verdict,
    pub pattern: Option<String>,
    pub source: String,
    /// Explicit severity (a rule's own, or a built-in's).
    pub severity: Option<Severity>,
    pub reason: String,
    pub approvers: Option<String>,
    /// The kind of the part that matched (a derived read has FileRead).
    pub kind: ActionKind,
    /// The part's target, for severity heuristics.
    pub target: String,
}

/// Evaluates one request. Errors are input errors (empty path, bad URL, ...).
pub fn decide(
    policy: &CompiledPolicy,
    request: &ActionRequest,
    options: &DecideOptions,
    stamp: DecisionStamp,
) -> Result<Decision, InputError> {
    let mode = options.mode.unwrap_or(policy.mode);
    let workspace = request
        .context
        .workspace
        .as_deref()
        .or(options.workspace.as_deref())
        .unwrap_or(DEFAULT_WORKSPACE);
    let mut eval = Evaluation {
        policy,
        registry: options.mcp_registry.as_deref(),
        strict: mode == Mode::Strict,
        workspace,
        agent: request.context.agent_id.as_deref().map(str::to_lowercase),
        environment: request
            .context
            .environment
            .as_deref()
            .map(str::to_lowercase),
        hits: Vec::new(),
        derived: Vec::new(),
        signals: Signals::default(),
    };
    if let Some(env) = &eval.environment {
        eval.signals.production = env.contains("prod");
    }
    let (target, operation) = eval.main(&request.action)?;

    let verdict = eval
        .hits
        .iter()
        .map(|h| h.decision)
        .max()
        .unwrap_or(Verdict::Allow);
    // Rules that matched decide before "nothing matched" defaults with the
    // same verdict; among either, the first in evaluation order.
    let determining = eval
        .hits
        .iter()
        .filter(|h| h.decision == verdict)
        .min_by_key(|h| h.source == "default")
        .cloned()
        .unwrap_or_else(|| Hit {
            rule_id: Cow::Borrowed("engine.no_rule"),
            decision: verdict,
            pattern: None,
            source: "builtin".into(),
            severity: None,
            reason: "No rule applied.".into(),
            approvers: None,
            kind: request.action.kind(),
            target: target.clone(),
        });
    let mut severity = determining
        .severity
        .unwrap_or_else(|| default_severity(verdict, determining.kind, &determining.target));
    if determining.severity.is_none() {
        if let Some(level) = eval.mcp_risk(&request.action) {
            // risk_scoring rates the server, but a block stays at least high.
            severity = if verdict == Verdict::Block {
                level.max(Severity::High)
            } else {
                level
            };
        }
    }
    let reason = main_reason(&request.action, &target, &determining);
    let mut approver_group = (verdict == Verdict::RequireApproval).then(|| {
        determining
            .approvers
            .clone()
            .unwrap_or_else(|| default_approvers(determining.kind).to_string())
    });
    let (effective, enforced, break_glass) = match mode {
        Mode::AuditOnly => (Verdict::Allow, false, false),
        Mode::BreakGlass if verdict == Verdict::Block => {
            approver_group = Some("Change Advisory Board".to_string());
            (Verdict::RequireApproval, true, true)
        }
        _ => (verdict, true, false),
    };
    let controls = policy.controls_for(&determining.rule_id);
    let session_id = request
        .context
        .session_id
        .clone()
        .unwrap_or_else(|| "local".to_string());
    let Evaluation {
        hits,
        derived,
        signals,
        ..
    } = eval;
    let risk = risk_score(severity, verdict, &signals);
    Ok(Decision {
        evidence_refs: vec![format!("evidence://{session_id}/{}", stamp.decision_id)],
        decision_id: stamp.decision_id,
        session_id,
        agent_id: request
            .context
            .agent_id
            .clone()
            .unwrap_or_else(|| "unknown-agent".to_string()),
        actor: request
            .context
            .actor
            .clone()
            .unwrap_or_else(|| "ai-agent".to_string()),
        action_type: request.action.kind().record_name().to_string(),
        target,
        requested_operation: operation,
        policy_pack: policy.id().to_string(),
        policy_id: policy.id().to_string(),
        rule_id: determining.rule_id.into_owned(),
        decision: verdict,
        severity,
        reason,
        approver_group,
        timestamp: stamp.timestamp,
        correlation_id: stamp.correlation_id,
        effective_decision: effective,
        enforced,
        mode,
        break_glass,
        risk_score: risk,
        policy_version: policy.version().to_string(),
        policy_digest: policy.digest.clone(),
        matched_rules: hits
            .into_iter()
            .map(|h| MatchedRule {
                rule_id: h.rule_id.into_owned(),
                decision: h.decision,
                pattern: h.pattern,
                source: h.source,
            })
            .collect(),
        derived_actions: derived,
        controls,
        engine_version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

/// The evaluation of one request in progress.
struct Evaluation<'p> {
    policy: &'p CompiledPolicy,
    registry: Option<&'p McpRegistry>,
    strict: bool,
    workspace: &'p str,
    agent: Option<String>,
    environment: Option<String>,
    hits: Vec<Hit>,
    derived: Vec<DerivedAction>,
    signals: Signals,
}

/// The facts of one action part that rule conditions test.
#[derive(Default)]
struct Facts<'a> {
    path: Option<&'a Candidate<'a>>,
    command: Option<&'a str>,
    operation: Option<&'a str>,
    branch: Option<&'a str>,
    server: Option<&'a str>,
    tool: Option<&'a str>,
    capability: Option<&'a str>,
    domain: Option<&'a str>,
}

impl<'p> Evaluation<'p> {
    /// Evaluates the main action; returns its canonical target and operation.
    fn main(&mut self, action: &Action) -> Result<(String, String), InputError> {
        match action {
            Action::FileRead { path } | Action::FileWrite { path } => {
                let kind = action.kind();
                let target = self.path(kind, path, true)?;
                let op = if kind == ActionKind::FileRead {
                    "read"
                } else {
                    "write"
                };
                Ok((target, op.to_string()))
            }
            Action::Command { command } => {
                self.command(command)?;
                Ok((command.trim().to_string(), command.trim().to_string()))
            }
            Action::Git(git) => {
                self.git(git, true);
                let target = match (&git.remote, &git.branch) {
                    (Some(remote), Some(branch)) => format!("{remote}/{branch}"),
                    (None, Some(branch)) => branch.clone(),
                    (Some(remote), None) => format!("{remote}/HEAD"),
                    (None, None) => "HEAD".to_string(),
                };
                Ok((target, git.operation.as_str().to_string()))
            }
            Action::McpToolCall {
                server,
                tool,
                capability,
                ..
            } => {
                self.mcp(server, tool, capability.as_deref());
                Ok((
                    format!("{server}:{tool}"),
                    capability.clone().unwrap_or_else(|| "call".to_string()),
                ))
            }
            Action::Network { url } => {
                let target = self.network(url, true)?;
                Ok((target, "fetch".to_string()))
            }
            Action::PullRequest { title, branch } => {
                self.pull_request(branch.as_deref());
                let target = branch
                    .clone()
                    .or_else(|| title.clone())
                    .unwrap_or_else(|| "pull_request".to_string());
                Ok((target, "create".to_string()))
            }
        }
    }

    fn push(&mut self, hit: Hit) {
        self.hits.push(hit);
    }

    /// Records a built-in rule hit.
    #[allow(clippy::too_many_arguments)]
    fn builtin(
        &mut self,
        rule_id: &'static str,
        decision: Verdict,
        severity: Option<Severity>,
        kind: ActionKind,
        target: &str,
        source: String,
        reason: String,
    ) -> Verdict {
        self.push(Hit {
            rule_id: Cow::Borrowed(rule_id),
            decision,
            pattern: None,
            source,
            severity,
            reason,
            approvers: None,
            kind,
            target: target.to_string(),
        });
        decision
    }

    /// Records the "nothing matched" default of a part; strict mode turns
    /// an implicit allow into an approval.
    fn default_hit(
        &mut self,
        rule_id: Cow<'static, str>,
        decision: Verdict,
        kind: ActionKind,
        target: &str,
        reason: String,
    ) -> Verdict {
        let (rule_id, decision, reason) = if self.strict && decision < Verdict::RequireApproval {
            (
                Cow::Borrowed("mode.strict.require_approval"),
                Verdict::RequireApproval,
                format!(
                    "Strict mode: no rule explicitly allows this {}.",
                    kind_noun(kind)
                ),
            )
        } else {
            (rule_id, decision, reason)
        };
        self.push(Hit {
            rule_id,
            decision,
            pattern: None,
            source: "default".into(),
            severity: None,
            reason,
            approvers: None,
            kind,
            target: target.to_string(),
        });
        decision
    }

    /// Runs the rule-style rules for a part; returns the most restrictive
    /// verdict among those that matched.
    fn rules(&mut self, kind: ActionKind, target: &str, facts: &Facts<'_>) -> Option<Verdict> {
        let mut best: Option<Verdict> = None;
        let policy = self.policy;
        for rule in &policy.rules {
            if !rule.applies_to(kind) {
                continue;
            }
            if let Some(pattern) = self.rule_matches(rule, facts) {
                let r = &rule.rule;
                self.push(Hit {
                    rule_id: Cow::Owned(r.id.clone()),
                    decision: r.decision,
                    pattern,
                    source: r.source.to_string(),
                    severity: r.severity,
                    reason: r.reason.clone().unwrap_or_else(|| {
                        format!("`{target}` matches rule `{}` ({}).", r.id, r.decision)
                    }),
                    approvers: r.approvers.clone(),
                    kind,
                    target: target.to_string(),
                });
                best = best.max(Some(r.decision));
            }
        }
        best
    }

    /// Whether every condition of `rule` holds; returns the first matched
    /// pattern (None for a rule with no pattern conditions).
    fn rule_matches(&self, rule: &CompiledRule, facts: &Facts<'_>) -> Option<Option<String>> {
        let mut first: Option<String> = None;
        let mut note = |p: &str| {
            if first.is_none() {
                first = Some(p.to_string());
            }
        };
        if let Some(list) = &rule.paths {
            note(&list.first_match(facts.path?)?.text);
        }
        let text_conditions = [
            (&rule.commands, facts.command, false),
            (&rule.operations, facts.operation, true),
            (&rule.branches, facts.branch, true),
            (&rule.servers, facts.server, true),
            (&rule.tools, facts.tool, true),
            (&rule.capabilities, facts.capability, true),
            (&rule.domains, facts.domain, true),
            (&rule.agents, self.agent.as_deref(), false),
            (&rule.environments, self.environment.as_deref(), false),
        ];
        for (list, fact, fold) in text_conditions {
            if let Some(list) = list {
                let fact = fact?;
                let matched = if fold {
                    list.first_match(&fact.to_lowercase())
                } else {
                    list.first_match(fact)
                };
                note(&matched?.text);
            }
        }
        Some(first)
    }

    /// Checks text for characters that must never be silently matched.
    fn suspicious(&mut self, kind: ActionKind, text: &str, allow_whitespace: bool) -> bool {
        let found = find_suspicious(text, allow_whitespace);
        let found = if allow_whitespace {
            // Commands may span lines; newlines are shell syntax, not tricks.
            found.filter(|(_, c)| *c != '\n' && *c != '\r')
        } else {
            found
        };
        let Some((offset, c)) = found else {
            return false;
        };
        self.signals.suspicious = true;
        self.builtin(
            "input.suspicious_characters",
            Verdict::Block,
            Some(Severity::High),
            kind,
            text,
            "builtin".into(),
            format!(
                "The {} contains {} at byte {offset}, which could hide what it really targets.",
                kind_noun(kind),
                describe(c)
            ),
        );
        true
    }

    /// Evaluates a file read or write; returns the canonical path.
    fn path(&mut self, kind: ActionKind, raw: &str, main: bool) -> Result<String, InputError> {
        if self.suspicious(kind, raw, false) {
            if !main {
                self.derive(kind, raw, Verdict::Block, "input.suspicious_characters");
            }
            return Ok(raw.to_string());
        }
        if !main && is_dynamic(raw) {
            // `cat $F`, `cat .e*`: the shell decides the real file at run
            // time, so no pattern can vouch for it.
            let v = self.builtin(
                "filesystem.dynamic_target",
                Verdict::RequireApproval,
                None,
                kind,
                raw,
                "builtin".into(),
                format!(
                    "`{raw}` is expanded by the shell at run time (variable, glob or substitution), so CAVRA cannot tell which file it is."
                ),
            );
            self.derive(kind, raw, v, "filesystem.dynamic_target");
            return Ok(raw.to_string());
        }
        let target = match canonicalize(raw, self.workspace) {
            Ok(target) => target,
            Err(e) if main => return Err(InputError::field("path", e.message)),
            Err(e) => {
                let v = self.builtin(
                    "filesystem.unparseable_path",
                    Verdict::RequireApproval,
                    None,
                    kind,
                    raw,
                    "builtin".into(),
                    format!("CAVRA cannot interpret the path `{raw}`: {}.", e.message),
                );
                self.derive(kind, raw, v, "filesystem.unparseable_path");
                return Ok(raw.to_string());
            }
        };
        let canonical = target.as_str().to_string();
        let matched_text = match &target {
            PathTarget::Workspace(p) => p.as_str(),
            PathTarget::Outside(p) => p
                .trim_start_matches("~/")
                .trim_start_matches('~')
                .trim_start_matches('/'),
        };
        let folded;
        let matched_text = if self.policy.case_sensitive {
            matched_text
        } else {
            folded = matched_text.to_lowercase();
            folded.as_str()
        };
        let candidate = Candidate::new(matched_text);
        let start = self.hits.len();
        let write = kind == ActionKind::FileWrite;
        let verb = if write { "Writing" } else { "Reading" };
        if target.is_outside() {
            self.signals.outside_workspace = true;
            let decision = if write {
                Verdict::Block
            } else {
                Verdict::RequireApproval
            };
            self.builtin(
                "filesystem.outside_workspace",
                decision,
                None,
                kind,
                &canonical,
                "builtin".into(),
                format!(
                    "{verb} `{canonical}` reaches outside the workspace `{}`.",
                    self.workspace
                ),
            );
        }
        let policy = self.policy;
        let sections: &[PathSection] = if write { &policy.write } else { &policy.read };
        for section in sections {
            if let Some(pattern) = section.list.first_match(&candidate) {
                if section.decision == Verdict::Block {
                    self.signals.secret_path |= !write;
                }
                let list_name = section_list_name(section.rule_id);
                self.push(Hit {
                    rule_id: Cow::Borrowed(section.rule_id),
                    decision: section.decision,
                    pattern: Some(pattern.text.clone()),
                    source: pattern.source.to_string(),
                    severity: None,
                    reason: format!(
                        "{verb} `{canonical}` {}: it matches `{}` in {list_name}.",
                        verdict_phrase(section.decision),
                        pattern.text
                    ),
                    approvers: None,
                    kind,
                    target: canonical.clone(),
                });
            }
        }
        let facts = Facts {
            path: Some(&candidate),
            ..Facts::default()
        };
        self.rules(kind, &canonical, &facts);
        let explicit = self.hits.get(start..).is_some_and(|h| !h.is_empty());
        if !explicit {
            let rule = if write {
                "filesystem.write.allow"
            } else {
                "filesystem.read.allow"
            };
            self.default_hit(
                Cow::Borrowed(rule),
                Verdict::Allow,
                kind,
                &canonical,
                format!("{verb} `{canonical}` matches no rule, so it is allowed."),
            );
        }
        if !main {
            let (verdict, rule) = self.part_result(start);
            self.derive_owned(kind, &canonical, verdict, rule);
        }
        Ok(canonical)
    }

    /// Evaluates a shell command and everything derived from it.
    fn command(&mut self, command: &str) -> Result<(), InputError> {
        if command.trim().is_empty() {
            return Err(InputError::field("command", "must not be empty"));
        }
        if self.suspicious(ActionKind::Command, command, true) {
            return Ok(());
        }
        let analysis = match shell::analyze(command) {
            Ok(analysis) => analysis,
            Err(e) => {
                self.builtin(
                    "commands.unparseable",
                    Verdict::RequireApproval,
                    None,
                    ActionKind::Command,
                    command,
                    "builtin".into(),
                    format!(
                        "CAVRA cannot parse this command ({} at byte {}), so a human must look at it.",
                        e.message, e.offset
                    ),
                );
                return Ok(());
            }
        };
        if analysis.commands.is_empty() {
            return Err(InputError::field("command", "contains no command to run"));
        }
        for simple in &analysis.commands {
            let start = self.hits.len();
            let text = simple.text.as_str();
            let policy = self.policy;
            let mut matched = false;
            for section in &policy.commands {
                if let Some(pattern) = section.list.first_match(text) {
                    matched = true;
                    self.push(Hit {
                        rule_id: Cow::Borrowed(section.rule_id),
                        decision: section.decision,
                        pattern: Some(pattern.text.clone()),
                        source: pattern.source.to_string(),
                        severity: None,
                        reason: format!(
                            "`{text}` {}: it matches `{}` in {}.",
                            verdict_phrase(section.decision),
                            pattern.text,
                            section_list_name(section.rule_id)
                        ),
                        approvers: None,
                        kind: ActionKind::Command,
                        target: text.to_string(),
                    });
                }
            }
            let facts = Facts {
                command: Some(text),
                ..Facts::default()
            };
            matched |= self.rules(ActionKind::Command, text, &facts).is_some();
            if !matched {
                let default = policy.command_default;
                self.default_hit(
                    Cow::Owned(format!("commands.default.{default}")),
                    default,
                    ActionKind::Command,
                    text,
                    format!(
                        "`{text}` matches no command rule, so it gets the default: {}.",
                        default
                    ),
                );
            }
            let (verdict, rule) = self.part_result(start);
            self.derive_owned(ActionKind::Command, text, verdict, rule);
            for effect in &simple.effects {
                match effect {
                    Effect::Read(path) => {
                        self.path(ActionKind::FileRead, path, false)?;
                    }
                    Effect::Write(path) => {
                        self.path(ActionKind::FileWrite, path, false)?;
                    }
                    Effect::Url(url) => {
                        self.network(url, false)?;
                    }
                }
            }
            if simple.program == "git" {
                for git in parse_git_args(&simple.args) {
                    self.git(&git, false);
                }
            }
        }
        for pipeline in &analysis.pipe_to_interpreter {
            self.signals.pipe_to_interpreter = true;
            let v = self.builtin(
                "commands.pipe_to_interpreter",
                Verdict::Block,
                Some(Severity::Critical),
                ActionKind::Command,
                pipeline,
                "builtin".into(),
                format!(
                    "`{pipeline}` runs downloaded code straight in an interpreter, unreviewed."
                ),
            );
            self.derive(
                ActionKind::Command,
                pipeline,
                v,
                "commands.pipe_to_interpreter",
            );
        }
        Ok(())
    }

    /// Evaluates a git action.
    fn git(&mut self, git: &GitAction, main: bool) {
        let start = self.hits.len();
        let kind = ActionKind::Git;
        let branch_lower = git.branch.as_deref().map(str::to_lowercase);
        let settings = &self.policy.git;
        let protected = branch_lower
            .as_deref()
            .and_then(|b| settings.protected.first_match(b))
            .map(|p| p.text.clone());
        let target = match (&git.remote, &git.branch) {
            (Some(r), Some(b)) => format!("{r}/{b}"),
            (None, Some(b)) => b.clone(),
            (Some(r), None) => format!("{r}/HEAD"),
            (None, None) => "HEAD".to_string(),
        };
        let branch = git.branch.as_deref().unwrap_or("HEAD");
        let source = |key: &str| {
            settings
                .sources
                .get(key)
                .map(|s| s.to_string())
                .unwrap_or_else(|| "builtin".into())
        };
        let is_push = matches!(git.operation, GitOperation::Push | GitOperation::ForcePush);
        let force = git.force || git.operation == GitOperation::ForcePush;
        if force {
            self.signals.force = true;
        }
        if protected.is_some() {
            self.signals.protected_branch = true;
        }
        if git.operation == GitOperation::DeleteBranch
            && protected.is_some()
            && settings.block_protected_branch_deletion
        {
            let src = source("block_protected_branch_deletion");
            self.builtin(
                "git.protected_branch.block_delete",
                Verdict::Block,
                Some(Severity::Critical),
                kind,
                &target,
                src,
                format!("Deleting the protected branch `{branch}` is blocked."),
            );
        }
        if force && settings.block_force_push {
            let src = source("block_force_push");
            self.builtin(
                "git.force_push.block",
                Verdict::Block,
                Some(Severity::Critical),
                kind,
                &target,
                src,
                format!("Force-pushing `{branch}` rewrites published history, so it is blocked."),
            );
        }
        if is_push && settings.block_direct_push {
            if let Some(pattern) = &protected {
                let src = source("block_direct_push_to_protected_branch");
                self.push(Hit {
                    rule_id: Cow::Borrowed("git.protected_branch.block_direct_push"),
                    decision: Verdict::Block,
                    pattern: Some(pattern.clone()),
                    source: src,
                    severity: Some(Severity::High),
                    reason: format!(
                        "Pushing straight to the protected branch `{branch}` is blocked; open a pull request instead."
                    ),
                    approvers: None,
                    kind,
                    target: target.clone(),
                });
            } else if git.branch.is_none() {
                self.builtin(
                    "git.push.unnamed_branch",
                    Verdict::RequireApproval,
                    Some(Severity::Medium),
                    kind,
                    &target,
                    "builtin".into(),
                    "This push names no branch, so it goes to the current branch, which may be protected; name the branch (git push origin my-branch).".into(),
                );
            }
        }
        let facts = Facts {
            operation: Some(git.operation.as_str()),
            branch: git.branch.as_deref(),
            ..Facts::default()
        };
        self.rules(kind, &target, &facts);
        if self.hits.len() == start {
            self.default_hit(
                Cow::Borrowed("git.allow"),
                Verdict::Allow,
                kind,
                &target,
                format!(
                    "git {} of `{target}` matches no git rule, so it is allowed.",
                    git.operation.as_str()
                ),
            );
        }
        if !main {
            let (verdict, rule) = self.part_result(start);
            self.derive_owned(
                kind,
                &format!("{} {target}", git.operation.as_str()),
                verdict,
                rule,
            );
        }
    }

    /// Evaluates an MCP tool call.
    fn mcp(&mut self, server: &str, tool: &str, capability: Option<&str>) {
        let kind = ActionKind::McpToolCall;
        let target = format!("{server}:{tool}");
        if self.suspicious(kind, &target, false)
            || capability.is_some_and(|c| self.suspicious(kind, c, false))
        {
            return;
        }
        let server_l = server.to_lowercase();
        let policy = self.policy;
        let settings = &policy.mcp;
        if let Some(pattern) = settings.blocked.first_match(&server_l) {
            self.push(Hit {
                rule_id: Cow::Borrowed("mcp.server.blocked"),
                decision: Verdict::Block,
                pattern: Some(pattern.text.clone()),
                source: pattern.source.to_string(),
                severity: None,
                reason: format!(
                    "The MCP server `{server}` is on the blocked list (`{}`).",
                    pattern.text
                ),
                approvers: None,
                kind,
                target: target.clone(),
            });
        }
        let facts = Facts {
            server: Some(server),
            tool: Some(tool),
            capability,
            ..Facts::default()
        };
        self.rules(kind, &target, &facts);
        if let Some(pattern) = settings.allowed.first_match(&server_l) {
            if let Some(registry) = self.registry {
                self.registry_check(registry, server, tool, capability, &target);
            }
            self.push(Hit {
                rule_id: Cow::Borrowed("mcp.server.trust.allow"),
                decision: Verdict::Allow,
                pattern: Some(pattern.text.clone()),
                source: pattern.source.to_string(),
                severity: None,
                reason: format!(
                    "The MCP server `{server}` is trusted by the policy (`{}`).",
                    pattern.text
                ),
                approvers: None,
                kind,
                target: target.clone(),
            });
        } else if settings.block_unknown_servers {
            self.signals.unknown_mcp_server = true;
            let src = settings.source.to_string();
            self.builtin(
                "mcp.server.trust.block_unknown",
                Verdict::Block,
                None,
                kind,
                &target,
                src,
                format!("The MCP server `{server}` is not on the policy's trusted list, and unknown servers are blocked."),
            );
        } else {
            self.signals.unknown_mcp_server = true;
            self.default_hit(
                Cow::Borrowed("mcp.server.trust.allow_unknown"),
                Verdict::Allow,
                kind,
                &target,
                format!("The MCP server `{server}` is not listed, and the policy lets unknown servers through."),
            );
        }
    }

    /// Refines an allowed server with the trust registry, in the spec's
    /// order: unregistered, blocked/denied, pending/unvetted, tool scope,
    /// capability scope, else allowed.
    fn registry_check(
        &mut self,
        registry: &McpRegistry,
        server: &str,
        tool: &str,
        capability: Option<&str>,
        target: &str,
    ) {
        let (rule_id, decision, reason) = match registry.find(server) {
            None => (
                "mcp.registry.unknown",
                Verdict::Block,
                format!("The MCP server `{server}` is not in the MCP trust registry."),
            ),
            Some(r)
                if r.trust_tier == TrustTier::Blocked
                    || r.approval_state == ApprovalState::Denied =>
            {
                (
                    "mcp.registry.blocked",
                    Verdict::Block,
                    format!("The MCP trust registry blocks `{server}` (tier or approval denied)."),
                )
            }
            Some(r)
                if r.approval_state == ApprovalState::Pending
                    || matches!(r.trust_tier, TrustTier::Unknown | TrustTier::Experimental) =>
            {
                (
                    "mcp.registry.requires_approval",
                    Verdict::RequireApproval,
                    format!("`{server}` is pending approval or not yet vetted in the MCP trust registry."),
                )
            }
            Some(r)
                if !r.allowed_tools.is_empty()
                    && !r.allowed_tools.iter().any(|t| t.eq_ignore_ascii_case(tool)) =>
            {
                (
                    "mcp.registry.tool_scope",
                    Verdict::RequireApproval,
                    format!("The tool `{tool}` is outside what `{server}` was approved for."),
                )
            }
            Some(r)
                if !r.capabilities.is_empty()
                    && !capability.is_some_and(|c| {
                        r.capabilities.iter().any(|x| x.eq_ignore_ascii_case(c))
                    }) =>
            {
                (
                    "mcp.registry.capability_scope",
                    Verdict::RequireApproval,
                    format!(
                        "The capability `{}` is outside what `{server}` was approved for.",
                        capability.unwrap_or("(none given)")
                    ),
                )
            }
            Some(_) => (
                "mcp.registry.allow",
                Verdict::Allow,
                format!("`{server}` is approved in the MCP trust registry for this tool."),
            ),
        };
        self.push(Hit {
            rule_id: Cow::Borrowed(rule_id),
            decision,
            pattern: None,
            source: "mcp registry".into(),
            severity: None,
            reason,
            approvers: (decision == Verdict::RequireApproval).then(|| "AI Governance".to_string()),
            kind: ActionKind::McpToolCall,
            target: target.to_string(),
        });
    }

    /// Severity from `mcp.risk_scoring`, by server name, then capability.
    fn mcp_risk(&self, action: &Action) -> Option<Severity> {
        let Action::McpToolCall {
            server, capability, ..
        } = action
        else {
            return None;
        };
        let scoring = &self.policy.mcp.risk_scoring;
        scoring.get(&server.to_lowercase()).copied().or_else(|| {
            capability
                .as_ref()
                .and_then(|c| scoring.get(&c.to_lowercase()).copied())
        })
    }

    /// Evaluates a URL fetch; returns the normalised URL.
    fn network(&mut self, raw: &str, main: bool) -> Result<String, InputError> {
        let kind = ActionKind::Network;
        let start = self.hits.len();
        if self.suspicious(kind, raw, false) {
            if !main {
                self.derive(kind, raw, Verdict::Block, "input.suspicious_characters");
            }
            return Ok(raw.to_string());
        }
        let url = match parse_url(raw) {
            Ok(url) => url,
            Err(e) if main => return Err(InputError::field("url", e.message)),
            Err(e) => {
                let v = self.builtin(
                    "network.unparseable",
                    Verdict::RequireApproval,
                    None,
                    kind,
                    raw,
                    "builtin".into(),
                    format!("CAVRA cannot interpret the URL `{raw}`: {}.", e.message),
                );
                self.derive(kind, raw, v, "network.unparseable");
                return Ok(raw.to_string());
            }
        };
        let policy = self.policy;
        let mut matched = false;
        for section in &policy.network {
            if let Some(pattern) = section.list.first_match(&url.host) {
                matched = true;
                self.push(Hit {
                    rule_id: Cow::Borrowed(section.rule_id),
                    decision: section.decision,
                    pattern: Some(pattern.text.clone()),
                    source: pattern.source.to_string(),
                    severity: None,
                    reason: format!(
                        "Fetching from `{}` {}: it matches `{}` in {}.",
                        url.host,
                        verdict_phrase(section.decision),
                        pattern.text,
                        section_list_name(section.rule_id)
                    ),
                    approvers: None,
                    kind,
                    target: url.normalized.clone(),
                });
            }
        }
        let facts = Facts {
            domain: Some(&url.host),
            ..Facts::default()
        };
        matched |= self.rules(kind, &url.normalized, &facts).is_some();
        if !matched {
            let default = policy.network_default;
            self.default_hit(
                Cow::Owned(format!("network.default.{default}")),
                default,
                kind,
                &url.normalized,
                format!(
                    "The domain `{}` is on no list, so it gets the default: {default}.",
                    url.host
                ),
            );
        }
        if !main {
            let (verdict, rule) = self.part_result(start);
            self.derive_owned(kind, &url.normalized, verdict, rule);
        }
        Ok(url.normalized)
    }

    /// Evaluates opening a pull request.
    fn pull_request(&mut self, branch: Option<&str>) {
        let kind = ActionKind::PullRequest;
        let target = branch.unwrap_or("pull_request");
        let start = self.hits.len();
        let facts = Facts {
            branch,
            operation: Some("pull_request"),
            ..Facts::default()
        };
        self.rules(kind, target, &facts);
        if self.hits.len() == start {
            let attest = self.policy.policy.git.require_pull_request.unwrap_or(true)
                || self
                    .policy
                    .policy
                    .git
                    .require_ai_attestation
                    .unwrap_or(true);
            if attest {
                self.push(Hit {
                    rule_id: Cow::Borrowed("git.pull_request.allow_with_attestation"),
                    decision: Verdict::AllowWithAttestation,
                    pattern: None,
                    source: self
                        .policy
                        .git
                        .sources
                        .get("require_pull_request")
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "builtin".into()),
                    severity: None,
                    reason: "Opening a pull request is allowed; CAVRA attests that an AI agent prepared it, for the reviewers.".into(),
                    approvers: None,
                    kind,
                    target: target.to_string(),
                });
            } else {
                self.default_hit(
                    Cow::Borrowed("git.pull_request.allow"),
                    Verdict::Allow,
                    kind,
                    target,
                    "Opening a pull request is allowed.".into(),
                );
            }
        }
    }

    /// Most restrictive verdict among the hits since `start`, and its rule.
    fn part_result(&self, start: usize) -> (Verdict, String) {
        let part = self.hits.get(start..).unwrap_or_default();
        let verdict = part
            .iter()
            .map(|h| h.decision)
            .max()
            .unwrap_or(Verdict::Allow);
        let rule = part
            .iter()
            .filter(|h| h.decision == verdict)
            .min_by_key(|h| h.source == "default")
            .map(|h| h.rule_id.to_string())
            .unwrap_or_default();
        (verdict, rule)
    }

    fn derive(&mut self, kind: ActionKind, target: &str, verdict: Verdict, rule: &str) {
        self.derive_owned(kind, target, verdict, rule.to_string());
    }

    fn derive_owned(&mut self, kind: ActionKind, target: &str, verdict: Verdict, rule: String) {
        let severity = self
            .hits
            .iter()
            .rev()
            .find(|h| h.rule_id == rule.as_str())
            .and_then(|h| h.severity)
            .unwrap_or_else(|| default_severity(verdict, kind, target));
        self.derived.push(DerivedAction {
            action_type: kind.record_name().to_string(),
            target: target.to_string(),
            decision: verdict,
            rule_id: rule,
            severity,
        });
    }
}

/// Whether a shell word names a file only after expansion.
fn is_dynamic(word: &str) -> bool {
    word.contains(['$', '`', '*', '?', '[', '{'])
}

fn kind_noun(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::FileRead => "file read",
        ActionKind::FileWrite => "file write",
        ActionKind::Command => "command",
        ActionKind::Git => "git operation",
        ActionKind::McpToolCall => "MCP tool call",
        ActionKind::Network => "network request",
        ActionKind::PullRequest => "pull request",
    }
}

fn verdict_phrase(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Block => "is blocked",
        Verdict::RequireApproval => "needs approval",
        Verdict::AllowWithAttestation => "is allowed with an attestation",
        Verdict::Allow => "is allowed",
    }
}

/// The policy-language name of the list behind a section rule id.
fn section_list_name(rule_id: &str) -> &'static str {
    match rule_id {
        "filesystem.read.block" => "filesystem.block_read",
        "filesystem.read.require_approval" => "filesystem.require_approval_read",
        "filesystem.read.allow" => "filesystem.allow_read",
        "filesystem.write.block" => "filesystem.block_write",
        "filesystem.write.require_approval" => "filesystem.require_approval_write",
        "filesystem.write.allow" => "filesystem.allow_write",
        "commands.block" => "commands.block",
        "commands.require_approval" => "commands.require_approval",
        "commands.allow" => "commands.allow",
        "network.block" => "network.block_domains",
        "network.allow" => "network.allow_domains",
        _ => "the policy",
    }
}

/// Words that make a blocked command critical: it destroys, or changes
/// production or identity and access.
const CRITICAL_WORDS: [&str; 14] = [
    "apply",
    "delete",
    "destroy",
    "drop",
    "truncate",
    "purge",
    "rm -rf",
    "rm -fr",
    "mkfs",
    "iam",
    "role",
    "policy",
    "access-key",
    "shred",
];

/// Default severity of a verdict for a kind of action (a rule's own wins).
pub(crate) fn default_severity(verdict: Verdict, kind: ActionKind, target: &str) -> Severity {
    match verdict {
        Verdict::Block => {
            if kind == ActionKind::Command && CRITICAL_WORDS.iter().any(|w| target.contains(w)) {
                Severity::Critical
            } else {
                Severity::High
            }
        }
        Verdict::RequireApproval if kind == ActionKind::FileWrite => Severity::High,
        Verdict::RequireApproval | Verdict::AllowWithAttestation => Severity::Medium,
        Verdict::Allow => Severity::Low,
    }
}

fn default_approvers(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::FileWrite | ActionKind::FileRead | ActionKind::Network => "Platform Security",
        ActionKind::McpToolCall => "AI Governance",
        ActionKind::Command | ActionKind::Git | ActionKind::PullRequest => "Repository Owners",
    }
}

/// The decision's reason: the determining hit's sentence, prefixed with the
/// command when the hit came from a part of it.
fn main_reason(action: &Action, target: &str, hit: &Hit) -> String {
    match action {
        Action::Command { .. } if hit.target != target => {
            format!("In `{target}`: {}", hit.reason)
        }
        _ => hit.reason.clone(),
    }
}
