//! Claude Code hooks: one `PreToolUse` or `PostToolUse` event in, one
//! [`ActionRequest`] out, and a decision back as the JSON Claude Code reads.
//!
//! The event carries `session_id`, `cwd`, `hook_event_name`, `tool_name`
//! and `tool_input` (and, after the call, `tool_response`, which is not
//! needed). Tools map to actions as follows:
//!
//! | tool | action |
//! |---|---|
//! | `Bash` | command `tool_input.command` |
//! | `Read`, `NotebookRead` | file read of `file_path` / `notebook_path` |
//! | `Write`, `Edit`, `MultiEdit` | file write of `file_path` |
//! | `NotebookEdit` | file write of `notebook_path` |
//! | `Glob`, `Grep`, `LS` | file read of the searched `path` (default `.`, the cwd); patterns and `glob` filters are not paths |
//! | `WebFetch` | network request to `url` |
//! | `WebSearch` | network request to `https://web-search.claude-code.invalid/search?q=<query>` |
//! | `mcp__<server>__<tool>` | MCP tool call, split at the first `__` after the prefix |
//! | anything else | `require_approval` under rule `claude_code.unknown_tool` |
//!
//! `WebSearch` has no URL: Claude Code's search runs on Anthropic's side.
//! It is evaluated as a network action on a reserved host (`.invalid` can
//! never resolve), so a policy decides it like any other domain: the
//! baseline's `network.default: require_approval` asks, and a pack that
//! lists `web-search.claude-code.invalid` in `allow_domains` allows it. The
//! query is kept in the URL so the session log shows what was searched.
//!
//! A tool this file does not know (a new built-in, `TodoWrite`, `Agent`) is
//! not guessed at: it needs a human, unless the mode is `audit_only`.

use crate::action::{Action, ActionContext, ActionRequest};
use crate::decision::{Decision, DecisionStamp, MatchedRule};
use crate::policy::compile::CompiledPolicy;
use crate::risk::{risk_score, Signals};
use crate::verdict::{Mode, Severity, Verdict};
use serde_json::{json, Map, Value};
use std::fmt;
use std::path::PathBuf;

/// The agent id recorded in every decision.
pub(crate) const AGENT_ID: &str = "claude-code";
/// The reserved host `WebSearch` is evaluated as.
pub(crate) const WEB_SEARCH_HOST: &str = "web-search.claude-code.invalid";
/// The rule id of the decision for a tool CAVRA cannot map.
pub(crate) const UNKNOWN_TOOL_RULE: &str = "claude_code.unknown_tool";

/// The hook events CAVRA handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HookEventName {
    /// Before the tool runs: the answer decides whether it runs.
    PreToolUse,
    /// After the tool ran: recorded only.
    PostToolUse,
}

/// One parsed hook event.
#[derive(Debug, Clone)]
pub(crate) struct HookEvent {
    /// Which event.
    pub event: HookEventName,
    /// Claude Code's session id, as given.
    pub session_id: String,
    /// The event's working directory, made absolute: the workspace.
    pub cwd: PathBuf,
    /// The tool's name.
    pub tool_name: String,
    /// The action, or `None` for a tool CAVRA does not know.
    pub action: Option<Action>,
}

/// A hook event CAVRA cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HookError {
    message: String,
}

impl HookError {
    fn new(message: impl Into<String>) -> Self {
        HookError {
            message: message.into(),
        }
    }
}

impl fmt::Display for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid Claude Code hook event: {}", self.message)
    }
}

impl std::error::Error for HookError {}

impl HookEvent {
    /// Parses the JSON Claude Code writes to the hook's stdin.
    pub(crate) fn parse(text: &str) -> Result<HookEvent, HookError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            HookError::new(format!(
                "not valid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ))
        })?;
        let object = value
            .as_object()
            .ok_or_else(|| HookError::new("the event must be a JSON object"))?;
        let event = match required_str(object, "hook_event_name")? {
            "PreToolUse" => HookEventName::PreToolUse,
            "PostToolUse" => HookEventName::PostToolUse,
            other => {
                return Err(HookError::new(format!(
                    "`hook_event_name` is `{other}`; `cavra hook claude-code` handles PreToolUse and PostToolUse"
                )))
            }
        };
        let session_id = required_str(object, "session_id")?.to_string();
        let cwd = PathBuf::from(required_str(object, "cwd")?);
        let cwd = std::path::absolute(&cwd).unwrap_or(cwd);
        let tool_name = required_str(object, "tool_name")?.to_string();
        let input = match object.get("tool_input") {
            Some(Value::Object(input)) => input,
            Some(_) => return Err(HookError::new("`tool_input` must be a JSON object")),
            None => return Err(HookError::new("missing `tool_input`")),
        };
        let action = map_tool(&tool_name, input)?;
        Ok(HookEvent {
            event,
            session_id,
            cwd,
            tool_name,
            action,
        })
    }

    /// The request to evaluate, when the tool maps to an action.
    pub(crate) fn request(&self) -> Option<ActionRequest> {
        let action = self.action.clone()?;
        Some(ActionRequest {
            action,
            context: ActionContext {
                session_id: Some(self.session_id.clone()),
                agent_id: Some(AGENT_ID.to_string()),
                actor: None,
                environment: None,
                workspace: Some(self.cwd.display().to_string()),
            },
        })
    }
}

