//! The tool table: each tool's name, description and input schema, the
//! underscore aliases, and dispatch of `tools/call` to the file that
//! implements the tool.
//!
//! `tools/list` shows the dotted names (`cavra.check_command`) and the
//! underscore aliases (`cavra_check_command`) by default, so a client that
//! drops names with dots still finds every tool; `--tool-names underscore`
//! lists only the aliases for clients that reject the whole list. Both
//! forms are always callable.

mod check;
mod evidence;
mod policy;

use super::args::Args;
use super::protocol::INVALID_PARAMS;
use super::{Host, Server, ToolNames};
use serde_json::{json, Map, Value};

/// The tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    EvaluateAction,
    CheckFileRead,
    CheckFileWrite,
    CheckCommand,
    CheckGitOperation,
    CheckMcpToolCall,
    ExplainDecision,
    GeneratePrAttestation,
    ExportEvidence,
    PolicyList,
    PolicyValidate,
}

const TOOLS: [(Tool, &str, &str); 11] = [
    (
        Tool::EvaluateAction,
        "cavra.evaluate_action",
        "Evaluate any action (file read/write, command, git, MCP tool call, URL, pull request) given as a CAVRA action object, e.g. {\"type\": \"command\", \"command\": \"npm test\"}. Returns the decision record; follow `effective_decision`.",
    ),
    (
        Tool::CheckFileRead,
        "cavra.check_file_read",
        "Ask before reading a file. Returns the decision record: allow, allow_with_attestation, require_approval or block, with rule, reason and risk score.",
    ),
    (
        Tool::CheckFileWrite,
        "cavra.check_file_write",
        "Ask before creating, changing or deleting a file. Returns the decision record.",
    ),
    (
        Tool::CheckCommand,
        "cavra.check_command",
        "Ask before running a shell command. Every part of a compound command is checked (pipes, &&, subshells, files it reads and writes). Returns the decision record.",
    ),
    (
        Tool::CheckGitOperation,
        "cavra.check_git_operation",
        "Ask before a git operation such as push, force_push, delete_branch or merge. Returns the decision record.",
    ),
    (
        Tool::CheckMcpToolCall,
        "cavra.check_mcp_tool_call",
        "Ask before calling a tool of another MCP server. Returns the decision record.",
    ),
    (
        Tool::ExplainDecision,
        "cavra.explain_decision",
        "Explain a decision in prose: what was asked, which rule matched, why this verdict and what would change it. Give the `decision_id` of a decision made in this session, or an `action` to evaluate and explain.",
    ),
    (
        Tool::GeneratePrAttestation,
        "cavra.generate_pr_attestation",
        "The pull-request attestation (Markdown) for this session: every decision made so far, what was blocked and what still needs approval.",
    ),
    (
        Tool::ExportEvidence,
        "cavra.export_evidence",
        "Write a signed evidence bundle of this session's decisions (a directory, or a ZIP when the path ends in .zip; default .cavra/evidence/<session>-evidence-bundle.zip in the workspace). Signed with Ed25519 when a key is configured or .cavra/keys/cavra-ed25519.pem exists, else SHA256 (integrity only).",
    ),
    (
        Tool::PolicyList,
        "cavra.policy_list",
        "List the policy packs available to this server and show which policy is active.",
    ),
    (
        Tool::PolicyValidate,
        "cavra.policy_validate",
        "Validate policy YAML text: returns `ok` and diagnostics with line and column.",
    ),
];

