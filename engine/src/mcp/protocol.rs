//! JSON-RPC 2.0 framing for MCP: what a line is (request, notification or
//! garbage), the reply shapes, the error codes and protocol version
//! negotiation. Nothing here knows about tools.

use serde_json::{json, Value};

/// Protocol versions this server speaks, newest first.
pub(crate) const SUPPORTED_VERSIONS: [&str; 3] = ["2025-06-18", "2025-03-26", "2024-11-05"];

/// Invalid JSON.
pub(crate) const PARSE_ERROR: i64 = -32700;
/// Not a valid JSON-RPC request object.
pub(crate) const INVALID_REQUEST: i64 = -32600;
/// No such method.
pub(crate) const METHOD_NOT_FOUND: i64 = -32601;
/// Bad parameters (including an unknown tool name).
pub(crate) const INVALID_PARAMS: i64 = -32602;

/// One incoming line, classified.
pub(crate) enum Incoming {
    /// A request: it gets exactly one reply.
    Request {
        /// The id to echo.
        id: Value,
        /// Method name.
        method: String,
        /// `params`, or `null`.
        params: Value,
    },
    /// A notification: never answered.
    Notification {
        /// Method name.
        method: String,
    },
    /// Not a message; the reply is ready.
    Invalid(Value),
}

/// Classifies one line (without its newline).
pub(crate) fn parse(line: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => return Incoming::Invalid(parse_error(&e.to_string())),
    };
    let Some(object) = value.as_object() else {
        return Incoming::Invalid(error(
            Value::Null,
            INVALID_REQUEST,
            "a message must be a JSON object (batches are not supported)",
        ));
    };
    // Echo a usable id in errors about the rest of the message.
    let id = match object.get("id") {
        Some(id @ (Value::String(_) | Value::Number(_))) => Some(id.clone()),
        Some(Value::Null) | None => None,
        Some(_) => {
            return Incoming::Invalid(error(
                Value::Null,
                INVALID_REQUEST,
                "`id` must be a string or a number",
            ))
        }
    };
    let reply_id = || id.clone().unwrap_or(Value::Null);
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Incoming::Invalid(error(
            reply_id(),
            INVALID_REQUEST,
            "`jsonrpc` must be \"2.0\"",
        ));
    }
    let Some(method) = object.get("method").and_then(Value::as_str) else {
        if object.contains_key("result") || object.contains_key("error") {
            // A response to a request we never sent: nothing to say.
            return Incoming::Notification {
                method: "(response)".into(),
            };
        }
        return Incoming::Invalid(error(
            reply_id(),
            INVALID_REQUEST,
            "missing `method` (a string)",
        ));
    };
    let params = object.get("params").cloned().unwrap_or(Value::Null);
    if !matches!(params, Value::Null | Value::Object(_) | Value::Array(_)) {
        return Incoming::Invalid(error(
            reply_id(),
            INVALID_REQUEST,
            "`params` must be an object",
        ));
    }
    match id {
        Some(id) => Incoming::Request {
            id,
            method: method.to_string(),
            params,
        },
        None if object.contains_key("id") => {
            Incoming::Invalid(error(Value::Null, INVALID_REQUEST, "`id` must not be null"))
        }
        None => Incoming::Notification {
            method: method.to_string(),
        },
    }
}

/// A successful reply.
pub(crate) fn success(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// An error reply.
pub(crate) fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// The reply to a line that is not JSON (its id cannot be known).
pub(crate) fn parse_error(detail: &str) -> Value {
    error(Value::Null, PARSE_ERROR, &format!("parse error: {detail}"))
}

/// The version to answer: the client's when supported, else the newest.
pub(crate) fn negotiate(requested: Option<&str>) -> &'static str {
    SUPPORTED_VERSIONS
        .iter()
        .find(|v| Some(**v) == requested)
        .copied()
        .unwrap_or(SUPPORTED_VERSIONS[0])
}

/// The `initialize` result.
pub(crate) fn initialize_result(params: &Value) -> Value {
    let requested = params.get("protocolVersion").and_then(Value::as_str);
    json!({
        "protocolVersion": negotiate(requested),
        "capabilities": {"tools": {"listChanged": false}},
        "serverInfo": {"name": "cavra", "version": crate::ENGINE_VERSION},
        "instructions": "Before reading or writing a file, running a command, pushing with git or calling another MCP tool, ask CAVRA with the matching cavra.check_* tool and follow `effective_decision`: allow proceeds, allow_with_attestation proceeds and is recorded, require_approval waits for the named approver group, block does not happen.",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_negotiated() {
        for (asked, answered) in [
            (Some("2025-06-18"), "2025-06-18"),
            (Some("2025-03-26"), "2025-03-26"),
            (Some("2024-11-05"), "2024-11-05"),
            (Some("1999-01-01"), "2025-06-18"),
            (None, "2025-06-18"),
        ] {
            assert_eq!(negotiate(asked), answered, "{asked:?}");
        }
    }

    #[test]
    fn lines_are_classified() {
        assert!(matches!(parse(b"{"), Incoming::Invalid(_)));
        assert!(matches!(parse(b"[]"), Incoming::Invalid(_)));
        assert!(matches!(
            parse(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#),
            Incoming::Notification { .. }
        ));
        assert!(matches!(
            parse(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#),
            Incoming::Request { .. }
        ));
        assert!(matches!(
            parse(br#"{"jsonrpc":"2.0","id":1}"#),
            Incoming::Invalid(_)
        ));
    }
}