/// The action a tool call stands for; `None` for a tool CAVRA does not know.
pub(crate) fn map_tool(
    tool: &str,
    input: &Map<String, Value>,
) -> Result<Option<Action>, HookError> {
    let action = match tool {
        "Bash" => Action::Command {
            command: input_str(tool, input, "command")?,
        },
        "Read" => Action::FileRead {
            path: input_str(tool, input, "file_path")?,
        },
        "NotebookRead" => Action::FileRead {
            path: input_str(tool, input, "notebook_path")?,
        },
        "Write" | "Edit" | "MultiEdit" => Action::FileWrite {
            path: input_str(tool, input, "file_path")?,
        },
        "NotebookEdit" => Action::FileWrite {
            path: input_str(tool, input, "notebook_path")?,
        },
        // The searched directory or file; `pattern` and `glob` select
        // names inside it and are not paths of their own.
        "Glob" | "Grep" | "LS" => Action::FileRead {
            path: optional_input_str(tool, input, "path")?.unwrap_or_else(|| ".".to_string()),
        },
        "WebFetch" => Action::Network {
            url: input_str(tool, input, "url")?,
        },
        "WebSearch" => {
            let query = input_str(tool, input, "query")?;
            let encoded: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
            Action::Network {
                url: format!("https://{WEB_SEARCH_HOST}/search?q={encoded}"),
            }
        }
        _ => match tool.strip_prefix("mcp__") {
            Some(rest) => {
                let (server, name) = split_mcp(rest).ok_or_else(|| {
                    HookError::new(format!(
                        "MCP tool name `{tool}` is not `mcp__<server>__<tool>`"
                    ))
                })?;
                Action::McpToolCall {
                    server: server.to_string(),
                    tool: name.to_string(),
                    capability: None,
                    arguments: Value::Object(input.clone()),
                }
            }
            None => return Ok(None),
        },
    };
    Ok(Some(action))
}

/// Splits `<server>__<tool>` at the first `__`. Server names may contain
/// single underscores (`my_server__search` is server `my_server`); a server
/// name with `__` of its own cannot be told apart from its tool, and is read
/// as ending at its first `__`.
fn split_mcp(rest: &str) -> Option<(&str, &str)> {
    let (server, tool) = rest.split_once("__")?;
    (!server.is_empty() && !tool.is_empty()).then_some((server, tool))
}

fn required_str<'a>(object: &'a Map<String, Value>, field: &str) -> Result<&'a str, HookError> {
    match object.get(field) {
        Some(Value::String(text)) if !text.is_empty() => Ok(text),
        Some(Value::String(_)) => Err(HookError::new(format!("`{field}` is empty"))),
        Some(_) => Err(HookError::new(format!("`{field}` must be a string"))),
        None => Err(HookError::new(format!("missing `{field}`"))),
    }
}

fn input_str(tool: &str, input: &Map<String, Value>, field: &str) -> Result<String, HookError> {
    optional_input_str(tool, input, field)?
        .ok_or_else(|| HookError::new(format!("{tool}: missing `tool_input.{field}`")))
}

fn optional_input_str(
    tool: &str,
    input: &Map<String, Value>,
    field: &str,
) -> Result<Option<String>, HookError> {
    match input.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(HookError::new(format!(
            "{tool}: `tool_input.{field}` must be a string"
        ))),
    }
}

