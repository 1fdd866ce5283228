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
use crate::policy::model::Pattern;
use crate::risk::{risk_score, Signals};
use crate::verdict::{Mode, Severity, Verdict};
use globset::Candidate;
use std::borrow::Cow;
use std::sync::Arc;
pub(crate) use wording::default_severity;
use wording::{
    default_approvers, is_dynamic, kind_noun, main_reason, section_list_name, verdict_phrase,
};

mod commands;
mod files;
mod git;
mod mcp;
mod network;
mod wording;

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

    // Every part records at least its default, so there is always a hit;
    // were there none, fail closed rather than allow.
    let verdict = eval
        .hits
        .iter()
        .map(|h| h.decision)
        .max()
        .unwrap_or(Verdict::RequireApproval);
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
            reason: "No rule applied, so a human must decide.".into(),
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

    /// A built-in approval for a derived part CAVRA cannot judge (a
    /// shell-expanded word, an unparseable path or URL), recorded both as a
    /// hit and as the part's own verdict.
    fn unjudgeable_part(
        &mut self,
        rule_id: &'static str,
        kind: ActionKind,
        raw: &str,
        reason: String,
    ) {
        let verdict = self.builtin(
            rule_id,
            Verdict::RequireApproval,
            None,
            kind,
            raw,
            "builtin".into(),
            reason,
        );
        self.derive(kind, raw, verdict, rule_id);
    }

    /// Records a match of a section list entry (`filesystem.*`,
    /// `commands.*`, `network.*`): `subject` is how the reason names the
    /// part, e.g. "Reading `.env`".
    fn section_hit(
        &mut self,
        rule_id: &'static str,
        decision: Verdict,
        pattern: &Pattern,
        kind: ActionKind,
        target: &str,
        subject: &str,
    ) {
        self.push(Hit {
            rule_id: Cow::Borrowed(rule_id),
            decision,
            pattern: Some(pattern.text.clone()),
            source: pattern.source.to_string(),
            severity: None,
            reason: format!(
                "{subject} {}: it matches `{}` in {}.",
                verdict_phrase(decision),
                pattern.text,
                section_list_name(rule_id)
            ),
            approvers: None,
            kind,
            target: target.to_string(),
        });
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

    /// Most restrictive verdict among the hits since `start`, and its rule.
    fn part_result(&self, start: usize) -> (Verdict, String) {
        let part = self.hits.get(start..).unwrap_or_default();
        let verdict = part
            .iter()
            .map(|h| h.decision)
            .max()
            .unwrap_or(Verdict::RequireApproval);
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