fn string(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

/// The optional context every evaluating tool accepts.
fn context_properties(properties: &mut Map<String, Value>) {
    properties.insert(
        "agent_id".into(),
        string("The acting agent (recorded in the decision)."),
    );
    properties.insert(
        "environment".into(),
        string("Deployment environment the action touches, e.g. production."),
    );
}

fn schema(tool: Tool) -> Value {
    let mut properties = Map::new();
    let mut required: Vec<&str> = Vec::new();
    let action = json!({
        "type": "object",
        "description": "A CAVRA action: {\"type\": \"file_read\"|\"file_write\"|\"command\"|\"git\"|\"mcp_tool_call\"|\"network\"|\"pull_request\", ...fields}, e.g. {\"type\": \"file_read\", \"path\": \".env\"} or {\"type\": \"git\", \"operation\": \"push\", \"remote\": \"origin\", \"branch\": \"main\"}.",
        "properties": {"type": {"type": "string", "enum": ["file_read", "file_write", "command", "git", "mcp_tool_call", "network", "pull_request"]}},
        "required": ["type"],
    });
    match tool {
        Tool::EvaluateAction => {
            properties.insert("action".into(), action);
            required.push("action");
            context_properties(&mut properties);
        }
        Tool::CheckFileRead | Tool::CheckFileWrite => {
            properties.insert(
                "path".into(),
                string("The file path, relative to the workspace or absolute."),
            );
            required.push("path");
            context_properties(&mut properties);
        }
        Tool::CheckCommand => {
            properties.insert(
                "command".into(),
                string("The shell command line, exactly as it would run."),
            );
            required.push("command");
            context_properties(&mut properties);
        }
        Tool::CheckGitOperation => {
            properties.insert(
                "operation".into(),
                string("The git operation: push, force_push, delete_branch, merge, ..."),
            );
            properties.insert("remote".into(), string("The remote, e.g. origin."));
            properties.insert(
                "branch".into(),
                string("The branch or refspec, e.g. main or HEAD:main."),
            );
            properties.insert(
                "force".into(),
                json!({"type": "boolean", "description": "A forced push."}),
            );
            required.push("operation");
            context_properties(&mut properties);
        }
        Tool::CheckMcpToolCall => {
            properties.insert("server".into(), string("The MCP server's name."));
            properties.insert("tool".into(), string("The tool's name."));
            properties.insert(
                "capability".into(),
                string("The capability the tool exercises, when known (e.g. write, delete)."),
            );
            required.extend(["server", "tool"]);
            context_properties(&mut properties);
        }
        Tool::ExplainDecision => {
            properties.insert(
                "decision_id".into(),
                string("The id (dec_...) of a decision made in this session."),
            );
            properties.insert("action".into(), action);
            context_properties(&mut properties);
        }
        Tool::GeneratePrAttestation | Tool::PolicyList => {}
        Tool::ExportEvidence => {
            properties.insert(
                "path".into(),
                string("Where to write: a directory, or a file ending in .zip; relative to the workspace. Default .cavra/evidence/<session>-evidence-bundle.zip."),
            );
            properties.insert(
                "overwrite".into(),
                json!({"type": "boolean", "description": "Replace an existing output (default: true for the default path, false otherwise)."}),
            );
        }
        Tool::PolicyValidate => {
            properties.insert(
                "policy".into(),
                string("The policy document (YAML or JSON text)."),
            );
            required.push("policy");
        }
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The underscore alias of a dotted name.
fn alias(name: &str) -> String {
    name.replace('.', "_")
}

/// The tool a name (dotted or alias) calls.
fn lookup(name: &str) -> Option<Tool> {
    TOOLS
        .iter()
        .find(|(_, dotted, _)| *dotted == name || alias(dotted) == name)
        .map(|(tool, _, _)| *tool)
}

/// The `tools/list` entries.
pub(crate) fn list(names: ToolNames) -> Vec<Value> {
    let mut out = Vec::new();
    for (tool, name, description) in TOOLS {
        let entry = |name: &str| {
            json!({
                "name": name,
                "description": description,
                "inputSchema": schema(tool),
            })
        };
        if names != ToolNames::Underscore {
            out.push(entry(name));
        }
        if names != ToolNames::Dotted {
            let mut aliased = entry(&alias(name));
            aliased["description"] = json!(format!("{description} (Alias of `{name}`.)"));
            out.push(aliased);
        }
    }
    out
}

/// What a tool returns.
pub(crate) struct Output {
    text: String,
    structured: Option<Value>,
    is_error: bool,
}

impl Output {
    /// A result whose text is the JSON of `value`.
    fn json(value: Value) -> Output {
        Output {
            text: value.to_string(),
            structured: Some(value),
            is_error: false,
        }
    }

    /// A result with its own text next to the structured value.
    fn text(text: String, value: Value) -> Output {
        Output {
            text,
            structured: Some(value),
            is_error: false,
        }
    }

    /// A tool error the agent can read and correct.
    fn error(message: impl Into<String>) -> Output {
        Output {
            text: message.into(),
            structured: None,
            is_error: true,
        }
    }

    fn into_value(self) -> Value {
        let mut result = json!({
            "content": [{"type": "text", "text": self.text}],
            "isError": self.is_error,
        });
        if let Some(structured) = self.structured {
            result["structuredContent"] = structured;
        }
        result
    }
}

/// Runs `tools/call`. Protocol errors (no such tool, no name) are JSON-RPC
/// errors; everything about the arguments is a tool result with `isError`.
pub(crate) fn call<H: Host>(
    server: &mut Server<H>,
    params: &Value,
) -> Result<Value, (i64, String)> {
    let name = params
        .get("name")
        .and_then(Value::as_str)
        .ok_or((INVALID_PARAMS, "missing `name` (a string)".to_string()))?;
    let tool = lookup(name).ok_or_else(|| (INVALID_PARAMS, format!("unknown tool `{name}`")))?;
    let empty = Map::new();
    let arguments = match params.get("arguments") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(map)) => map,
        Some(_) => return Err((INVALID_PARAMS, "`arguments` must be an object".to_string())),
    };
    let input_schema = schema(tool);
    let allowed: Vec<&str> = input_schema["properties"]
        .as_object()
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let output = match Args::new(arguments, &allowed) {
        Err(message) => Output::error(message),
        Ok(args) => run(server, tool, &args).unwrap_or_else(Output::error),
    };
    Ok(output.into_value())
}

fn run<H: Host>(server: &mut Server<H>, tool: Tool, args: &Args) -> Result<Output, String> {
    match tool {
        Tool::EvaluateAction => check::evaluate(server, args),
        Tool::CheckFileRead => check::file_read(server, args),
        Tool::CheckFileWrite => check::file_write(server, args),
        Tool::CheckCommand => check::command(server, args),
        Tool::CheckGitOperation => check::git(server, args),
        Tool::CheckMcpToolCall => check::mcp(server, args),
        Tool::ExplainDecision => check::explain(server, args),
        Tool::GeneratePrAttestation => evidence::pr_attestation(server),
        Tool::ExportEvidence => evidence::export(server, args),
        Tool::PolicyList => policy::list(server),
        Tool::PolicyValidate => policy::validate(server, args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_alias_resolves() {
        for (tool, name, _) in TOOLS {
            assert_eq!(lookup(name), Some(tool));
            assert_eq!(lookup(&alias(name)), Some(tool));
        }
        assert_eq!(lookup("cavra.nope"), None);
    }

    #[test]
    fn every_schema_is_a_closed_object() {
        for (tool, name, _) in TOOLS {
            let s = schema(tool);
            assert_eq!(s["type"], "object", "{name}");
            assert_eq!(s["additionalProperties"], false, "{name}");
            assert!(s["properties"].is_object(), "{name}");
        }
    }
}