/// The decision for a tool CAVRA cannot map: a human confirms it.
pub(crate) fn unknown_tool_decision(
    policy: &CompiledPolicy,
    mode: Mode,
    event: &HookEvent,
    stamp: DecisionStamp,
) -> Decision {
    let verdict = Verdict::RequireApproval;
    let severity = Severity::Medium;
    let (effective, enforced) = match mode {
        Mode::AuditOnly => (Verdict::Allow, false),
        _ => (verdict, true),
    };
    Decision {
        evidence_refs: vec![format!(
            "evidence://{}/{}",
            event.session_id, stamp.decision_id
        )],
        decision_id: stamp.decision_id,
        session_id: event.session_id.clone(),
        agent_id: AGENT_ID.to_string(),
        actor: "ai-agent".to_string(),
        action_type: "tool_call".to_string(),
        target: event.tool_name.clone(),
        requested_operation: "call".to_string(),
        policy_pack: policy.id().to_string(),
        policy_id: policy.id().to_string(),
        rule_id: UNKNOWN_TOOL_RULE.to_string(),
        decision: verdict,
        severity,
        reason: format!(
            "Claude Code tool `{}` is not one CAVRA can evaluate; a human confirms it.",
            event.tool_name
        ),
        approver_group: Some("Engineering Lead".to_string()),
        timestamp: stamp.timestamp,
        correlation_id: stamp.correlation_id,
        effective_decision: effective,
        enforced,
        mode,
        break_glass: false,
        risk_score: risk_score(severity, verdict, &Signals::default()),
        policy_version: policy.version().to_string(),
        policy_digest: policy.digest.clone(),
        matched_rules: vec![MatchedRule {
            rule_id: UNKNOWN_TOOL_RULE.to_string(),
            decision: verdict,
            pattern: None,
            source: "builtin".to_string(),
        }],
        derived_actions: Vec::new(),
        controls: Vec::new(),
        engine_version: crate::ENGINE_VERSION.to_string(),
    }
}

/// Claude Code's permission decision for an effective verdict.
pub(crate) fn permission(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Allow | Verdict::AllowWithAttestation => "allow",
        Verdict::RequireApproval => "ask",
        Verdict::Block => "deny",
    }
}

/// The `PreToolUse` answer for a decision; the effective verdict decides.
pub(crate) fn pre_tool_use_output(decision: &Decision) -> Value {
    let mut reason = format!("CAVRA: {} [rule {}", decision.reason, decision.rule_id);
    if decision.effective_decision == Verdict::RequireApproval {
        if let Some(group) = &decision.approver_group {
            reason.push_str(&format!(", approver: {group}"));
        }
    }
    if !decision.enforced {
        reason.push_str(&format!(
            ", {} recorded only (audit_only)",
            decision.decision.as_str()
        ));
    }
    reason.push_str(&format!(", {}]", decision.decision_id));
    output(permission(decision.effective_decision), &reason)
}

/// The `PreToolUse` answer when CAVRA itself failed: deny.
pub(crate) fn fail_closed_output(error: &str) -> Value {
    output("deny", &format!("CAVRA failed closed: {error}"))
}

fn output(permission: &str, reason: &str) -> Value {
    json!({
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": permission,
            "permissionDecisionReason": reason,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(tool: &str, input: Value) -> Result<Option<Action>, HookError> {
        match input {
            Value::Object(input) => map_tool(tool, &input),
            _ => panic!("test input must be an object"),
        }
    }

    #[test]
    fn mcp_names_split_at_the_first_double_underscore() {
        for (name, server, tool) in [
            ("mcp__github__create_issue", "github", "create_issue"),
            ("mcp__my_server__read_file", "my_server", "read_file"),
            ("mcp__a__b__c", "a", "b__c"),
        ] {
            match map(name, json!({})) {
                Ok(Some(Action::McpToolCall {
                    server: s, tool: t, ..
                })) => assert_eq!((s.as_str(), t.as_str()), (server, tool), "{name}"),
                other => panic!("{name}: {other:?}"),
            }
        }
        for name in ["mcp__", "mcp__github", "mcp____tool", "mcp__github__"] {
            assert!(map(name, json!({})).is_err(), "{name}");
        }
    }

    #[test]
    fn searches_default_to_the_cwd_and_ignore_patterns() {
        assert_eq!(
            map("Grep", json!({"pattern": "password", "glob": "*.env"})),
            Ok(Some(Action::FileRead { path: ".".into() }))
        );
        assert_eq!(
            map("Glob", json!({"pattern": "**/*.rs", "path": "src"})),
            Ok(Some(Action::FileRead { path: "src".into() }))
        );
    }

    #[test]
    fn unknown_tools_map_to_nothing() {
        assert_eq!(map("TodoWrite", json!({"todos": []})), Ok(None));
    }

    #[test]
    fn web_search_is_a_network_action_on_the_reserved_host() {
        assert_eq!(
            map("WebSearch", json!({"query": "rust & wasm"})),
            Ok(Some(Action::Network {
                url: "https://web-search.claude-code.invalid/search?q=rust+%26+wasm".into()
            }))
        );
    }
}
