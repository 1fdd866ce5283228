//! The Action model: what an agent asks to do, before any analysis.
//!
//! Every surface (CLI, MCP, hooks, browser) produces an [`ActionRequest`]:
//! one [`Action`] plus who is asking. Two JSON shapes are accepted, the
//! tagged form (`{"type": "file_read", "path": ".env"}`) and the request
//! shape of older CAVRA (`{"action_type": "read_file", "target": ".env"}`),
//! and both become the same value, so nothing downstream knows which came in.

use crate::analyze::git::{branch_name, GitAction, GitOperation};
use serde_json::{Map, Value};
use std::fmt;

/// Longest accepted command string, in bytes.
pub const MAX_COMMAND_BYTES: usize = 64 * 1024;
/// Longest accepted value of any other action field, in bytes.
pub const MAX_FIELD_BYTES: usize = 8 * 1024;

/// One thing an agent wants to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Read a file.
    FileRead {
        /// The path as the agent gave it.
        path: String,
    },
    /// Create, change or delete a file.
    FileWrite {
        /// The path as the agent gave it.
        path: String,
    },
    /// Run a shell command.
    Command {
        /// The command line as the agent gave it.
        command: String,
    },
    /// A structured git operation.
    Git(GitAction),
    /// Call a tool of an MCP server.
    McpToolCall {
        /// Server name.
        server: String,
        /// Tool name.
        tool: String,
        /// Capability the tool exercises, when known.
        capability: Option<String>,
        /// Tool arguments, kept for the record.
        arguments: Value,
    },
    /// Fetch a URL.
    Network {
        /// The URL as the agent gave it.
        url: String,
    },
    /// Open a pull request.
    PullRequest {
        /// Title of the pull request.
        title: Option<String>,
        /// Source branch.
        branch: Option<String>,
    },
}

/// The kinds of action, as policies and decision records name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// `file_read` / `read_file`.
    FileRead,
    /// `file_write` / `write_file`.
    FileWrite,
    /// `command` / `execute_command`.
    Command,
    /// `git` / `git_operation`.
    Git,
    /// `mcp_tool_call`.
    McpToolCall,
    /// `network` / `network_request`.
    Network,
    /// `pull_request`.
    PullRequest,
}

impl ActionKind {
    /// The policy-language name (`file_read`, `command`, ...).
    pub fn policy_name(self) -> &'static str {
        match self {
            ActionKind::FileRead => "file_read",
            ActionKind::FileWrite => "file_write",
            ActionKind::Command => "command",
            ActionKind::Git => "git",
            ActionKind::McpToolCall => "mcp_tool_call",
            ActionKind::Network => "network",
            ActionKind::PullRequest => "pull_request",
        }
    }

    /// The decision-record name (`read_file`, `execute_command`, ...).
    pub fn record_name(self) -> &'static str {
        match self {
            ActionKind::FileRead => "read_file",
            ActionKind::FileWrite => "write_file",
            ActionKind::Command => "execute_command",
            ActionKind::Git => "git_operation",
            ActionKind::McpToolCall => "mcp_tool_call",
            ActionKind::Network => "network_request",
            ActionKind::PullRequest => "pull_request",
        }
    }

    /// Parses either name form.
    pub fn parse(name: &str) -> Option<ActionKind> {
        Some(match name {
            "file_read" | "read_file" => ActionKind::FileRead,
            "file_write" | "write_file" => ActionKind::FileWrite,
            "command" | "execute_command" => ActionKind::Command,
            "git" | "git_operation" => ActionKind::Git,
            "mcp_tool_call" | "mcp" => ActionKind::McpToolCall,
            "network" | "network_request" => ActionKind::Network,
            "pull_request" => ActionKind::PullRequest,
            _ => return None,
        })
    }
}

impl Action {
    /// The kind of this action.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::FileRead { .. } => ActionKind::FileRead,
            Action::FileWrite { .. } => ActionKind::FileWrite,
            Action::Command { .. } => ActionKind::Command,
            Action::Git(_) => ActionKind::Git,
            Action::McpToolCall { .. } => ActionKind::McpToolCall,
            Action::Network { .. } => ActionKind::Network,
            Action::PullRequest { .. } => ActionKind::PullRequest,
        }
    }
}

/// Who is acting, and where.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionContext {
    /// Session the action belongs to (default `local`).
    pub session_id: Option<String>,
    /// The acting agent (default `unknown-agent`).
    pub agent_id: Option<String>,
    /// The actor on whose behalf the agent acts (default `ai-agent`).
    pub actor: Option<String>,
    /// Deployment environment the action touches, e.g. `production`.
    pub environment: Option<String>,
    /// Workspace root for path canonicalisation.
    pub workspace: Option<String>,
}

