//! The evaluating tools: `cavra.evaluate_action`, the `cavra.check_*`
//! quick forms and `cavra.explain_decision`. Each builds an action request,
//! decides it under the server's policy, session and workspace, records
//! the decision, and returns the decision record.

use super::super::args::Args;
use super::super::{Host, Server};
use super::Output;
use crate::action::{git_action, Action, ActionContext, ActionRequest};
use crate::decide::decide;
use crate::decision::Decision;
use serde_json::{json, Value};

/// The request for `action`, with the optional `agent_id` and
/// `environment` arguments. The session and the workspace are the
/// server's: an action cannot move itself to another log or root.
fn request(args: &Args, action: Action) -> Result<ActionRequest, String> {
    Ok(ActionRequest {
        action,
        context: ActionContext {
            agent_id: args.opt_string("agent_id")?,
            environment: args.opt_string("environment")?,
            ..ActionContext::default()
        },
    })
}

/// Decides and records a request.
fn decide_and_record<H: Host>(
    server: &mut Server<H>,
    mut request: ActionRequest,
) -> Result<Decision, String> {
    request.context.session_id = Some(server.config.session_id.clone());
    request.context.workspace = None;
    let decision = decide(
        &server.config.policy,
        &request,
        &server.config.options,
        server.host.stamp(),
    )
    .map_err(|e| e.to_string())?;
    server.record(&decision)?;
    Ok(decision)
}

fn decision_output(decision: &Decision) -> Result<Output, String> {
    serde_json::to_value(decision)
        .map(Output::json)
        .map_err(|e| e.to_string())
}

fn check<H: Host>(server: &mut Server<H>, args: &Args, action: Action) -> Result<Output, String> {
    let request = request(args, action)?;
    let decision = decide_and_record(server, request)?;
    decision_output(&decision)
}

/// The request an `action` argument describes; the call's `agent_id` and
/// `environment` win over the action's own.
fn action_request(args: &Args, action: &Value) -> Result<ActionRequest, String> {
    let mut request = ActionRequest::from_json(action).map_err(|e| match &e.field {
        Some(field) => format!("argument `action`, field `{field}`: {}", e.message),
        None => format!("argument `action`: {}", e.message),
    })?;
    if let Some(agent) = args.opt_string("agent_id")? {
        request.context.agent_id = Some(agent);
    }
    if let Some(environment) = args.opt_string("environment")? {
        request.context.environment = Some(environment);
    }
    Ok(request)
}

/// `cavra.evaluate_action`.
pub(super) fn evaluate<H: Host>(server: &mut Server<H>, args: &Args) -> Result<Output, String> {
    let action = args
        .opt_object("action")?
        .ok_or("missing required argument `action` (an object)")?;
    let request = action_request(args, action)?;
    let decision = decide_and_record(server, request)?;
    decision_output(&decision)
}

/// `cavra.check_file_read`.
pub(super) fn file_read<H: Host>(server: &mut Server<H>, args: &Args) -> Result<Output, String> {
    let path = args.string("path")?;
    check(server, args, Action::FileRead { path })
}

/// `cavra.check_file_write`.
pub(super) fn file_write<H: Host>(server: &mut Server<H>, args: &Args) -> Result<Output, String> {
    let path = args.string("path")?;
    check(server, args, Action::FileWrite { path })
}

/// `cavra.check_command`.
pub(super) fn command<H: Host>(server: &mut Server<H>, args: &Args) -> Result<Output, String> {
    let command = args.string("command")?;
    check(server, args, Action::Command { command })
}

/// `cavra.check_git_operation`.
pub(super) fn git<H: Host>(server: &mut Server<H>, args: &Args) -> Result<Output, String> {
    let operation = args.string("operation")?;
    let remote = args.opt_string("remote")?;
    let branch = args.opt_string("branch")?;
    let force = args.opt_bool("force")?.unwrap_or(false);
    check(
        server,
        args,
        Action::Git(git_action(&operation, remote, branch, force)),
    )
}

/// `cavra.check_mcp_tool_call`.
pub(super) fn mcp<H: Host>(server: &mut Server<H>, args: &Args) -> Result<Output, String> {
    let server_name = args.string("server")?;
    let tool = args.string("tool")?;
    let capability = args.opt_string("capability")?;
    check(
        server,
        args,
        Action::McpToolCall {
            server: server_name,
            tool,
            capability,
            arguments: Value::Null,
        },
    )
}

/// `cavra.explain_decision`: a recorded decision by id, or a new one.
pub(super) fn explain<H: Host>(server: &mut Server<H>, args: &Args) -> Result<Output, String> {
    let id = args.opt_string("decision_id")?;
    let action = args.opt_object("action")?;
    let decision = match (id, action) {
        (Some(_), Some(_)) => {
            return Err("give either `decision_id` or `action`, not both".to_string())
        }
        (None, None) => {
            return Err(
                "missing argument: give `decision_id` (a decision of this session) or `action` (an object)"
                    .to_string(),
            )
        }
        (Some(id), None) => server
            .decisions
            .iter()
            .find(|d| d.decision_id == id)
            .cloned()
            .ok_or_else(|| {
                format!("argument `decision_id`: no decision `{id}` in this session")
            })?,
        (None, Some(action)) => {
            let request = action_request(args, action)?;
            decide_and_record(server, request)?
        }
    };
    let text = crate::explain::explain(&decision);
    let record = serde_json::to_value(&decision).map_err(|e| e.to_string())?;
    Ok(Output::text(
        text.clone(),
        json!({"decision_id": decision.decision_id, "explanation": text, "decision": record}),
    ))
}