/// An action plus its context: the input to a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRequest {
    /// What is asked.
    pub action: Action,
    /// Who asks, and where.
    pub context: ActionContext,
}

impl ActionRequest {
    /// A request with an empty context.
    pub fn new(action: Action) -> Self {
        ActionRequest {
            action,
            context: ActionContext::default(),
        }
    }
}

/// Bad action input: what was wrong and in which field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Lowercase sentence saying what is wrong.
    pub message: String,
    /// The offending field, when there is one.
    pub field: Option<String>,
}

impl InputError {
    /// An error about a named field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        InputError {
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    /// An error about the input as a whole.
    pub fn general(message: impl Into<String>) -> Self {
        InputError {
            message: message.into(),
            field: None,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "invalid action: field `{field}`: {}", self.message),
            None => write!(f, "invalid action: {}", self.message),
        }
    }
}

impl std::error::Error for InputError {}

const TAGGED_TYPES: &str =
    "file_read, file_write, command, git, mcp_tool_call, network, pull_request";
const OLD_TYPES: &str =
    "read_file, write_file, execute_command, git_operation, mcp_tool_call, pull_request";

impl ActionRequest {
    /// Parses an action from JSON text (either shape).
    pub fn from_json_str(text: &str) -> Result<ActionRequest, InputError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            InputError::general(format!(
                "not valid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ))
        })?;
        ActionRequest::from_json(&value)
    }

    /// Parses an action from a JSON value (either shape).
    pub fn from_json(value: &Value) -> Result<ActionRequest, InputError> {
        let object = value
            .as_object()
            .ok_or_else(|| InputError::general("an action must be a JSON object"))?;
        let context = ActionContext {
            session_id: optional_str(object, "session_id")?,
            agent_id: optional_str(object, "agent_id")?,
            actor: optional_str(object, "actor")?,
            environment: optional_str(object, "environment")?,
            workspace: optional_str(object, "workspace")?,
        };
        let action = if object.contains_key("type") {
            parse_tagged(object)?
        } else if object.contains_key("action_type") {
            parse_old_shape(object)?
        } else {
            return Err(InputError::general(format!(
                "missing `type` (one of {TAGGED_TYPES})"
            )));
        };
        Ok(ActionRequest { action, context })
    }
}

fn parse_tagged(object: &Map<String, Value>) -> Result<Action, InputError> {
    let kind_name = required_str(object, "type")?;
    let kind = match kind_name.as_str() {
        "file_read" | "file_write" | "command" | "git" | "mcp_tool_call" | "network"
        | "pull_request" => ActionKind::parse(&kind_name),
        _ => None,
    }
    .ok_or_else(|| {
        InputError::field(
            "type",
            format!("unknown action type `{kind_name}` (expected one of {TAGGED_TYPES})"),
        )
    })?;
    Ok(match kind {
        ActionKind::FileRead => Action::FileRead {
            path: required_str(object, "path")?,
        },
        ActionKind::FileWrite => Action::FileWrite {
            path: required_str(object, "path")?,
        },
        ActionKind::Command => Action::Command {
            command: required_str(object, "command")?,
        },
        ActionKind::Git => parse_git(object, "operation")?,
        ActionKind::McpToolCall => parse_mcp(object)?,
        ActionKind::Network => Action::Network {
            url: required_str(object, "url")?,
        },
        ActionKind::PullRequest => Action::PullRequest {
            title: optional_str(object, "title")?,
            branch: optional_str(object, "branch")?,
        },
    })
}

fn parse_old_shape(object: &Map<String, Value>) -> Result<Action, InputError> {
    let kind_name = required_str(object, "action_type")?;
    let kind = match kind_name.as_str() {
        "read_file" | "write_file" | "execute_command" | "git_operation" | "mcp_tool_call"
        | "pull_request" | "network_request" => ActionKind::parse(&kind_name),
        _ => None,
    }
    .ok_or_else(|| {
        InputError::field(
            "action_type",
            format!("unknown action type `{kind_name}` (expected one of {OLD_TYPES})"),
        )
    })?;
    let operation = match optional_str(object, "operation")? {
        Some(op) => Some(op),
        None => optional_str(object, "requested_operation")?,
    };
    Ok(match kind {
        ActionKind::FileRead => Action::FileRead {
            path: required_str(object, "target")?,
        },
        ActionKind::FileWrite => Action::FileWrite {
            path: required_str(object, "target")?,
        },
        ActionKind::Command => Action::Command {
            command: match optional_str(object, "target")? {
                Some(target) => target,
                None => operation
                    .ok_or_else(|| InputError::field("target", "missing (the command to run)"))?,
            },
        },
        ActionKind::Git => {
            // Older CAVRA put `origin/main` in `target`.
            let target = optional_str(object, "target")?;
            let operation = operation.unwrap_or_else(|| "push".to_string());
            let (remote, branch) = match target.as_deref().and_then(|t| t.split_once('/')) {
                Some((remote, branch)) => (Some(remote.to_string()), Some(branch.to_string())),
                None => (None, target),
            };
            let force = optional_bool(object, "force")?.unwrap_or(false);
            Action::Git(git_action(&operation, remote, branch, force))
        }
        ActionKind::McpToolCall => parse_mcp(object)?,
        ActionKind::Network => Action::Network {
            url: required_str(object, "target")?,
        },
        ActionKind::PullRequest => Action::PullRequest {
            title: optional_str(object, "title")?,
            branch: optional_str(object, "target")?,
        },
    })
}

fn parse_git(object: &Map<String, Value>, op_field: &str) -> Result<Action, InputError> {
    let operation = required_str(object, op_field)?;
    let remote = optional_str(object, "remote")?;
    let branch = match optional_str(object, "branch")? {
        Some(branch) => Some(branch),
        None => optional_str(object, "ref")?,
    };
    let force = optional_bool(object, "force")?.unwrap_or(false);
    Ok(Action::Git(git_action(&operation, remote, branch, force)))
}

/// Builds a structured git action from an operation name, a remote and a
/// ref as a caller wrote them. The ref is read as a refspec, exactly as git
/// would: `+ref` forces, `src:dst` targets `dst`, `:dst` deletes `dst`, and
/// `refs/heads/` and the remote prefix are stripped, so `HEAD:main` and
/// `refs/heads/main` are both pushes to `main`.
pub fn git_action(
    operation: &str,
    remote: Option<String>,
    reference: Option<String>,
    force: bool,
) -> GitAction {
    let mut operation = GitOperation::parse(operation);
    let mut force = force || operation == GitOperation::ForcePush;
    let mut branch = None;
    if let Some(reference) = reference {
        let reference = match reference.strip_prefix('+') {
            Some(rest) => {
                force = true;
                rest.to_string()
            }
            None => reference,
        };
        let target = match reference.split_once(':') {
            Some(("", dst)) => {
                operation = GitOperation::DeleteBranch;
                dst.to_string()
            }
            Some((src, "")) => src.to_string(),
            Some((_, dst)) => dst.to_string(),
            None => reference,
        };
        branch = Some(branch_name(&target, remote.as_deref()));
    }
    // A force flag and the `force_push` operation say the same thing.
    if force && operation == GitOperation::Push {
        operation = GitOperation::ForcePush;
    }
    GitAction {
        operation,
        remote,
        branch,
        force,
        no_verify: false,
    }
}

fn parse_mcp(object: &Map<String, Value>) -> Result<Action, InputError> {
    let arguments = object.get("arguments").cloned().unwrap_or(Value::Null);
    if !(arguments.is_null() || arguments.is_object()) {
        return Err(InputError::field("arguments", "must be a JSON object"));
    }
    Ok(Action::McpToolCall {
        server: required_str(object, "server")?,
        tool: required_str(object, "tool")?,
        capability: optional_str(object, "capability")?,
        arguments,
    })
}

fn field_limit(field: &str) -> usize {
    if field == "command" || field == "target" {
        MAX_COMMAND_BYTES
    } else {
        MAX_FIELD_BYTES
    }
}

fn optional_str(object: &Map<String, Value>, field: &str) -> Result<Option<String>, InputError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => {
            let limit = field_limit(field);
            if text.len() > limit {
                return Err(InputError::field(
                    field,
                    format!("is {} bytes, longer than the limit of {limit}", text.len()),
                ));
            }
            Ok(Some(text.clone()))
        }
        Some(other) => Err(InputError::field(
            field,
            format!("must be a string, found {}", json_type(other)),
        )),
    }
}

fn required_str(object: &Map<String, Value>, field: &str) -> Result<String, InputError> {
    match optional_str(object, field)? {
        Some(text) if !text.trim().is_empty() => Ok(text),
        Some(_) => Err(InputError::field(field, "must not be empty")),
        None => Err(InputError::field(field, "is missing")),
    }
}

fn optional_bool(object: &Map<String, Value>, field: &str) -> Result<Option<bool>, InputError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(InputError::field(
            field,
            format!("must be true or false, found {}", json_type(other)),
        )),
    }
}

/// The JSON type name of a value, for error messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
